#!/usr/bin/env bash
# Side-by-side: our evtx reader against libevtx's evtxexport on the same >= 200 MB corpus.
#
# Usage: benchmarks/evtx_vs_evtxexport.sh [BUILD_DIR]   (run from the project root)
# BUILD_DIR must be configured with -DKI_BUILD_BENCHMARKS=ON (default: build-bench, configured and built
# here if missing). The corpus is copies of the shared samples under benchmarks/corpus/ (git-ignored).
# Prints wall time, MB/s and peak RSS for: ours with 1 and 2 threads, evtxexport -f xml; then the ratios.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
shared=${KI_SHARED_DATA:-$root/../shared/data}
corpus=$root/benchmarks/corpus/evtx
target_mb=${KI_EVTX_CORPUS_MB:-200}

command -v evtxexport >/dev/null || { echo "evtxexport not found (apt install libevtx-utils)"; exit 77; }
[ -d "$shared/evtx" ] || { echo "shared samples not found at $shared"; exit 77; }

if [ ! -x "$build/benchmarks/evtx_bench" ]; then
  cmake -S "$root" -B "$build" -DKI_BUILD_BENCHMARKS=ON -DKI_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" --target evtx_bench -j"$(nproc)" >/dev/null
fi

# The corpus: whole copies of the clean, larger samples until the target size is reached.
mkdir -p "$corpus"
sources=("$shared"/evtx/parser/security.evtx "$shared"/evtx/parser/system.evtx \
         "$shared"/evtx/parser/Security_with_size_t.evtx "$shared"/evtx/parser/sysmon.evtx \
         "$shared"/evtx/parser/sample-with-irregular-bool-values.evtx "$shared"/evtx/parser/post-Security.evtx)
total=$(du -sm "$corpus" | cut -f1)
i=0
while [ "$total" -lt "$target_mb" ]; do
  for s in "${sources[@]}"; do cp "$s" "$corpus/copy$(printf %04d $i)_$(basename "$s")"; i=$((i + 1)); done
  total=$(du -sm "$corpus" | cut -f1)
done
bytes=$(du -sb "$corpus" | cut -f1)
echo "corpus: $(ls "$corpus" | wc -l) files, $((bytes / 1048576)) MiB in $corpus"

measure() {  # label, command... ; prints seconds and peak RSS (KiB)
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log"
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  rm -f "$log"
  printf '%-28s %8.2f s %9.1f MB/s  peak RSS %6d MiB\n' "$label" "$wall" "$(echo "$bytes / 1048576 / $wall" | bc -l)" $((rss / 1024)) >&2
  echo "$wall"
}

export KI_EVTX_BENCH_DIR=$corpus
ours1=$(measure "ours, 1 thread" "$build/benchmarks/evtx_bench" --benchmark_filter='BM_EvtxReadAll/threads:1/' --benchmark_min_time=0.01)
ours2=$(measure "ours, 2 threads" "$build/benchmarks/evtx_bench" --benchmark_filter='BM_EvtxReadAll/threads:2/' --benchmark_min_time=0.01)
theirs=$(measure "evtxexport -f xml" bash -c 'for f in "$0"/*.evtx; do evtxexport -f xml "$f"; done' "$corpus")

echo "single thread vs evtxexport: $(echo "$theirs / $ours1" | bc -l | cut -c1-6)x (target >= 50x)"
echo "2 threads vs 1 thread:       $(echo "$ours1 / $ours2" | bc -l | cut -c1-5)x (target >= 1.7x)"
