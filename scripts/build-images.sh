#!/usr/bin/env bash
# Builds svinit's base images locally, with no registry:
#   svinit-base:node    busybox + this machine's node and the libraries it links (docker import)
#   svinit-base:nonode  busybox and glibc only, for the standalone executable
#   svinit-base:debian  a Debian userland with python3 and the real supervisor package (mmdebstrap)
# Idempotent: an image that exists is kept unless --force is given.
set -euo pipefail
force=0
[ "${1:-}" = "--force" ] && force=1
have() { [ $force = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

rootfs() { # rootfs DIR WITH_NODE
  local dir=$1 node=$2
  mkdir -p "$dir"/{bin,sbin,usr/bin,usr/local/bin,lib64,lib/x86_64-linux-gnu,etc,tmp,run,proc,sys,dev,root,app}
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for app in $(/bin/busybox --list); do [ "$app" = busybox ] || ln -sf /bin/busybox "$dir/bin/$app"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/app:/bin/sh\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n' >"$dir/etc/group"
  # The C++ runtime node links is kept even without node: the standalone executable needs it.
  local libs="/lib64/ld-linux-x86-64.so.2 $(ldd /bin/ls /usr/bin/node | awk '/=>/ {print $3}')"
  [ "$node" = 1 ] && cp /usr/bin/node "$dir/usr/bin/node"
  for lib in $libs; do cp -L "$lib" "$dir/lib/x86_64-linux-gnu/" 2>/dev/null || true; done
  cp -L /lib64/ld-linux-x86-64.so.2 "$dir/lib64/"
}

if ! have svinit-base:node; then
  t=$(mktemp -d); rootfs "$t" 1
  tar -C "$t" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - svinit-base:node >/dev/null
  rm -rf "$t"; echo "build-images: svinit-base:node"
fi
if ! have svinit-base:nonode; then
  t=$(mktemp -d); rootfs "$t" 0
  tar -C "$t" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - svinit-base:nonode >/dev/null
  rm -rf "$t"; echo "build-images: svinit-base:nonode"
fi
if ! have svinit-base:debian; then
  t=$(mktemp -d)
  # A Debian userland with the real supervisorctl; node is copied in from this machine.
  if mmdebstrap --variant=minbase --include=python3,supervisor,procps bookworm "$t/rootfs.tar" >"$t/mmdebstrap.log" 2>&1; then
    mkdir -p "$t/extra/usr/bin"; cp /usr/bin/node "$t/extra/usr/bin/node"
    cat "$t/rootfs.tar" | docker import -c 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' - svinit-base:debian-raw >/dev/null
    printf 'FROM svinit-base:debian-raw\nCOPY usr/bin/node /usr/bin/node\n' >"$t/extra/Dockerfile"
    DOCKER_BUILDKIT=0 docker build -q -t svinit-base:debian "$t/extra" >/dev/null
    echo "build-images: svinit-base:debian"
  else
    echo "build-images: mmdebstrap failed; see below" >&2; tail -20 "$t/mmdebstrap.log" >&2; rm -rf "$t"; exit 1
  fi
  rm -rf "$t"
fi
