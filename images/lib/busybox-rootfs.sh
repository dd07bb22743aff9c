# Sourced by the busybox-based recipes: a small root filesystem made of this machine's files, with
# no registry and no mirror needed.
#   busybox_rootfs DIR        busybox, the test users and groups, glibc and the C++ runtime (for a
#                             foreign SVINIT_ARCH, see arch.sh: that architecture's busybox-static,
#                             libc6, libstdc++6 and libgcc-s1, from Debian's mirror)
#   copy_with_libs DIR FILE…  each FILE and the shared libraries it links, at the same paths
#   pack DIR OUT.tar          the tree as a tar for the recipe's Dockerfile to ADD

# shellcheck source=arch.sh
. "$(dirname "${BASH_SOURCE[0]}")/arch.sh"

# The dynamic loader and the multiarch library folder, read off a binary rather than assumed.
host_loader() { ldd /bin/ls | awk '$1 ~ /^\/.*ld-linux/ {print $1}'; }
host_libdir() { dirname "$(ldd /bin/ls | awk '/libc\.so/ {print $3}')"; }

copy_with_libs() {
  local dir=$1; shift
  local f lib
  for f in "$@"; do
    mkdir -p "$dir$(dirname "$f")"; cp -L "$f" "$dir$f"
    for lib in $(ldd "$f" 2>/dev/null | awk '/=>/ {print $3}'); do
      [ -e "$dir$lib" ] || { mkdir -p "$dir$(dirname "$lib")"; cp -L "$lib" "$dir$lib"; }
    done
  done
}

busybox_rootfs() {
  local dir=$1 app loader
  mkdir -p "$dir"/{bin,sbin,usr/bin,usr/local/bin,etc,tmp,run,proc,sys,dev,root,app}
  chmod 1777 "$dir/tmp"
  if svinit_foreign; then
    foreign_busybox_and_libs "$dir" || return 1
  else
    [ -x /bin/busybox ] || { echo "busybox_rootfs: /bin/busybox is missing (apt-get install busybox-static)" >&2; return 1; }
    cp /bin/busybox "$dir/bin/busybox"
    loader=$(host_loader)
    mkdir -p "$dir$(dirname "$loader")" "$dir$(host_libdir)"
    cp -L "$loader" "$dir$loader"
    # The C++ runtime node links is kept even without node: the standalone executable needs it.
    for lib in $(ldd /bin/ls "$(readlink -f "$(command -v node)")" | awk '/=>/ {print $3}'); do cp -L "$lib" "$dir$(host_libdir)/"; done
  fi
  # (A foreign busybox lists its applets under emulation.)
  for app in $("$dir/bin/busybox" --list); do [ "$app" = busybox ] || ln -sf /bin/busybox "$dir/bin/$app"; done
  [ -e "$dir/bin/sh" ] || { echo "busybox_rootfs: $dir/bin/busybox --list gave no applets (for a foreign architecture: qemu-user-static and its binfmt handlers?)" >&2; return 1; }
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/app:/bin/sh\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n' >"$dir/etc/group"
}

# A foreign architecture's busybox, loader, glibc and C++ runtime: its Debian packages unpacked
# (mmdebstrap's extract variant runs none of their scripts), of which /bin/busybox, /lib (the
# loader and glibc) and the C++ runtime and libgcc_s under /usr/lib are kept.
foreign_busybox_and_libs() {
  local dir=$1 arch x f
  arch=$(svinit_arch)
  x=$(mktemp -d)
  if ! mmdebstrap --quiet --variant=extract --architectures="$arch" \
      --include=busybox-static,libc6,libstdc++6,libgcc-s1 bookworm "$x"; then
    rm -rf "$x"; echo "busybox_rootfs: mmdebstrap --architectures=$arch failed" >&2; return 1
  fi
  cp "$x/bin/busybox" "$dir/bin/busybox"
  cp -a "$x/lib" "$dir/"
  for f in $(cd "$x" && find usr/lib -path '*/gconv' -prune -o \( -name 'libstdc++.so.6*' -o -name 'libgcc_s.so*' \) -print); do
    mkdir -p "$dir/$(dirname "$f")"; cp -a "$x/$f" "$dir/$f"
  done
  rm -rf "$x"
}

pack() { tar -C "$1" -cf "$2" .; }
