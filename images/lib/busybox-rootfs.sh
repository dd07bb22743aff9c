# Sourced by the busybox-based recipes: a small root filesystem made of this machine's files, with
# no registry and no mirror needed.
#   busybox_rootfs DIR        busybox, the test users and groups, glibc and the C++ runtime
#   copy_with_libs DIR FILE…  each FILE and the shared libraries it links, at the same paths
#   pack DIR OUT.tar          the tree as a tar for the recipe's Dockerfile to ADD

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
  [ -x /bin/busybox ] || { echo "busybox_rootfs: /bin/busybox is missing (apt-get install busybox-static)" >&2; return 1; }
  mkdir -p "$dir"/{bin,sbin,usr/bin,usr/local/bin,etc,tmp,run,proc,sys,dev,root,app}
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for app in $(/bin/busybox --list); do [ "$app" = busybox ] || ln -sf /bin/busybox "$dir/bin/$app"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/app:/bin/sh\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n' >"$dir/etc/group"
  loader=$(host_loader)
  mkdir -p "$dir$(dirname "$loader")" "$dir$(host_libdir)"
  cp -L "$loader" "$dir$loader"
  # The C++ runtime node links is kept even without node: the standalone executable needs it.
  for lib in $(ldd /bin/ls "$(readlink -f "$(command -v node)")" | awk '/=>/ {print $3}'); do cp -L "$lib" "$dir$(host_libdir)/"; done
}

pack() { tar -C "$1" -cf "$2" .; }
