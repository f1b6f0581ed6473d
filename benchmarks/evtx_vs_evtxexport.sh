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
# default event IDs, output to /dev/null) in KI_EVTX_PAIRS alternating pairs of a 1-thread and a 2-thread
# run; evtx_bench reading records with 1 and 2 threads (every record, and the Kerberos IDs only), one pass
# per repetition, KI_EVTX_PAIRS repetitions interleaved at random. Prints the median MB/s, records/s and
# the peak RSS (/usr/bin/time -v) of each, then the ratios: single thread against evtxexport, and 2 threads
# against 1 as the median of the pairs' ratios. This machine's speed drifts by a fifth from minute to
# minute, and a drift between two separate measurements once moved the 2-thread ratio by 0.3: pairs run
# back to back share the drift. records/s counts every record in the files, read or skipped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
shared=${KI_SHARED_DATA:-$root/../shared/data}
corpus_root=$root/benchmarks/corpus
target_mb=${KI_EVTX_CORPUS_MB:-200}
dense_records=${KI_EVTX_DENSE_RECORDS:-400000}
pairs=${KI_EVTX_PAIRS:-10}                    # alternating 1- and 2-thread runs per figure (medians kept)

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

# One run under /usr/bin/time -v; sets $wall (s) and $rss (KiB).
timed() {
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  rm -f "$log"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { tr ' ' '\n' | grep . | sort -g | tail -n 1; }

# `pairs` alternating runs of replay with 1 and 2 threads: sets $r1 and $r2 (median walls), $rss1 and $rss2
# (largest), and $pair_ratio (median of wall1 / wall2 over the pairs).
replay_pairs() {  # path
  local w1="" w2="" k1="" k2="" ratios=""
  for ((n = 0; n < pairs; n++)); do
    timed "$bin" replay "$1" --format json --threads 1; w1+="$wall "; k1+="$rss "; local a=$wall
    timed "$bin" replay "$1" --format json --threads 2; w2+="$wall "; k2+="$rss "
    ratios+="$(awk -v a="$a" -v b="$wall" 'BEGIN { print a / b }') "
  done
  r1=$(median <<<"$w1"); r2=$(median <<<"$w2"); rss1=$(max <<<"$k1"); rss2=$(max <<<"$k2")
  pair_ratio=$(median <<<"$ratios" | awk '{ printf "%.2f", $1 }')
}

# evtx_bench, `pairs` repetitions of one pass each for 1 and 2 threads, interleaved at random: sets $b1 and
# $b2 (median seconds per pass) and $brss (peak RSS of the process).
bench_pairs() {  # benchmark name, env assignment
  local log out; log=$(mktemp); out=$(mktemp)
  env "$2" /usr/bin/time -v "$bench" --benchmark_filter="$1/threads:[12]/" --benchmark_min_time=0 \
    --benchmark_repetitions="$pairs" --benchmark_enable_random_interleaving=true \
    --benchmark_report_aggregates_only=true >"$out" 2>"$log"
  b1=$(awk -v n="$1/threads:1/real_time_median" '$1 == n { print $2 / 1000; exit }' "$out")
  b2=$(awk -v n="$1/threads:2/real_time_median" '$1 == n { print $2 / 1000; exit }' "$out")
  brss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  rm -f "$log" "$out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

run_corpus() {  # name, path (file or folder), env assignment for evtx_bench
  local name=$1 path=$2 env=$3 bytes records files
  bytes=$(du -sb "$path" | cut -f1)
  files=$(find "$path" -name '*.evtx' | wc -l)
  # Every record in the files, as our reader counts them (evtxexport reads the same clean files).
  records=$(env "$env" "$bench" --benchmark_filter='BM_EvtxReadAll/threads:1/' --benchmark_min_time=0.01 2>/dev/null |
            awk '/^BM_/ { for (i = 1; i <= NF; i++) if ($i ~ /^records=/) { v = substr($i, 9); m = 1;
                   if (v ~ /k$/) m = 1e3; if (v ~ /M$/) m = 1e6; sub(/[kM]$/, "", v); printf "%.0f", v * m } }')
  echo "== $name: $files file(s), $((bytes / 1048576)) MiB, $records records"

  timed bash -c 'find "$0" -name "*.evtx" -print0 | sort -z | xargs -0 -n1 evtxexport -f xml' "$path"
  local theirs=$wall; row "evtxexport -f xml" "$bytes" "$records" "$wall" "$rss"
  replay_pairs "$path"
  row "ours: replay, 1 thread" "$bytes" "$records" "$r1" "$rss1"
  row "ours: replay, 2 threads" "$bytes" "$records" "$r2" "$rss2"
  local replay1=$r1 replay_ratio=$pair_ratio
  bench_pairs BM_EvtxReadAll "$env"
  row "ours: evtx_bench all, 1 thread" "$bytes" "$records" "$b1" "$brss"
  row "ours: evtx_bench all, 2 threads" "$bytes" "$records" "$b2" "$brss"
  local all1=$b1 all2=$b2
  bench_pairs BM_EvtxKerberosOnly "$env"
  row "ours: evtx_bench Kerberos, 1 thread" "$bytes" "$records" "$b1" "$brss"
  row "ours: evtx_bench Kerberos, 2 threads" "$bytes" "$records" "$b2" "$brss"
  echo "  single thread vs evtxexport (target >= 50x): replay $(ratio "$theirs" "$replay1")x," \
       "bench all $(ratio "$theirs" "$all1")x, bench Kerberos $(ratio "$theirs" "$b1")x"
  echo "  2 threads vs 1 (target >= 1.7x): replay $replay_ratio (median of $pairs pairs)," \
       "bench all $(ratio "$all1" "$all2"), bench Kerberos $(ratio "$b1" "$b2") (medians of $pairs passes)"
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run_corpus "shared samples" "$shared_dir" "KI_EVTX_BENCH_DIR=$shared_dir"
run_corpus "Kerberos-dense" "$dense" "KI_EVTX_BENCH_FILE=$dense"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
