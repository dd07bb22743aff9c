#!/usr/bin/env bash
# Builds svinit's base images locally, with no registry:
#   svinit-base:node    busybox + this machine's node and the libraries it links (docker import)
#   svinit-base:nonode  busybox and glibc only, for the standalone executable
#   svinit-base:debian  a Debian userland with python3 and the real supervisor package (mmdebstrap);
#                       when the mirror is unreachable: svinit-base:node plus this machine's python3
#                       and supervisor package (the script says which one it built)
# Idempotent: an image that exists is kept unless --force is given.
# SVINIT_DEBIAN_FALLBACK=1 forces the fallback; DEBIAN_TAG names that image (to try it aside).
set -euo pipefail
force=0
[ "${1:-}" = "--force" ] && force=1
have() { [ $force = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
[ -x /bin/busybox ] || apt_install busybox-static

# Copies each file with the shared libraries it links (ldd) into the root folder $1.
copy_with_libs() {
  local dir=$1; shift
  local f lib
  for f in "$@"; do
    mkdir -p "$dir$(dirname "$f")"; cp -L "$f" "$dir$f"
    for lib in $(ldd "$f" 2>/dev/null | awk '/=>/ {print $3}'); do
      [ -e "$dir/lib/x86_64-linux-gnu/$(basename "$lib")" ] || cp -L "$lib" "$dir/lib/x86_64-linux-gnu/"
    done
  done
}

rootfs() { # rootfs DIR WITH_NODE
  local dir=$1 node=$2
  mkdir -p "$dir"/{bin,sbin,usr/bin,usr/local/bin,lib64,lib/x86_64-linux-gnu,etc,tmp,run,proc,sys,dev,root,app}
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for app in $(/bin/busybox --list); do [ "$app" = busybox ] || ln -sf /bin/busybox "$dir/bin/$app"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/app:/bin/sh\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n' >"$dir/etc/group"
  cp -L /lib64/ld-linux-x86-64.so.2 "$dir/lib64/"
  # The C++ runtime node links is kept even without node: the standalone executable needs it.
  for lib in $(ldd /bin/ls /usr/bin/node | awk '/=>/ {print $3}'); do cp -L "$lib" "$dir/lib/x86_64-linux-gnu/"; done
  [ "$node" = 1 ] && cp /usr/bin/node "$dir/usr/bin/node"
  return 0
}

import_dir() { # import_dir DIR TAG
  tar -C "$1" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' - "$2" >/dev/null
}

if ! have svinit-base:node; then
  t=$(mktemp -d); rootfs "$t" 1; import_dir "$t" svinit-base:node; rm -rf "$t"
  echo "build-images: svinit-base:node"
fi
if ! have svinit-base:nonode; then
  t=$(mktemp -d); rootfs "$t" 0; import_dir "$t" svinit-base:nonode; rm -rf "$t"
  echo "build-images: svinit-base:nonode"
fi

# Fallback for svinit-base:debian: the busybox+node root plus the host's python3 and supervisor.
# /usr/bin/python3 is named explicitly: a pyenv python3 may come first in PATH.
debian_from_host() { # debian_from_host TAG
  command -v supervisorctl >/dev/null 2>&1 || apt_install supervisor
  local t py stdlib f
  t=$(mktemp -d); rootfs "$t" 1
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
  import_dir "$t" "$1"; rm -rf "$t"
}

debian_tag=${DEBIAN_TAG:-svinit-base:debian}
if ! have "$debian_tag"; then
  t=$(mktemp -d)
  # A Debian userland with the real supervisorctl; node is copied in from this machine.
  if [ "${SVINIT_DEBIAN_FALLBACK:-0}" = 0 ] && mmdebstrap --variant=minbase --include=python3,supervisor,procps bookworm "$t/rootfs.tar" >"$t/mmdebstrap.log" 2>&1; then
    mkdir -p "$t/extra/usr/bin"; cp /usr/bin/node "$t/extra/usr/bin/node"
    docker import -c 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' "$t/rootfs.tar" svinit-base:debian-raw >/dev/null
    printf 'FROM svinit-base:debian-raw\nCOPY usr/bin/node /usr/bin/node\n' >"$t/extra/Dockerfile"
    DOCKER_BUILDKIT=0 docker build -q -t "$debian_tag" "$t/extra" >/dev/null
    echo "build-images: $debian_tag (mmdebstrap bookworm)"
  else
    [ -s "$t/mmdebstrap.log" ] && { echo "build-images: mmdebstrap failed (mirror unreachable?), last lines:" >&2; tail -5 "$t/mmdebstrap.log" >&2; }
    debian_from_host "$debian_tag"
    echo "build-images: $debian_tag (fallback: busybox + node + this machine's python3 and supervisor)"
  fi
  rm -rf "$t"
fi
