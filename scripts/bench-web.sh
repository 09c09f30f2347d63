#!/usr/bin/env bash
# Load on the web server as a clinic meets it: RUNNERS runners (default 5) with SESSIONS one-hour
# runs each at 100 Hz (default 4), every runner granted to one physiotherapist, then wrk with
# CONNECTIONS concurrent clients (default 50) for SECONDS each (default 15) on the dashboard, a
# session report, a runner report and a session's API document. Prints wrk's latency
# percentiles (p50, p90, p99) and the request rate of each, and any non-2xx/3xx answer.
# Needs release builds of gait and gaitd (`swift build -c release`) and wrk (installed if missing).
# Usage: scripts/bench-web.sh   (RUNNERS=… SESSIONS=… CONNECTIONS=… SECONDS=… to change the load)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${BIN:-.build/release}"
runners="${RUNNERS:-5}"
sessions="${SESSIONS:-4}"
connections="${CONNECTIONS:-50}"
seconds="${SECONDS_EACH:-15}"
command -v wrk > /dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -q wrk > /dev/null; }

. "$root/scripts/lib/live-gaitd.sh"
password="bench-password-1"
echo "$password" | "$bin/gait" account add physio --role physio --database "$db" > /dev/null
for r in $(seq 1 "$runners"); do
  for s in $(seq 1 "$sessions"); do
    "$bin/gait" simulate --duration 3600 --seed $((r * 100 + s)) -o "$work/run-$r-$s.csv" > /dev/null 2>&1
    "$bin/gait" import "$work/run-$r-$s.csv" --runner "Runner $r" --database "$db" > /dev/null
    rm -f "$work/run-$r-$s.csv" "$work/run-$r-$s.truth.json"
  done
  "$bin/gait" account grant --runner "Runner $r" --physio physio --database "$db" > /dev/null
done
echo "store: $runners runners × $sessions one-hour sessions ($(du -h "$db" | cut -f1))"

start_gaitd "$bin"
token=$(api_token physio "$password")

for path in /dashboard /sessions/1/report /runners/1/report /api/v1/sessions/1; do
  echo "== $path: $connections connections, $seconds s"
  wrk -t 2 -c "$connections" -d "${seconds}s" --latency -H "Authorization: Bearer $token" "$url$path" |
    grep -E "^\s+(50|90|99)%|Requests/sec|Non-2xx|Socket errors"
done
