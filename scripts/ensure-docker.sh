#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io if missing, starts dockerd in
# the background (there is no systemd here; log in /tmp/dockerd.log) and waits for it.
# A dockerd that is already starting is waited for, never doubled (a second one can delete docker0).
set -euo pipefail
if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! docker version >/dev/null 2>&1; then
  if ! grep -qsx dockerd /proc/[0-9]*/comm; then
    echo "ensure-docker: starting dockerd (log: /tmp/dockerd.log)"
    nohup dockerd >>/tmp/dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 120); do
    docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
docker version >/dev/null 2>&1 || { echo "ensure-docker: dockerd did not answer within 60 s (see /tmp/dockerd.log)" >&2; exit 1; }
