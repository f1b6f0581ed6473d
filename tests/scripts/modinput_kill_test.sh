#!/usr/bin/env bash
# Spawns kerberos_events exactly as splunkd does (configuration XML on stdin, the event stream read from
# stdout, an arbitrary working folder) over a large generated JSON-lines input, and checks checkpoints
# across process deaths:
#   1. SIGKILL at random moments, restarted until a run finishes: no record lost, and a record is only
#      repeated within one batch (it was flushed but its checkpoint not yet written).
#   2. SIGTERM at random moments, restarted until done: no record lost and none repeated.
#   3. stdout closed by the reader (EPIPE): the run ends cleanly and the next run resumes without loss.
# Usage: modinput_kill_test.sh PATH_TO_kerberos_events   (exit 77 = skipped)
set -euo pipefail

BIN=${1:?usage: $0 path/to/kerberos_events}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to generate and check the stream"; exit 77; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RECORDS=${KI_KILL_TEST_RECORDS:-200000}
BATCH=500
export KI_BATCH_SIZE=$BATCH

mkdir -p "$WORK/logs" "$WORK/cwd"
python3 - "$WORK/logs" "$RECORDS" <<'PY'
import sys
folder, n = sys.argv[1], int(sys.argv[2])
# Two files, two DCs, so that checkpoints cover several files and (Computer, Channel) pairs.
for f, host in (("dc1.json", "dc1.corp.example"), ("dc2.json", "dc2.corp.example")):
    with open(f"{folder}/{f}", "w") as out:
        for i in range(1, n // 2 + 1):
            out.write('{"EventTime":"2024-03-01 10:%02d:%02d","Hostname":"%s","EventID":%d,'
                      '"SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","RecordNumber":%d,'
                      '"TargetUserName":"user%d@CORP.EXAMPLE","ServiceName":"cifs/fs%d.corp.example",'
                      '"TicketOptions":"0x40810000","TicketEncryptionType":"0x12","Status":"0x0",'
                      '"IpAddress":"::ffff:10.0.%d.%d","IpPort":"50000"}\n'
                      % (i // 60 % 60, i % 60, host, 4769 if i % 3 else 4768, i, i % 50, i % 9, i % 200, i % 250))
PY

config() {  # $1 = checkpoint folder
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<input>
  <server_host>sh1</server_host>
  <server_uri>https://127.0.0.1:8089</server_uri>
  <session_key>SESSIONKEYNOTTOBELOGGED</session_key>
  <checkpoint_dir>$1</checkpoint_dir>
  <configuration>
    <stanza name="kerberos_events://killtest">
      <param name="kind">json</param>
      <param name="path">$WORK/logs</param>
      <param name="event_ids">all</param>
    </stanza>
  </configuration>
</input>
XML
}

# Skip cleanly while the json source is not in this build.
head -n 1 "$WORK/logs/dc1.json" > "$WORK/probe.json"
if [ -z "$("$BIN" replay --kind json --event-ids all "$WORK/probe.json" 2>/dev/null)" ]; then
  echo "SKIP: this build cannot read JSON lines yet"
  exit 77
fi

# Checks the concatenated streams: every (host, EventRecordID) present; repeats allowed only within `batch`.
check() {  # $1 = output folder, $2 = max repeats allowed per run boundary (0 or batch), $3 = label
  python3 - "$1" "$RECORDS" "$2" "$3" <<'PY'
import glob, re, sys
folder, n, allowed, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
pat = re.compile(r'<host>([^<]*)</host>.*?<data>.*?&quot;EventRecordID&quot;:&quot;(\d+)|'
                 r'<host>([^<]*)</host>.*?<data>.*?"EventRecordID":"(\d+)"')
seen, repeats, runs = {}, 0, 0
worst = 0
for path in sorted(glob.glob(folder + "/out.*"), key=lambda p: int(p.rsplit(".", 1)[1])):
    runs += 1
    text = open(path, encoding="utf-8", errors="replace").read()
    this_run = 0
    for line in text.splitlines():
        if not line.startswith("<event") or not line.endswith("</event>"):
            continue  # a line cut by SIGKILL is not an event splunkd would index
        m = pat.search(line)
        if not m:
            print(f"{label}: unparsable event line: {line[:200]}"); sys.exit(1)
        host = m.group(1) or m.group(3); rid = int(m.group(2) or m.group(4))
        key = (host, rid)
        if key in seen:
            repeats += 1; this_run += 1
        seen[key] = seen.get(key, 0) + 1
    worst = max(worst, this_run)
expected = {(h, i) for h in ("dc1.corp.example", "dc2.corp.example") for i in range(1, n // 2 + 1)}
missing = expected - set(seen)
extra = set(seen) - expected
print(f"{label}: runs={runs} distinct={len(seen)} expected={len(expected)} repeats={repeats} "
      f"max_repeats_in_one_run={worst} allowed_per_run={allowed}")
if missing: print(f"{label}: {len(missing)} records lost, e.g. {sorted(missing)[:5]}"); sys.exit(1)
if extra: print(f"{label}: unexpected records {sorted(extra)[:5]}"); sys.exit(1)
if worst > allowed: print(f"{label}: a restart repeated more than one batch"); sys.exit(1)
PY
}

# One scenario: run, kill with $1 after a random delay, repeat until a run exits by itself.
scenario() {  # $1 = signal, $2 = label
  local ck="$WORK/ck.$2" out="$WORK/out.$2"
  mkdir -p "$ck" "$out"
  local run=0 done=0
  while [ $done -eq 0 ]; do
    run=$((run + 1))
    [ $run -gt 400 ] && { echo "$2: not finished after 400 runs"; return 1; }
    (cd "$WORK/cwd" && exec "$BIN" < <(config "$ck") > "$out/out.$run" 2> "$out/err.$run") &
    local pid=$!
    # splunkd signals the input itself, not a shell about to start it: wait for the exec.
    for _ in $(seq 200); do
      [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$BIN" ] && break
      kill -0 $pid 2>/dev/null || break
      sleep 0.005
    done
    # Random delay between 5 and 150 ms: lands before, inside and between batches and checkpoint writes.
    sleep "0.$(printf '%03d' $((RANDOM % 146 + 5)))"
    if kill -0 $pid 2>/dev/null; then kill -"$1" $pid 2>/dev/null || true; fi
    local rc=0
    { wait $pid; } 2>/dev/null || rc=$?
    if [ "$rc" -eq 0 ] && grep -q "INFO run finished" "$out/err.$run"; then done=1; fi
    if [ "$1" = TERM ] && [ "$rc" -ne 0 ]; then
      # Only acceptable before the input had started at all (signal before its handler was installed).
      if [ -s "$out/err.$run" ] || [ -s "$out/out.$run" ]; then
        echo "$2: SIGTERM run exited with $rc"; cat "$out/err.$run"; return 1
      fi
    fi
    if grep -q SESSIONKEYNOTTOBELOGGED "$out/err.$run" "$out/out.$run"; then echo "$2: session key leaked"; return 1; fi
  done
  # A SIGTERM run ends its stream properly.
  if [ "$1" = TERM ]; then
    for f in "$out"/out.*; do
      [ -s "$f" ] && ! tail -n 1 "$f" | grep -q '^</stream>$' && { echo "$2: $f does not end with </stream>"; return 1; }
    done
  fi
  echo "$2: finished after $run runs"
}

scenario KILL kill
check "$WORK/out.kill" "$BATCH" "SIGKILL"
scenario TERM term
check "$WORK/out.term" 0 "SIGTERM"

# EPIPE: the reader goes away after a few events; the run must end cleanly (no crash by SIGPIPE).
ck="$WORK/ck.pipe"; out="$WORK/out.pipe"; mkdir -p "$ck" "$out"
set +o pipefail
(cd "$WORK/cwd" && "$BIN" < <(config "$ck") 2> "$out/err.1" | head -c 100000 > "$out/out.1")
set -o pipefail
grep -q "stdout closed" "$out/err.1" || { echo "EPIPE: no clean stop logged"; cat "$out/err.1"; exit 1; }
(cd "$WORK/cwd" && "$BIN" < <(config "$ck") > "$out/out.2" 2> "$out/err.2")
check "$out" "$BATCH" "EPIPE"
echo "PASS"
