#!/usr/bin/env bash
# The push figure of issue 14 on this machine: a clinic gaitd on a throw-away PostgreSQL
# (`--store postgres://…`) and INSTANCES runners' gaitd instances (default 20), each with its own
# data folder holding one session of DURATION seconds at RATE Hz (default one hour at 1 kHz;
# simulated with its own seed and imported with `gait import`), paired with the clinic
# (`gait clinic pair` with a code from POST /api/v1/pairing-codes). Then all of them start at
# once and push; the script waits until the clinic holds every session, checks that each is
# stored once (rows by content hash and by runner) and that every gaitd counts it delivered, and
# prints the bytes pushed (the exported CSVs, as the gaitd logs say), the time from the start of
# the first gaitd to the last session stored, and MB/s.
# Needs release builds (`swift build -c release`) and Debian's postgresql.
# Usage: scripts/bench-push.sh   (or make bench-push; INSTANCES=… DURATION=… RATE=… to change it)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${BIN:-.build/release}"
instances="${INSTANCES:-20}"
duration="${DURATION:-3600}"
rate="${RATE:-1000}"
deadline_s="${DEADLINE_S:-1800}"
password="bench-password-1"

. "$root/scripts/lib/throwaway-postgres.sh"
. "$root/scripts/lib/gaitd-instances.sh"
work="$(mktemp -d)"
trap "stop_gaitd_instances; stop_postgres; rm -rf '$work'" EXIT

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%SZ)"
start_postgres backstride_push
echo "$password" | "$bin/gait" account add admin --role admin --database "$pg_url" > /dev/null

# Each runner's own store: one session, simulated with its own seed (so the clinic sees distinct sessions).
prepare() {
  local i="$1" dir="$work/runner-$1"
  mkdir -p "$dir"
  "$bin/gait" simulate --duration "$duration" --rate "$rate" --seed $((500 + i)) -o "$dir/run.csv" > /dev/null 2>&1
  "$bin/gait" import "$dir/run.csv" --runner "Runner $i" --database "$dir/backstride.sqlite" > /dev/null
  rm -f "$dir/run.csv" "$dir/run.truth.json"
}
start=$(date +%s)
for i in $(seq 1 "$instances"); do
  prepare "$i" &
  # Two at a time: one per core.
  if (( i % 2 == 0 )); then wait; fi
done
wait
echo "runners: $instances stores with one ${duration} s session at ${rate} Hz each ($(($(date +%s) - start)) s to simulate and import)"

start_gaitd_instance "$bin" "$work/clinic" --store "$pg_url"
clinic="$instance_url"
admin_token=$(login_token "$clinic" admin "$password")
for i in $(seq 1 "$instances"); do
  echo "$password-$i" | "$bin/gait" account add "runner$i" --role runner --runner "Runner $i" --database "$pg_url" > /dev/null
  runner_id=$(pg_psql -c "SELECT id FROM runner WHERE name = 'Runner $i'")
  code=$(curl -sf -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' -d "{\"runner_id\": $runner_id}" \
    "$clinic/api/v1/pairing-codes" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
  "$bin/gait" clinic pair "$clinic" "$code" --name "runner-$i" --data-dir "$work/runner-$i" > /dev/null
done
echo "paired: $instances devices"

echo "== push: $instances gaitd instances start at once, load average $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s.%N)
for i in $(seq 1 "$instances"); do
  launch_gaitd_instance "$bin" "$work/runner-$i" --http-port 0 --log-level info
done
stored=0
while (( $(echo "$(date +%s.%N) - $t0 < $deadline_s" | bc) )); do
  stored=$(pg_psql -c "SELECT count(*) FROM session")
  [ "$stored" -ge "$instances" ] && break
  sleep 0.2
done
t1=$(date +%s.%N)
echo "stored at the clinic: $stored of $instances sessions after $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s"
sleep 2  # the runners record the clinic's answer just after the clinic's commit
pg_psql -c "SELECT 'rows: ' || count(*) || ' sessions, ' || count(DISTINCT content_hash) || ' content hashes, '
  || count(DISTINCT runner_id) || ' runners, ' || (SELECT count(DISTINCT session_id) FROM raw_chunk) || ' with raw samples' FROM session"
duplicates=$(pg_psql -c "SELECT count(*) FROM (SELECT runner_id FROM session GROUP BY runner_id HAVING count(*) > 1) d")
bytes=0
delivered=0
for i in $(seq 1 "$instances"); do
  line=$(grep -h "delivered to" "$work/runner-$i/gaitd.log" | tail -n 1 || true)
  size=$(echo "$line" | sed -nE 's/.*\(([0-9]+) bytes\).*/\1/p')
  if [ -n "$size" ]; then bytes=$((bytes + size)); delivered=$((delivered + 1)); fi
done
elapsed=$(echo "$t1 - $t0" | bc)
echo "delivered (gaitd logs): $delivered of $instances; runners with more than one session at the clinic: $duplicates"
printf "pushed: %.1f MB of canonical CSV in %.1f s: %.1f MB/s (%.2f sessions/s), load average %s\n" \
  "$(echo "$bytes / 1000000" | bc -l)" "$elapsed" "$(echo "$bytes / 1000000 / $elapsed" | bc -l)" \
  "$(echo "$stored / $elapsed" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$stored" -ne "$instances" ] || [ "$duplicates" -ne 0 ] || [ "$delivered" -ne "$instances" ]; then
  echo "FAILED: not every session was stored exactly once and recorded delivered" >&2
  exit 1
fi
