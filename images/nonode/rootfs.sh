#!/usr/bin/env bash
# rootfs.sh OUT.tar — busybox and glibc only (with the C++ runtime): an image without Node, for the
# standalone executable. Stands in for debian:bookworm-slim as the Dockerfile's standalone BASE.
set -euo pipefail
. "$(dirname "$0")/../lib/busybox-rootfs.sh"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
busybox_rootfs "$t"
pack "$t" "$1"
