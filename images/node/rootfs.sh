#!/usr/bin/env bash
# rootfs.sh OUT.tar — busybox plus this machine's node: the image most container tests run svinit's
# bundle in. Stands in for node:20-bookworm-slim as the Dockerfile's NODE_BASE. (For a foreign
# SVINIT_ARCH, that architecture's busybox, glibc and node of the same version: images/lib/arch.sh.)
set -euo pipefail
. "$(dirname "$0")/../lib/busybox-rootfs.sh"
prefix=$(svinit_node_prefix)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
busybox_rootfs "$t"
mkdir -p "$t/usr/bin"; cp -L "$prefix/bin/node" "$t/usr/bin/node"
pack "$t" "$1"
