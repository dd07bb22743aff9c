#!/usr/bin/env bash
# rootfs.sh OUT.tar — the builder stage's base, made here without a registry: what node:20-bookworm
# offers the top-level Dockerfile (a Debian bookworm with a C toolchain and python3 for node-gyp,
# node, npm and Node's headers), from Debian's mirror (mmdebstrap) plus this machine's node, npm and
# headers. This machine's CA bundle goes in too, so that npm trusts the same TLS roots it does.
# For a foreign SVINIT_ARCH (images/lib/arch.sh): that architecture's Debian (its package scripts
# run under qemu user emulation) and the official node and headers of this machine's Node version
# for it; npm is JavaScript, so this machine's serves every architecture.
set -euo pipefail
. "$(dirname "$0")/../lib/arch.sh"
out=$1
host_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
prefix=$(svinit_node_prefix)
node=$(readlink -f "$prefix/bin/node")
npm_dir=$host_prefix/lib/node_modules/npm
[ -f "$prefix/include/node/node_api.h" ] || { echo "builder: no Node headers under $prefix/include/node" >&2; exit 1; }
[ -d "$npm_dir" ] || { echo "builder: no npm under $npm_dir" >&2; exit 1; }
arch_opt=()
svinit_foreign && arch_opt=(--architectures="$(svinit_arch)")
mmdebstrap "${arch_opt[@]}" --variant=apt --include=build-essential,python3,ca-certificates bookworm "$out" \
  --customize-hook="cp -L '$node' \"\$1/usr/local/bin/node\"" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" \"\$1/usr/local/include\"" \
  --customize-hook="cp -a '$npm_dir' \"\$1/usr/local/lib/node_modules/npm\"" \
  --customize-hook="cp -a '$prefix/include/node' \"\$1/usr/local/include/node\"" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook='cp -L /etc/ssl/certs/ca-certificates.crt "$1/usr/local/share/host-ca-certificates.crt"'
