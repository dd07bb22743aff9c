#!/usr/bin/env bash
# Builds the real-daemons test image (images/real-daemons/) locally, with no registry: Debian
# bookworm by mmdebstrap (minbase, no Recommends) with the packages in images/real-daemons/packages,
# the files of images/real-daemons/rootfs/ on top, images/real-daemons/setup.sh run inside, and
# this machine's node copied in. svinit itself is not in the image: tests bind-mount dist/.
# The tag carries a hash of the recipe (and of this script and node's version), so an image that
# exists with the same recipe is kept; the last line printed is the tag.
# Usage: scripts/build-real-daemons-image.sh [--force] [--print-tag]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
recipe=$root/images/real-daemons
force=0 print_only=0
for a in "$@"; do
  case $a in
    --force) force=1 ;;
    --print-tag) print_only=1 ;;
    *) echo "usage: $0 [--force] [--print-tag]" >&2; exit 2 ;;
  esac
done

hash=$( (cd "$recipe" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
         sha256sum <"$root/scripts/build-real-daemons-image.sh"; node --version) | sha256sum | cut -c1-12)
tag=svinit-realdaemons:$hash
[ $print_only = 1 ] && { echo "$tag"; exit 0; }

# One build at a time on this machine: a second caller waits, then finds the image.
exec 9>"/tmp/svinit-realdaemons-build.lock"
flock 9
if [ $force = 0 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"; exit 0
fi

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
packages=$(grep -v '^\s*#' "$recipe/packages" | xargs | tr ' ' ,)
echo "build-real-daemons-image: mmdebstrap bookworm with $packages" >&2
# Downloaded packages are kept between builds (a changed recipe then costs minutes, not ten).
cache=/var/cache/svinit-realdaemons-debs
mkdir -p "$cache"
# /run is kept: official images make their daemons' run directories at build time (setup.sh).
if ! mmdebstrap --variant=minbase --aptopt='APT::Install-Recommends "false"' --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --skip=cleanup/run --skip=essential/unlink \
    --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
    --setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives '$cache'" \
    --customize-hook="sync-in '$recipe/rootfs' /" \
    --customize-hook="upload '$recipe/setup.sh' /tmp/real-daemons-setup.sh" \
    --customize-hook='chroot "$1" sh /tmp/real-daemons-setup.sh' \
    --customize-hook='rm -f "$1/tmp/real-daemons-setup.sh"' \
    --customize-hook='upload /usr/bin/node /usr/bin/node' \
    --customize-hook='chmod 0755 "$1/usr/bin/node"' \
    bookworm "$t/rootfs.tar" >"$t/mmdebstrap.log" 2>&1; then
  echo "build-real-daemons-image: mmdebstrap failed, last lines:" >&2
  tail -20 "$t/mmdebstrap.log" >&2
  exit 1
fi
docker import -c 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'CMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]' \
  "$t/rootfs.tar" "$tag" >/dev/null
echo "build-real-daemons-image: built $tag" >&2
echo "$tag"
