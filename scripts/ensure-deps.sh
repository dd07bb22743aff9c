#!/usr/bin/env bash
# System packages the test suite needs on a fresh Debian machine: the real supervisord/supervisorctl
# (the compatibility oracle), Docker's engine (end-to-end tests), Chromium (web UI test),
# systemd-notify (notify_socket readiness test).
# Idempotent: installs only what is missing, then makes sure dockerd runs.
set -euo pipefail
need=()
command -v supervisorctl >/dev/null 2>&1 || need+=(supervisor)
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
[ -x /bin/busybox ] || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# systemd-notify (package systemd) only serves one test: a failed install must not stop the suite;
# that test then fails and says what is missing.
if ! command -v systemd-notify >/dev/null 2>&1; then
  echo "ensure-deps: installing systemd (for systemd-notify)"
  export DEBIAN_FRONTEND=noninteractive
  { [ ${#need[@]} -gt 0 ] || apt-get update -qq; } && apt-get install -y -qq --no-install-recommends systemd >/dev/null \
    || echo "ensure-deps: systemd could not be installed: the systemd-notify test will fail"
fi
if [ -x "$(dirname "$0")/ensure-docker.sh" ]; then
  bash "$(dirname "$0")/ensure-docker.sh"
fi
