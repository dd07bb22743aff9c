#!/usr/bin/python3
# A tiny XML-RPC client for tests, built on supervisor's own transport (the one supervisorctl and
# childutils use), so tests talk to svinit exactly as real clients do.
# usage: rpc.py SERVERURL METHOD [JSON_ARG ...]   → prints the JSON result, or {"fault": …} and exits 3
import json
import sys
import xmlrpc.client

from supervisor.xmlrpc import SupervisorTransport

url, method, *args = sys.argv[1:]
transport = SupervisorTransport(None, None, url)
proxy = xmlrpc.client.ServerProxy('http://127.0.0.1' if url.startswith('unix://') else url, transport)
try:
    fn = proxy
    for part in method.split('.'):
        fn = getattr(fn, part)
    result = fn(*[json.loads(a) for a in args])
    print(json.dumps(result))
except xmlrpc.client.Fault as f:
    print(json.dumps({'fault': {'faultCode': f.faultCode, 'faultString': f.faultString}}))
    sys.exit(3)
