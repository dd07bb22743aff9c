# Sourced by scripts/build-images.sh and the recipes: which architecture the images are built for.
# SVINIT_ARCH is a Debian architecture name (amd64, arm64); it defaults to this machine's. A foreign
# one is built under qemu user emulation (qemu-user-static's binfmt handlers, see images/README.md).
#   svinit_arch            the architecture (amd64, arm64, …)
#   svinit_foreign         true when it is not this machine's
#   svinit_node_prefix     a folder with bin/node and include/node (Node's headers) for the
#                          architecture: this machine's node when native; otherwise the official build
#                          of the same version, from the npm package node-linux-ARCH (cached)

svinit_host_arch() { dpkg --print-architecture 2>/dev/null || case $(uname -m) in x86_64) echo amd64 ;; aarch64) echo arm64 ;; *) uname -m ;; esac; }
svinit_arch() { echo "${SVINIT_ARCH:-$(svinit_host_arch)}"; }
svinit_foreign() { [ "$(svinit_arch)" != "$(svinit_host_arch)" ]; }

# Node's name of the architecture (process.arch), for the node-linux-* packages.
svinit_node_arch() { case $(svinit_arch) in amd64) echo x64 ;; arm64) echo arm64 ;; armhf) echo armv7l ;; ppc64el) echo ppc64le ;; *) svinit_arch ;; esac; }

svinit_node_prefix() {
  if ! svinit_foreign; then
    dirname "$(dirname "$(readlink -f "$(command -v node)")")"
    return
  fi
  local version pkg cache tmp
  version=$(node --version); version=${version#v}
  pkg=node-linux-$(svinit_node_arch)
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/svinit/$pkg-$version
  if [ ! -x "$cache/bin/node" ] || [ ! -f "$cache/include/node/node_api.h" ]; then
    tmp=$(mktemp -d)
    # npm checks the tarball against the registry's integrity hash.
    if ! (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null); then
      rm -rf "$tmp"; echo "arch: npm pack $pkg@$version failed (is this Node version published for $(svinit_arch)?)" >&2; return 1
    fi
    mkdir -p "$tmp/x" && tar -xzf "$tmp"/*.tgz -C "$tmp/x" --strip-components=1
    [ -x "$tmp/x/bin/node" ] && [ -f "$tmp/x/include/node/node_api.h" ] || { rm -rf "$tmp"; echo "arch: $pkg@$version has no bin/node or include/node" >&2; return 1; }
    rm -rf "$cache"; mkdir -p "$(dirname "$cache")"; mv "$tmp/x" "$cache"; rm -rf "$tmp"
  fi
  echo "$cache"
}

# Docker's name of the platform (docker build/run --platform).
svinit_docker_platform() { case $(svinit_arch) in armhf) echo linux/arm/v7 ;; ppc64el) echo linux/ppc64le ;; *) echo "linux/$(svinit_arch)" ;; esac; }

# The qemu architecture name of binfmt_misc's handler (/proc/sys/fs/binfmt_misc/qemu-NAME).
svinit_qemu_arch() { case $(svinit_arch) in arm64) echo aarch64 ;; armhf) echo arm ;; ppc64el) echo ppc64le ;; amd64) echo x86_64 ;; *) svinit_arch ;; esac; }

# Makes a foreign architecture's binaries run here, in containers too: binfmt_misc mounted and
# qemu-user-static's handler registered with the F flag (the interpreter is opened at registration,
# so it works in a container's root without qemu in it). Installs qemu-user-static when missing, and
# arch-test, which mmdebstrap needs for a foreign architecture.
svinit_ensure_emulation() {
  svinit_foreign || return 0
  local bf=/proc/sys/fs/binfmt_misc q
  q=$(svinit_qemu_arch)
  [ -e "$bf/register" ] || mount -t binfmt_misc binfmt_misc "$bf" ||
    { echo "arch: cannot mount binfmt_misc on $bf" >&2; return 1; }
  if [ ! -x "/usr/bin/qemu-$q-static" ] || ! command -v arch-test >/dev/null 2>&1; then
    echo "arch: installing qemu-user-static and arch-test" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends qemu-user-static arch-test >/dev/null ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends qemu-user-static arch-test >/dev/null; }
  fi
  # The package registers its handlers with update-binfmts (or systemd-binfmt); neither runs at boot
  # without an init system, so a handler missing after a restart is registered again here.
  if [ ! -e "$bf/qemu-$q" ]; then
    if command -v update-binfmts >/dev/null 2>&1; then update-binfmts --enable "qemu-$q" >/dev/null 2>&1 || true; fi
  fi
  if [ ! -e "$bf/qemu-$q" ] && [ -f "/usr/lib/binfmt.d/qemu-$q.conf" ]; then
    cat "/usr/lib/binfmt.d/qemu-$q.conf" >"$bf/register" || true
  fi
  [ -e "$bf/qemu-$q" ] || { echo "arch: no binfmt_misc handler qemu-$q (qemu-user-static)" >&2; return 1; }
  grep -q '^flags:.*F' "$bf/qemu-$q" || { echo "arch: the qemu-$q handler lacks the F flag: it will not work inside containers" >&2; return 1; }
}
