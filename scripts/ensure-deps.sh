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
command -v systemd-notify >/dev/null 2>&1 || need+=(systemd)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
[ -x /bin/busybox ] || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ -x "$(dirname "$0")/ensure-docker.sh" ]; then
  bash "$(dirname "$0")/ensure-docker.sh"
fi
