#!/usr/bin/env bash
# End-to-end throughput of the modular input as splunkd runs it, on two inputs of at least 1 GB each:
# - JSON lines: the Kerberos lines of the NXLog sample beside the project (../shared/data/json);
# - rendered XML: every well-formed <Event> of ../shared/data/xml and of the project's tests/fixtures/xml.
# Each copy of an event gets a new record number (RecordNumber / EventRecordID), so none is a duplicate;
# the numbers run on per log (computer and channel), as in a real log.
# For each input, `kerberos_events` runs twice with a run configuration on stdin and stdout to /dev/null
# under /usr/bin/time -v: with threads=1, whose events/s per CPU second (user + sys, the figure that holds
# on a busy machine) is the per-core figure, and with threads = the number of cores, for the wall-clock
# rate. It prints events/s per CPU second and per wall second, MB/s of input, and the peak RSS.
# Usage: benchmarks/stream_bench.sh [path/to/kerberos_events] [size_in_MB] [json|xml|both]
#        KI_STREAM_BASELINE=path/to/other/kerberos_events [KI_STREAM_RUNS=8] benchmarks/stream_bench.sh ...
# Targets (docs/performance.md): >= 200,000 events/s per core, peak RSS < 64 MiB.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/modinput/kerberos_events}
SIZE_MB=${2:-1024}
FORMS=${3:-both}
DATA=${KI_SHARED_DATA:-$ROOT/../shared/data}
SAMPLE=$DATA/json/otrf_nxlog_security_sample.jsonl
CORPUS=$ROOT/benchmarks/corpus   # ignored by git
[ -x "$BIN" ] || { echo "kerberos_events not found at $BIN (build it, or pass its path)"; exit 1; }
[ -f "$SAMPLE" ] || { echo "sample not found: $SAMPLE (set KI_SHARED_DATA)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed for the peak RSS"; exit 1; }
mkdir -p "$CORPUS"

build_json() {  # $1 = output file
  echo "building $1 from the Kerberos lines of $(basename "$SAMPLE") ..."
  python3 - "$SAMPLE" "$1" "$SIZE_MB" <<'PY'
import json, sys
sample, target, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = []
for line in open(sample, encoding="utf-8"):
    try:
        rec = json.loads(line)
    except ValueError:
        continue
    if int(rec.get("EventID", 0)) in (4768, 4769, 4770, 4771, 4772, 4773):
        lines.append(rec)
# One counter per Hostname, as each domain controller numbers its own log (a single counter shared by all
# hosts would leave every host's numbers full of gaps, which no real log has).
limit, written, records = size_mb * 1024 * 1024, 0, {}
with open(target, "w", encoding="utf-8") as out:
    while written < limit:
        for rec in lines:
            key = rec.get("Hostname", "")
            records[key] = records.get(key, 0) + 1
            rec["RecordNumber"] = records[key]
            text = json.dumps(rec, separators=(",", ":")) + "\n"
            out.write(text)
            written += len(text.encode("utf-8"))
PY
}

build_xml() {  # $1 = output file
  echo "building $1 from the rendered events of the samples and tests/fixtures/xml ..."
  python3 - "$1" "$SIZE_MB" "$DATA"/xml/*.xml "$ROOT"/tests/fixtures/xml/*.xml <<'PY'
import re, sys
target, size_mb, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
event_re = re.compile(rb"<Event[\s>].*?</Event>", re.S)
events = []
for path in files:
    data = open(path, "rb").read()
    for m in event_re.finditer(data):
        text = m.group(0)
        # Only events that are whole and well formed: the fixtures of damaged input are not a workload.
        if re.search(rb"<Event[\s>]", text[1:]) or b"<EventRecordID>" not in text:
            continue
        try:
            text.decode("utf-8")
        except UnicodeDecodeError:
            continue
        events.append(text)
if not events:
    sys.exit("no events found")
# One counter per (Computer, Channel), as Windows numbers each log's records: each log stays one run of IDs.
limit, written, records = size_mb * 1024 * 1024, 0, {}
with open(target, "wb") as out:
    out.write(b"<Events>\n")
    while written < limit:
        for text in events:
            computer = re.search(rb"<Computer>(.*?)</Computer>", text)
            channel = re.search(rb"<Channel>(.*?)</Channel>", text)
            key = (computer.group(1) if computer else b"", channel.group(1) if channel else b"")
            records[key] = records.get(key, 0) + 1
            text = re.sub(rb"<EventRecordID>\d*</EventRecordID>",
                          b"<EventRecordID>%d</EventRecordID>" % records[key], text, count=1)
            out.write(text + b"\n")
            written += len(text) + 1
    out.write(b"</Events>\n")
PY
}

measure() {  # $1 = kind (json|xml), $2 = input file, $3 = threads, $4 = binary (default: BIN)
  local kind=$1 input=$2 threads=$3 bin=${4:-$BIN} work
  work=$(mktemp -d)
  cat > "$work/input.xml" <<XML
<input><server_host>bench</server_host><server_uri>https://127.0.0.1:8089</server_uri>
<session_key>x</session_key><checkpoint_dir>$work/checkpoints</checkpoint_dir><configuration>
<stanza name="kerberos_events://bench"><param name="kind">$kind</param><param name="path">$input</param>
<param name="threads">$threads</param></stanza></configuration></input>
XML
  /usr/bin/time -v "$bin" < "$work/input.xml" > /dev/null 2> "$work/err"
  local summary events wall user sys rss
  summary=$(grep 'INFO file=' "$work/err" | tail -n 1)
  events=$(sed -n 's/.* emitted=\([0-9]*\).*/\1/p' <<<"$summary")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err")
  user=$(sed -n 's/.*User time (seconds): //p' "$work/err")
  sys=$(sed -n 's/.*System time (seconds): //p' "$work/err")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/err")
  rm -rf "$work"
  python3 - "$kind, $threads thread(s)" "$events" "$wall" "$user" "$sys" "$rss" "$(stat -c %s "$input")" <<'PY'
import sys
kind, events, wall, user, sys_, rss, size = sys.argv[1:]
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(user) + float(sys_)
events, mb = int(events), int(size) / 1e6
print(f"[{kind}] input     {mb:,.0f} MB, {events:,} events sent")
print(f"[{kind}] cpu       {cpu:.2f} s (user {float(user):.2f} + sys {float(sys_):.2f}) -> "
      f"{events / cpu:,.0f} events/s per core, {mb / cpu:,.1f} MB/s per core")
print(f"[{kind}] wall      {secs:.2f} s -> {events / secs:,.0f} events/s, {mb / secs:,.1f} MB/s")
print(f"[{kind}] peak RSS  {int(rss) / 1024:.1f} MiB")
PY
}

# With KI_STREAM_BASELINE (another kerberos_events), KI_STREAM_RUNS (default 8) alternating 1-thread runs
# of the baseline and the binary, then the medians: the machine's speed drifts by a fifth from minute to
# minute, so one run of each compares less than the median of many pairs.
compare() {  # $1 = kind, $2 = input file
  local kind=$1 input=$2 runs=${KI_STREAM_RUNS:-8} rates=""
  cat "$input" > /dev/null  # a warm page cache for every run
  for _ in $(seq "$runs"); do
    for bin in "$KI_STREAM_BASELINE" "$BIN"; do
      rates+="$(measure "$kind" "$input" 1 "$bin" | sed -n 's/.*-> \([0-9,]*\) events\/s per core.*/\1/p' | tr -d ,) "
    done
  done
  python3 - "$kind" $rates <<'PY'
import statistics, sys
kind, rates = sys.argv[1], [int(r) for r in sys.argv[2:]]
base, ours = rates[0::2], rates[1::2]
print(f"[{kind}] baseline, 1 thread, events/s per core: {' '.join(f'{r:,}' for r in base)}")
print(f"[{kind}] this,     1 thread, events/s per core: {' '.join(f'{r:,}' for r in ours)}")
print(f"[{kind}] medians: baseline {statistics.median(base):,.0f}, this {statistics.median(ours):,.0f}; "
      f"median ratio of the pairs {statistics.median(o / b for b, o in zip(base, ours)):.2f}")
PY
}

run_form() {  # $1 = kind, $2 = input file
  if [ -n "${KI_STREAM_BASELINE:-}" ]; then
    compare "$1" "$2"
  else
    measure "$1" "$2" 1
    measure "$1" "$2" "$(nproc)"
  fi
}

if [ "$FORMS" = json ] || [ "$FORMS" = both ]; then
  INPUT=$CORPUS/nxlog_${SIZE_MB}MB_per_host.jsonl  # renamed when the numbering became per host
  [ -s "$INPUT" ] || build_json "$INPUT"
  run_form json "$INPUT"
fi
if [ "$FORMS" = xml ] || [ "$FORMS" = both ]; then
  INPUT=$CORPUS/rendered_${SIZE_MB}MB_per_log.xml  # renamed when the numbering became per log
  [ -s "$INPUT" ] || build_xml "$INPUT"
  run_form xml "$INPUT"
fi
