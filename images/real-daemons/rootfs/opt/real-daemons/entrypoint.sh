#!/bin/sh
# A shell entrypoint that logs the way many do: by opening /dev/stderr and /dev/stdout.
echo "entrypoint: starting (via /dev/stderr)" >/dev/stderr
echo "entrypoint: ready (via /dev/stdout)" >/dev/stdout
exec sleep infinity
