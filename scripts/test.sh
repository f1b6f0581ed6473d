#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs, builds with warnings as errors, runs CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DKI_WERROR=ON
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
