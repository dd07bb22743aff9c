#!/usr/bin/env bash
# rootfs.sh OUT.tar — a Debian bookworm userland with python3 and the real supervisor package
# (supervisord, supervisorctl) from Debian's mirror (mmdebstrap), plus this machine's node: the
# image the compatibility tests run the real supervisorctl in.
# When the mirror is unreachable (or SVINIT_DEBIAN_FALLBACK=1): the busybox root with node, this
# machine's python3 and its supervisor package instead. Says which one it made on stderr.
set -euo pipefail
here=$(dirname "$0")
out=$1
log=$(mktemp); trap 'rm -f "$log"' EXIT
node=$(readlink -f "$(command -v node)")
if [ "${SVINIT_DEBIAN_FALLBACK:-0}" = 0 ] &&
  mmdebstrap --variant=minbase --include=python3,supervisor,procps bookworm "$out" \
    --customize-hook="cp -L '$node' \"\$1/usr/bin/node\"" >"$log" 2>&1; then
  echo "debian: mmdebstrap bookworm" >&2
  exit 0
fi
[ -s "$log" ] && { echo "debian: mmdebstrap failed (mirror unreachable?), last lines:" >&2; tail -5 "$log" >&2; }

. "$here/../lib/busybox-rootfs.sh"
if ! command -v supervisorctl >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends supervisor >/dev/null
fi
t=$(mktemp -d); trap 'rm -rf "$t" "$log"' EXIT
busybox_rootfs "$t"
mkdir -p "$t/usr/bin"; cp -L "$node" "$t/usr/bin/node"
# /usr/bin/python3 is named explicitly: a pyenv python3 may come first in PATH.
py=$(readlink -f /usr/bin/python3)
copy_with_libs "$t" "$py"
ln -sf "$(basename "$py")" "$t/usr/bin/python3"
stdlib=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')
tar -C / --exclude='*/test/*' --exclude='*/tests/*' --exclude='*/idlelib/*' --exclude='*/tkinter/*' -c "${stdlib#/}" | tar -C "$t" -x
copy_with_libs "$t" "$stdlib"/lib-dynload/*.so
for f in $(dpkg -L supervisor python3-pkg-resources 2>/dev/null); do
  [ -f "$f" ] || continue
  mkdir -p "$t$(dirname "$f")"; cp -a "$f" "$t$f"
done
pack "$t" "$out"
echo "debian: fallback (busybox + node + this machine's python3 and supervisor)" >&2
