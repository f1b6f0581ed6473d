#!/usr/bin/env bash
# Side by side, in one run: our EVTX reader against libevtx's `evtxexport -f xml` on the same files.
#
# Usage: benchmarks/evtx_vs_evtxexport.sh [BUILD_DIR]   (run from anywhere; paths are the project's)
# BUILD_DIR needs kerberos_events, benchmarks/evtx_bench and tests/tools/make_evtx_corpus (default:
# build-bench, configured with -DKI_BUILD_BENCHMARKS=ON and built here if something is missing).
#
# Two corpora under the git-ignored benchmarks/corpus/:
#   shared   copies of the larger shared samples until KI_EVTX_CORPUS_MB (default 200) MB: many 1-2 MB
#            files, almost no Kerberos events (the EventID filter skips nearly every record)
#   dense    one file of KI_EVTX_DENSE_RECORDS (default 400000) generated records, 90 % Kerberos
# For each: evtxexport (once: it is slow); `kerberos_events replay --format json` (the product's path:
# default event IDs, output to /dev/null) with 1 and 2 threads, best of KI_EVTX_REPEAT runs; evtx_bench
# reading records with 1 and 2 threads (every record, and the Kerberos IDs only), its mean over
# KI_EVTX_BENCH_MIN_TIME seconds. Prints MB/s, records/s and peak RSS (/usr/bin/time -v) for each, then the
# ratios. records/s counts every record in the files, read or skipped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
shared=${KI_SHARED_DATA:-$root/../shared/data}
corpus_root=$root/benchmarks/corpus
target_mb=${KI_EVTX_CORPUS_MB:-200}
dense_records=${KI_EVTX_DENSE_RECORDS:-400000}
repeat=${KI_EVTX_REPEAT:-5}                   # replay runs per figure (best kept); evtxexport runs once
bench_min_time=${KI_EVTX_BENCH_MIN_TIME:-2}   # seconds per evtx_bench figure (mean over its iterations)

command -v evtxexport >/dev/null || { echo "evtxexport not found (apt install libevtx-utils)"; exit 77; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt install time)"; exit 77; }
[ -d "$shared/evtx" ] || { echo "shared samples not found at $shared"; exit 77; }

bin=$build/modinput/kerberos_events
bench=$build/benchmarks/evtx_bench
gen=$build/tests/tools/make_evtx_corpus
if [ ! -x "$bin" ] || [ ! -x "$bench" ] || [ ! -x "$gen" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKI_BUILD_BENCHMARKS=ON >/dev/null
  cmake --build "$build" --target kerberos_events evtx_bench make_evtx_corpus -j"$(nproc)" >/dev/null
fi

# Corpus 1: whole copies of the clean, larger shared samples until the target size is reached.
shared_dir=$corpus_root/evtx
mkdir -p "$shared_dir"
sources=("$shared"/evtx/parser/security.evtx "$shared"/evtx/parser/system.evtx \
         "$shared"/evtx/parser/Security_with_size_t.evtx "$shared"/evtx/parser/sysmon.evtx \
         "$shared"/evtx/parser/sample-with-irregular-bool-values.evtx "$shared"/evtx/parser/post-Security.evtx)
total=$(du -sm "$shared_dir" | cut -f1)
i=$(ls "$shared_dir" | wc -l)
while [ "$total" -lt "$target_mb" ]; do
  for s in "${sources[@]}"; do cp "$s" "$shared_dir/copy$(printf %04d "$i")_$(basename "$s")"; i=$((i + 1)); done
  total=$(du -sm "$shared_dir" | cut -f1)
done

# Corpus 2: one Kerberos-dense file from the test-only generator (deterministic: same arguments, same bytes).
dense=$corpus_root/kerberos_dense_${dense_records}.evtx
[ -s "$dense" ] || "$gen" --out "$dense" --records "$dense_records" --kerberos-density 0.9 >/dev/null

row() {  # label, bytes, records, seconds, rss KiB
  awk -v l="$1" -v b="$2" -v r="$3" -v s="$4" -v k="$5" \
    'BEGIN { printf "  %-34s %8.3f s %9.1f MB/s %11.0f records/s  peak RSS %5.1f MiB\n", l, s, b / 1e6 / s, r / s, k / 1024 }'
}

# Runs a command under /usr/bin/time -v `runs` times (the machine is shared, so the best of several is
# the figure to compare); sets $wall (s, the shortest) and $rss (KiB, the largest).
timed() {
  local runs=$1; shift
  local log w r; log=$(mktemp)
  wall=""; rss=0
  for ((n = 0; n < runs; n++)); do
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
    if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall=$w; fi
    [ "$r" -gt "$rss" ] && rss=$r
  done
  rm -f "$log"
}

# evtx_bench's own timing (the benchmark's real time for one pass); peak RSS from /usr/bin/time.
bench_run() {  # label, filter, bytes, records, env assignment
  local label=$1 filter=$2 bytes=$3 records=$4 env=$5 log out ms
  log=$(mktemp); out=$(mktemp)
  env "$env" /usr/bin/time -v "$bench" --benchmark_filter="$filter" --benchmark_min_time="$bench_min_time" \
    >"$out" 2>"$log"
  ms=$(awk '/^BM_/ { print $2; exit }' "$out")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  rm -f "$log" "$out"
  wall=$(awk -v m="$ms" 'BEGIN { print m / 1000 }')
  row "$label" "$bytes" "$records" "$wall" "$rss"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

run_corpus() {  # name, path (file or folder), env assignment for evtx_bench
  local name=$1 path=$2 env=$3 bytes records files
  bytes=$(du -sb "$path" | cut -f1)
  files=$(find "$path" -name '*.evtx' | wc -l)
  # Every record in the files, as our reader counts them (evtxexport reads the same clean files).
  records=$(env "$env" "$bench" --benchmark_filter='BM_EvtxReadAll/threads:1/' --benchmark_min_time=0.01 2>/dev/null |
            awk '/^BM_/ { for (i = 1; i <= NF; i++) if ($i ~ /^records=/) { v = substr($i, 9); m = 1;
                   if (v ~ /k$/) m = 1e3; if (v ~ /M$/) m = 1e6; sub(/[kM]$/, "", v); printf "%.0f", v * m } }')
  echo "== $name: $files file(s), $((bytes / 1048576)) MiB, $records records"

  timed 1 bash -c 'find "$0" -name "*.evtx" -print0 | sort -z | xargs -0 -n1 evtxexport -f xml' "$path"
  local theirs=$wall; row "evtxexport -f xml" "$bytes" "$records" "$wall" "$rss"
  timed "$repeat" "$bin" replay "$path" --format json --threads 1
  local replay1=$wall; row "ours: replay, 1 thread" "$bytes" "$records" "$wall" "$rss"
  timed "$repeat" "$bin" replay "$path" --format json --threads 2
  local replay2=$wall; row "ours: replay, 2 threads" "$bytes" "$records" "$wall" "$rss"
  bench_run "ours: evtx_bench all, 1 thread" 'BM_EvtxReadAll/threads:1/' "$bytes" "$records" "$env"
  local all1=$wall
  bench_run "ours: evtx_bench all, 2 threads" 'BM_EvtxReadAll/threads:2/' "$bytes" "$records" "$env"
  local all2=$wall
  bench_run "ours: evtx_bench Kerberos, 1 thread" 'BM_EvtxKerberosOnly/threads:1/' "$bytes" "$records" "$env"
  local k1=$wall
  bench_run "ours: evtx_bench Kerberos, 2 threads" 'BM_EvtxKerberosOnly/threads:2/' "$bytes" "$records" "$env"
  local k2=$wall
  echo "  single thread vs evtxexport (target >= 50x): replay $(ratio "$theirs" "$replay1")x," \
       "bench all $(ratio "$theirs" "$all1")x, bench Kerberos $(ratio "$theirs" "$k1")x"
  echo "  2 threads vs 1 (target >= 1.7x): replay $(ratio "$replay1" "$replay2")x," \
       "bench all $(ratio "$all1" "$all2")x, bench Kerberos $(ratio "$k1" "$k2")x"
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run_corpus "shared samples" "$shared_dir" "KI_EVTX_BENCH_DIR=$shared_dir"
run_corpus "Kerberos-dense" "$dense" "KI_EVTX_BENCH_FILE=$dense"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
