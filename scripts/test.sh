#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs, builds with warnings as errors, runs CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

# The parsers of outside bytes once more under AddressSanitizer and UndefinedBehaviorSanitizer: every fuzz
# corpus and the EVTX reader's tests over real and damaged samples.
bash scripts/install-deps.sh
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKI_SANITIZE=ON -DKI_WERROR=ON >/dev/null
cmake --build build-sanitize -j"$jobs" --target evtx_fuzz xml_source_fuzz json_source_fuzz text_source_fuzz \
  evtx_source_test evtx_binxml_test evtx_chunk_test evtx_record_test evtx_values_test evtx_file_header_test evtx_crc32_test
(cd build-sanitize && ctest --output-on-failure -j"$jobs" --timeout 900 -R '_fuzz_corpus$|Evtx')

# The threads (the evtx chunk workers and their pool, the pipeline's normalizing stage, a run with its
# default threads) once more under ThreadSanitizer, which fails a test on any data race it sees.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKI_SANITIZE_THREAD=ON -DKI_WERROR=ON >/dev/null
cmake --build build-tsan -j"$jobs" --target evtx_workers_test pipeline_test run_test
(cd build-tsan && ctest --output-on-failure -j"$jobs" --timeout 900 -R 'ChunkWorkers|Pipeline|RunTest')

# Everything, in the Release build the README's sample command uses.
bash scripts/build.sh -DKI_WERROR=ON
cd build
ctest --output-on-failure -j"$jobs" --timeout 600
