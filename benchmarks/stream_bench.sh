#!/usr/bin/env bash
# End-to-end throughput of the modular input as splunkd runs it: builds a JSON-lines input of at least
# 1 GB from the NXLog sample beside the project (../shared/data), runs `kerberos_events` with a run
# configuration on stdin and stdout to /dev/null, and reports events/s (wall and per CPU second) and the
# peak RSS measured by /usr/bin/time -v.
# Usage: benchmarks/stream_bench.sh [path/to/kerberos_events] [size_in_MB]
# Targets (docs/performance.md): >= 200,000 events/s per core, peak RSS < 64 MiB.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/modinput/kerberos_events}
SIZE_MB=${2:-1024}
SAMPLE=${KI_SHARED_DATA:-$ROOT/../shared/data}/json/otrf_nxlog_security_sample.jsonl
CORPUS=$ROOT/benchmarks/corpus   # ignored by git
[ -x "$BIN" ] || { echo "kerberos_events not found at $BIN (build it, or pass its path)"; exit 1; }
[ -f "$SAMPLE" ] || { echo "sample not found: $SAMPLE (set KI_SHARED_DATA)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed for the peak RSS"; exit 1; }
mkdir -p "$CORPUS"
INPUT=$CORPUS/nxlog_${SIZE_MB}MB.jsonl

if [ ! -s "$INPUT" ]; then
  echo "building $INPUT from the Kerberos lines of $(basename "$SAMPLE") ..."
  # Only the Kerberos events are repeated, each copy with a new RecordNumber so none is a duplicate.
  python3 - "$SAMPLE" "$INPUT" "$SIZE_MB" <<'PY'
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
limit, written, record = size_mb * 1024 * 1024, 0, 1
with open(target, "w", encoding="utf-8") as out:
    while written < limit:
        for rec in lines:
            rec["RecordNumber"] = record
            record += 1
            text = json.dumps(rec, separators=(",", ":")) + "\n"
            out.write(text)
            written += len(text.encode("utf-8"))
PY
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/input.xml" <<XML
<input><server_host>bench</server_host><server_uri>https://127.0.0.1:8089</server_uri>
<session_key>x</session_key><checkpoint_dir>$WORK/checkpoints</checkpoint_dir><configuration>
<stanza name="kerberos_events://bench"><param name="kind">json</param><param name="path">$INPUT</param>
</stanza></configuration></input>
XML
/usr/bin/time -v "$BIN" < "$WORK/input.xml" > /dev/null 2> "$WORK/err"
summary=$(grep 'INFO file=' "$WORK/err" | tail -n 1)
events=$(sed -n 's/.* emitted=\([0-9]*\).*/\1/p' <<<"$summary")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/err")
user=$(sed -n 's/.*User time (seconds): //p' "$WORK/err")
sys=$(sed -n 's/.*System time (seconds): //p' "$WORK/err")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/err")
python3 - "$events" "$wall" "$user" "$sys" "$rss" "$(stat -c %s "$INPUT")" <<'PY'
import sys
events, wall, user, sys_, rss, size = sys.argv[1:]
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(user) + float(sys_)
events = int(events)
print(f"input       {int(size) / 1e6:,.0f} MB, {events:,} events sent")
print(f"wall        {secs:.2f} s  -> {events / secs:,.0f} events/s, {int(size) / 1e6 / secs:,.1f} MB/s")
print(f"cpu         {cpu:.2f} s  -> {events / cpu:,.0f} events/s per core")
print(f"peak RSS    {int(rss) / 1024:.1f} MiB")
PY
