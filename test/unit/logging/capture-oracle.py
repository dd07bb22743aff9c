# supervisord 4.2.5 as the oracle for capture mode: feeds JSON chunks to a real POutputDispatcher
# (stderr, capture_maxbytes=argv[1]) and prints the PROCESS_COMMUNICATION data and the log file.
import sys, json, tempfile, os
from supervisor.tests.base import DummyOptions, DummyPConfig, DummyProcess
from supervisor import loggers
from supervisor.dispatchers import POutputDispatcher
from supervisor.events import ProcessCommunicationStderrEvent, subscribe
d = tempfile.mkdtemp(); lf = os.path.join(d, 'l')
opts = DummyOptions()
opts.getLogger = lambda *a, **k: loggers.getLogger()
cfg = DummyPConfig(opts, 'p', '/bin/true', stderr_logfile=lf, stderr_capture_maxbytes=int(sys.argv[1]))
proc = DummyProcess(cfg)
got = []
subscribe(ProcessCommunicationStderrEvent, lambda e: got.append(e.data.decode()))
disp = POutputDispatcher(proc, ProcessCommunicationStderrEvent, 2)
for c in json.load(sys.stdin):
    disp.output_buffer += c.encode(); disp.record_output()
print(json.dumps({'captured': got, 'log': open(lf).read()}))
