#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io if missing, starts dockerd in
# the background (there is no systemd here) and waits for it.
set -euo pipefail
if ! command -v dockerd >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! docker version >/dev/null 2>&1; then
  nohup dockerd >/tmp/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
docker version >/dev/null 2>&1 || { echo "ensure-docker: dockerd did not come up (see /tmp/dockerd.log)" >&2; exit 1; }
