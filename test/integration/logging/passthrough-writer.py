# Writers for the passthrough tests: each mode writes a known byte stream to fd 1 or fd 2.
#   json N      N JSON objects, one per line (UTF-8), written in one go (the pipe splits them)
#   big N       N lines of 1 MiB each, written in one go
#   partial     one line written in three pieces, a pause between them
#   tagged T N  N short lines starting with T, one write(2) each
# With $GO set, the writer starts once that file exists (its init has logged it RUNNING by then)
# and stays alive afterwards, so the init's own lines never fall inside its output.
import json, os, sys, time

mode, args = sys.argv[1], sys.argv[2:]
fd = 2 if os.environ.get('WRITE_TO') == 'stderr' else 1

def out(b):
    while b:
        b = b[os.write(fd, b):]
go = os.environ.get('GO')
while go and not os.path.exists(go):
    time.sleep(0.02)

if mode == 'json':
    out(''.join(json.dumps({'seq': i, 'msg': 'héllo wörld', 'pad': 'x' * (i % 300)}, ensure_ascii=False) + '\n' for i in range(int(args[0]))).encode())
elif mode == 'big':
    out(b''.join(str(i).encode() + b'y' * (1024 * 1024 - len(str(i))) + b'\n' for i in range(int(args[0]))))
elif mode == 'partial':
    for piece in (b'{"partial": "one', b' two', b' three"}\n'):
        out(piece)
        time.sleep(0.3)
elif mode == 'tagged':
    for i in range(int(args[1])):
        out(('%s %05d %s\n' % (args[0], i, 'z' * (i % 50))).encode())

while go:
    time.sleep(3600)
