#!/usr/bin/env bash
# verify-arm64.sh — the top-level Dockerfile on arm64, checked end to end on any machine (an amd64
# one runs arm64 under qemu user emulation): both targets built from a clean checkout of this
# repository (its tracked files with their uncommitted changes; no node_modules, dist/ or addon)
# with `docker build --platform linux/arm64` on the arm64 stand-ins of the default base images,
# then each image run with its example config as PID 1 and checked: an arm64 image running aarch64
# code, the example's programs RUNNING, `svctl status` inside, orphans reaped, `docker stop` exit 0.
# Prints a PASS/FAIL summary with timings; exits 0 only when everything passed.
#   SVINIT_ARCH=arm64 (default)  another Debian architecture to try instead
#   VERIFY_KEEP=1                keep the checkout (its path is printed)
#   VERIFY_FRESH=1               from nothing: the stand-ins built again (--force), no build cache
# Opt-in, not part of `npm test`: an emulated build takes tens of minutes (images/README.md).
# Installs what it needs when missing: docker.io (scripts/ensure-docker.sh), qemu-user-static and
# arch-test, mmdebstrap; the stand-ins are kept (scripts/build-images.sh rebuilds them only when
# their recipe changes), and so are the built images (svinit-verify-ARCH:default, :standalone),
# whose layers a later run reuses.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export SVINIT_ARCH=${SVINIT_ARCH:-arm64}
. "$root/images/lib/arch.sh"
arch=$(svinit_arch) platform=$(svinit_docker_platform) uname_m=$(svinit_qemu_arch)
repo=svinit-verify-$arch
sfx=''; svinit_foreign && sfx=-$arch   # the stand-ins' tags (scripts/build-images.sh)
logs=$(mktemp -d /tmp/svinit-verify-$arch.XXXXXX)
t_start=$(date +%s)
summary=() failed=0 checkout='' cid=''

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
say() { printf '\n== %s\n' "$*"; }
pass() { summary+=("PASS  $*"); echo "PASS  $*"; }
fail() { summary+=("FAIL  $*"); echo "FAIL  $*"; failed=1; }
# check NAME COMMAND…: records PASS or FAIL by the command's exit status.
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

finish() {
  local rc=$?
  [ -n "$cid" ] && docker rm -f "$cid" >/dev/null 2>&1 || true
  if [ -n "$checkout" ]; then
    if [ "${VERIFY_KEEP:-0}" = 1 ]; then echo "checkout kept: $checkout"; else rm -rf "$checkout"; fi
  fi
  [ $rc = 0 ] || [ $failed = 1 ] || { summary+=("FAIL  aborted (exit $rc): see the output above"); failed=1; }
  printf '\n== Summary: %s (%s) on %s, %s, %s\n' "$platform" "$repo" "$(uname -m)" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
  printf '%s\n' "${summary[@]}"
  printf 'total %s min; logs in %s\n' "$(awk -v s="$t_start" -v e="$(date +%s)" 'BEGIN { printf "%.1f", (e - s) / 60 }')" "$logs"
  if [ $failed = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; exit 1; fi
}
trap finish EXIT

# waits (polling, up to $1 seconds) until the command succeeds.
wait_until() { local limit=$1 t0; shift; t0=$(date +%s); until "$@"; do [ $(($(date +%s) - t0)) -lt "$limit" ] || return 1; sleep 0.5; done; }

say "docker, qemu user emulation for $arch"
bash "$root/scripts/ensure-docker.sh"
svinit_ensure_emulation
svinit_foreign && pass "binfmt handler $(grep -o '^interpreter .*' "/proc/sys/fs/binfmt_misc/qemu-$uname_m") ($(grep '^flags' "/proc/sys/fs/binfmt_misc/qemu-$uname_m"))"

say "the $arch stand-ins of the base images (scripts/build-images.sh)"
t=$(now)
fresh=(); [ "${VERIFY_FRESH:-0}" = 1 ] && fresh=(--force)
bash "$root/scripts/build-images.sh" "${fresh[@]}" builder node nonode
pass "stand-ins svinit-base:{builder,node,nonode}$sfx ready ($(elapsed "$t"))"
for b in builder node nonode; do
  a=$(docker image inspect -f '{{.Architecture}}' "svinit-base:$b$sfx")
  [ "$a" = "$arch" ] || fail "svinit-base:$b$sfx is $a, not $arch"
done
m=$(docker run --rm --platform "$platform" "svinit-base:nonode$sfx" uname -m 2>/dev/null)
check "a $arch container runs here (uname -m: $m)" test "$m" = "$uname_m"

say "a clean checkout"
checkout=$(mktemp -d /tmp/svinit-verify-checkout.XXXXXX)
stash=$(git -C "$root" -c user.name=svinit-verify -c user.email=svinit-verify@localhost stash create)
git -C "$root" archive "${stash:-HEAD}" | tar -x -C "$checkout"
check "checkout of ${stash:-HEAD} has no node_modules, dist/ or native/build" \
  test ! -e "$checkout/node_modules" -a ! -e "$checkout/dist" -a ! -e "$checkout/native/build"

# build TAG [--target T]: docker build of the checkout for the platform, on the stand-ins.
build() {
  local tag=$1; shift
  local cache=(); [ "${VERIFY_FRESH:-0}" = 1 ] && cache=(--no-cache)
  DOCKER_BUILDKIT=0 docker build --platform "$platform" "${cache[@]}" "$@" \
    --build-arg "BUILDER=svinit-base:builder$sfx" --build-arg "NODE_BASE=svinit-base:node$sfx" \
    --build-arg "BASE=svinit-base:nonode$sfx" -t "$repo:$tag" "$checkout" >"$logs/build-$tag.log" 2>&1
}

example_up() {
  docker logs "$cid" >"$logs/run.log" 2>&1 || return 1
  grep -q 'success: web entered RUNNING' "$logs/run.log" && grep -q 'success: worker_01 entered RUNNING' "$logs/run.log" &&
    grep -q 'exited: migrate (exit status 0; expected)' "$logs/run.log"
}
zombies() { docker exec "$cid" sh -c "grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l"; }
no_zombies() { [ "$(zombies)" = 0 ]; }
stopped_clean() { [ "$(docker inspect -f '{{.State.ExitCode}}' "$cid")" = 0 ] && docker logs "$cid" 2>&1 | grep -q 'stopped: web ('; }

# verify TAG: runs the image as the README says (no arguments) and checks it.
verify() {
  local tag=$1 image=$repo:$1 out rc t
  check "$tag: image architecture is $arch" test "$(docker image inspect -f '{{.Architecture}}' "$image")" = "$arch"
  t=$(now)
  cid=$(docker run -d --platform "$platform" "$image")
  if wait_until 120 example_up; then pass "$tag: svinit as PID 1 brought the example's programs to RUNNING ($(elapsed "$t") after docker run)"
  else fail "$tag: the example's programs did not reach RUNNING in 120 s (log: $logs/run.log)"; tail -20 "$logs/run.log"; fi
  out=$(docker exec "$cid" uname -m)
  check "$tag: uname -m inside is $out" test "$out" = "$uname_m"
  out=$(docker exec "$cid" cat /proc/1/cmdline | tr '\0' ' ')
  check "$tag: PID 1 is svinit ($out)" grep -q svinit <<<"$out"
  if [ "$tag" = standalone ]; then
    docker cp "$cid:/usr/local/bin/svinit" "$logs/svinit-exe" >/dev/null
    docker cp "$cid:/usr/local/bin/svinit.node" "$logs/svinit.node" >/dev/null
    out=$(docker exec "$cid" sh -c 'command -v node || echo no-node')
    check "$tag: no node in the image ($out)" test "$out" = no-node
  else
    docker cp "$cid:/opt/svinit/svinit.node" "$logs/svinit.node" >/dev/null
    out=$(docker exec "$cid" node -p 'process.arch + " " + process.version')
    check "$tag: the image's node is $out" grep -q "^$(svinit_node_arch) " <<<"$out"
  fi
  for f in "$logs"/svinit-exe "$logs"/svinit.node; do
    [ -f "$f" ] || continue
    out=$(file -b "$f")
    check "$tag: file $(basename "$f"): ${out%%, BuildID*}" grep -q "$(case $arch in arm64) echo 'ARM aarch64' ;; amd64) echo 'x86-64' ;; *) echo "$arch" ;; esac)" <<<"$out"
    rm -f "$f"
  done
  set +e; out=$(docker exec "$cid" svctl status); rc=$?; set -e
  printf '%s\n' "$out" >"$logs/status-$tag.txt"
  echo "$out"
  check "$tag: docker exec svctl status shows web and both workers RUNNING, migrate EXITED (exit $rc, 3 as flaky is down)" \
    bash -c '[ "$1" = 3 ] && grep -Eq "^web +RUNNING +pid [0-9]+, uptime " <<<"$2" &&
      grep -Eq "^worker:worker_00 +RUNNING " <<<"$2" && grep -Eq "^worker:worker_01 +RUNNING " <<<"$2" && grep -Eq "^migrate +EXITED " <<<"$2"' _ "$rc" "$out"
  docker exec "$cid" sh -c 'i=0; while [ $i -lt 10 ]; do (sleep 0.01 &); i=$((i+1)); done'
  if wait_until 30 no_zombies; then pass "$tag: orphans reaped by PID 1"; else fail "$tag: $(zombies) zombies left"; fi
  t=$(now)
  docker stop "$cid" >/dev/null
  local stop_time; stop_time=$(elapsed "$t")
  check "$tag: docker stop took $stop_time, exit code $(docker inspect -f '{{.State.ExitCode}}' "$cid"), 'stopped: web' logged" stopped_clean
  docker logs "$cid" >"$logs/run-$tag.log" 2>&1
  docker rm -f "$cid" >/dev/null; cid=''
}

for target in default standalone; do
  opts=() desc=' (the default target)'
  [ "$target" = default ] || { opts=(--target "$target"); desc=" --target $target"; }
  say "docker build --platform $platform$desc (log: $logs/build-$target.log)"
  t=$(now)
  if ! build "$target" "${opts[@]}"; then
    fail "build $target: docker build failed after $(elapsed "$t")"; tail -30 "$logs/build-$target.log"; continue
  fi
  # (The classic builder builds every stage of the Dockerfile: the default target's build makes the
  # standalone executable too, and the standalone build after it finds everything in its cache.)
  pass "build $target: docker build --platform $platform$desc in $(elapsed "$t")"
  say "run $repo:$target"
  verify "$target"
done
