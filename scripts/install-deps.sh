#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need. Safe to run again: it only asks apt for
# what is missing. Runs apt through sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  rapidjson-dev libcurl4-openssl-dev libssl-dev libpugixml-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # Oracles the tests compare the EVTX reader and writer against; python3-evtx imports under Debian's python3.
  libevtx-utils python3 python3-evtx
)
if [[ "${KI_WITH_BROWSER:-0}" == 1 ]]; then
  packages+=(nodejs npm chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
