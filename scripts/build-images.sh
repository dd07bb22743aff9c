#!/usr/bin/env bash
# Builds the images the tests use, from their recipes in images/, with no registry:
#   build-images.sh [--force] [NAME…]     (default: every folder of images/ with a Dockerfile)
# images/NAME/ becomes ${SVINIT_BASE_REPO:-svinit-base}:NAME. A folder's rootfs.sh, when it has
# one, first writes rootfs.tar into a copy of the folder, which its Dockerfile then ADDs.
# Idempotent: an image is kept while it carries the hash of its recipe (the folder, images/lib and
# this machine's node version, which the recipes copy in) unless --force is given.
# SVINIT_ARCH=arm64 (a Debian architecture other than this machine's) builds the images for it under
# qemu user emulation, tagged NAME-arm64: only builder, node and nonode have such recipes (the
# stand-ins of the top-level Dockerfile's bases; images/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/images/lib/arch.sh"
repo=${SVINIT_BASE_REPO:-svinit-base}
force=0
[ "${1:-}" = "--force" ] && { force=1; shift; }
names=("$@")
suffix='' platform=()
if svinit_foreign; then
  suffix=-$(svinit_arch) platform=(--platform "$(svinit_docker_platform)")
  [ ${#names[@]} = 0 ] && names=(builder node nonode)
  for name in "${names[@]}"; do
    case $name in builder|node|nonode) ;; *) echo "build-images: images/$name has no recipe for SVINIT_ARCH=$(svinit_arch)" >&2; exit 2 ;; esac
  done
  svinit_ensure_emulation
fi
if [ ${#names[@]} = 0 ]; then
  for d in "$root"/images/*/Dockerfile; do names+=("$(basename "$(dirname "$d")")"); done
fi

if ! command -v mmdebstrap >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends mmdebstrap busybox-static >/dev/null
fi

for name in "${names[@]}"; do
  src=$root/images/$name
  [ -f "$src/Dockerfile" ] || { echo "build-images: no recipe images/$name/Dockerfile" >&2; exit 2; }
  tag=$repo:$name$suffix
  hash=$( (cd "$root/images" && find "$name" lib -type f -print0 | sort -z | xargs -0 sha256sum; node --version; echo "$suffix") | sha256sum | cut -c1-16)
  have=$(docker image inspect -f '{{index .Config.Labels "svinit.recipe"}}' "$tag" 2>/dev/null || true)
  if [ $force = 0 ] && [ "$have" = "$hash" ]; then continue; fi
  ctx=$(mktemp -d)
  cp -a "$src/." "$ctx/"
  if [ -f "$src/rootfs.sh" ]; then
    bash "$src/rootfs.sh" "$ctx/rootfs.tar" || { rm -rf "$ctx"; echo "build-images: images/$name/rootfs.sh failed" >&2; exit 1; }
  fi
  if ! DOCKER_BUILDKIT=0 docker build -q "${platform[@]}" --label "svinit.recipe=$hash" -t "$tag" "$ctx" >"$ctx.log" 2>&1; then
    cat "$ctx.log" >&2; rm -rf "$ctx" "$ctx.log"
    echo "build-images: docker build of $tag failed" >&2; exit 1
  fi
  rm -rf "$ctx" "$ctx.log"
  echo "build-images: $tag"
done
