#!/usr/bin/env bash
# The main job on the samples shipped in samples/: every Kerberos event, normalized, one JSON object per line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >&2
exec build/modinput/kerberos_events replay samples/ --format json
