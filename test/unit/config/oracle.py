# Oracle for the config tests: parses configs with the real supervisord 4.2.5 (Debian's
# python3-supervisor) and prints what it made of them as JSON, in the shape of svinit's Config.
#
# stdin: JSON list of {"file": path, "env": {...}, "cwd": dir}; stdout: JSON list of results, each
# either {"error": "<supervisord's message>"} or the parsed config.
import json
import os
import sys

from supervisor import datatypes
from supervisor.options import ServerOptions

LEVELS = {50: 'critical', 40: 'error', 30: 'warn', 20: 'info', 10: 'debug', 5: 'trace', 3: 'blather'}


class Usage(Exception):
    pass


def usage(msg):
    raise Usage(str(msg))


def logfile(v):
    if v is None:
        return {'kind': 'none'}
    if v is datatypes.Automatic:
        return {'kind': 'auto'}
    return {'kind': 'file', 'path': os.path.abspath(v)}


def channel(p, ch):
    return {
        'logfile': logfile(getattr(p, ch + '_logfile')),
        'logfileMaxbytes': getattr(p, ch + '_logfile_maxbytes'),
        'logfileBackups': getattr(p, ch + '_logfile_backups'),
        'captureMaxbytes': getattr(p, ch + '_capture_maxbytes'),
        'eventsEnabled': bool(getattr(p, ch + '_events_enabled')),
        'syslog': bool(getattr(p, ch + '_syslog')),
    }


def autorestart(v):
    if v is datatypes.RestartUnconditionally:
        return True
    if v is datatypes.RestartWhenExitUnexpected:
        return 'unexpected'
    return False


def process(p):
    return {
        'name': p.name,
        'command': p.command,
        'priority': p.priority,
        'autostart': p.autostart,
        'autorestart': autorestart(p.autorestart),
        'startsecs': p.startsecs,
        'startretries': p.startretries,
        'exitcodes': list(p.exitcodes),
        'stopsignal': p.stopsignal,
        'stopwaitsecs': p.stopwaitsecs,
        'stopasgroup': p.stopasgroup,
        'killasgroup': p.killasgroup,
        'uid': p.uid,
        'redirectStderr': p.redirect_stderr,
        'stdout': channel(p, 'stdout'),
        'stderr': channel(p, 'stderr'),
        'environment': p.environment or {},
        'directory': p.directory,
        'umask': p.umask,
        'serverurl': p.serverurl,
    }


def group(g):
    out = {'name': g.name, 'priority': g.priority, 'processes': [process(p) for p in g.process_configs]}
    if hasattr(g, 'buffer_size'):
        from supervisor.events import getEventNameByType
        out['eventListener'] = {
            'events': sorted(getEventNameByType(t) for t in g.pool_events),
            'bufferSize': g.buffer_size,
        }
    if hasattr(g, 'socket_config'):
        sc = g.socket_config
        owner = getattr(sc, 'owner', None)
        out['fcgi'] = {
            'socket': sc.url,
            'socketBacklog': sc.backlog,
            'socketOwner': None if owner is None else {'uid': owner[0], 'gid': owner[1]},
            'socketMode': getattr(sc, 'mode', None) or 0o700,
        }
    return out


def server(c):
    out = {'section': c['section'], 'username': c['username'], 'password': c['password']}
    if 'file' in c:
        out.update(kind='unix', file=c['file'], chmod=c['chmod'],
                   chown=None if c['chown'] == (-1, -1) else {'uid': c['chown'][0], 'gid': c['chown'][1]})
    else:
        out.update(kind='inet', host=c['host'], port=c['port'])
    return out


def parse(case):
    os.environ.clear()
    os.environ.update(case['env'])
    os.chdir(case.get('cwd', '/'))
    o = ServerOptions()
    o.usage = usage
    try:
        o.realize(args=['-c', case['file']])
    except Usage as e:
        return {'error': str(e)}
    s = o.configroot.supervisord
    return {
        'supervisord': {
            'logfile': o.logfile,
            'logfileMaxbytes': o.logfile_maxbytes,
            'logfileBackups': o.logfile_backups,
            'loglevel': LEVELS[o.loglevel],
            'pidfile': o.pidfile,
            'umask': o.umask,
            'nodaemon': bool(o.nodaemon),
            'silent': bool(o.silent),
            'minfds': o.minfds,
            'minprocs': o.minprocs,
            'nocleanup': bool(o.nocleanup),
            'childlogdir': o.childlogdir,
            'directory': o.directory,
            'stripAnsi': bool(o.strip_ansi),
            'environment': s.environment or {},
            'identifier': o.identifier,
        },
        'groups': [group(g) for g in o.process_group_configs],
        'httpServers': [server(c) for c in o.server_configs],
        'warnings': o.parse_warnings,
        'infos': o.parse_infos,
    }


results = []
for case in json.load(sys.stdin):
    try:
        results.append(parse(case))
    except Exception as e:  # an oracle crash is a test failure, reported as such
        results.append({'crash': '%s: %s' % (type(e).__name__, e)})
print(json.dumps(results))
