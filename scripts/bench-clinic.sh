#!/usr/bin/env bash
# The clinic's figures of issue 14 on this machine: a throw-away PostgreSQL filled with RUNNERS
# runners (default 100) × SESSIONS one-hour runs at 100 Hz each (default 200), then gaitd on it
# (`--store postgres://…`) and PHYSIOS physiotherapists (default 50), each logged in with their own
# token and granted RUNNERS_PER_PHYSIO runners (default: all), read it through wrk with
# CONNECTIONS connections (default 50) for SECONDS_EACH seconds (default 30): first the dashboard,
# then the runner reports (each request the next physiotherapist and one of their runners), each
# twice: starting uncached (WARM_REPORTS=false) or warmed since gaitd started (the default), then
# cached; then each a third time while a pain entry arrives every WRITE_INTERVAL_S seconds
# (default 1) for a random runner. Prints p50/p95/p99, requests/s and errors of each run, and the
# first answer of each page.
#
# The store: TEMPLATES one-hour sessions (default 4, different seeds and asymmetries) are simulated
# and imported with `gait import` (the real engine and inference), then `gait load-clinic` copies
# them for every runner. Raw samples and steps are copied only as far as DISK_BUDGET_GB allows
# (default: the free space of PG_FOLDER_PARENT, default /tmp, minus 10 GB); the loader prints what
# one session takes and how many copies carry steps and raw samples.
# PostgreSQL and gaitd stop at exit and their folders are removed. To measure again without
# loading again: HOLD=1 loads, prints the store's URL and keeps PostgreSQL running until
# interrupted; STORE_URL=that-URL then skips the loading and measures that store.
# Needs release builds (`swift build -c release`), Debian's postgresql and wrk.
# Usage: scripts/bench-clinic.sh   (or make bench-clinic)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${BIN:-.build/release}"
runners="${RUNNERS:-100}"
sessions="${SESSIONS:-200}"
templates="${TEMPLATES:-4}"
physios="${PHYSIOS:-50}"
runners_per_physio="${RUNNERS_PER_PHYSIO:-$runners}"
connections="${CONNECTIONS:-50}"
seconds="${SECONDS_EACH:-30}"
password="bench-password-1"
command -v wrk > /dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -q wrk > /dev/null; }

. "$root/scripts/lib/throwaway-postgres.sh"
. "$root/scripts/lib/gaitd-instances.sh"
work="$(mktemp -d)"
trap "stop_gaitd_instances; stop_postgres; rm -rf '$work'" EXIT

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%SZ)"
load_store() {
start_postgres backstride_clinic
free_gb=$(df -B1 --output=avail "$pg_folder" | tail -n 1 | awk '{printf "%.1f", $1 / 1e9}')
budget="${DISK_BUDGET_GB:-$(awk -v f="$free_gb" 'BEGIN { b = f - 10; if (b < 1) b = 1; printf "%.1f", b }')}"
echo "== store: PostgreSQL in $pg_folder ($free_gb GB free there; the copies may take $budget GB)"

start=$(date +%s)
for t in $(seq 1 "$templates"); do
  csv="$work/template-$t.csv"
  "$bin/gait" simulate --duration 3600 --seed $((1000 + t)) --step-time-asymmetry $((t * 3)) \
    --impact-asymmetry $((t * 4)) --impact-drift $((t * 5)) -o "$csv" > /dev/null 2>&1
  "$bin/gait" import "$csv" --runner "Runner 001" --database "$pg_url" > /dev/null
  rm -f "$csv" "$work/template-$t.truth.json"
done
echo "templates: $templates one-hour 100 Hz sessions simulated and imported ($(($(date +%s) - start)) s)"
echo "$password" | "$bin/gait" load-clinic --database "$pg_url" --runners "$runners" --sessions-per-runner "$sessions" \
  --disk-budget-gb "$budget" --physios "$physios" --runners-per-physio "$runners_per_physio"
pg_psql -c "SELECT 'rows: ' || (SELECT count(*) FROM session) || ' sessions, ' || (SELECT count(DISTINCT session_id) FROM raw_chunk)
  || ' with raw samples, ' || (SELECT count(*) FROM session_summary) || ' analysed, ' || (SELECT count(*) FROM flag) || ' flags, '
  || (SELECT count(*) FROM pain_log) || ' pain entries, ' || (SELECT count(*) FROM access_grant) || ' grants'"
}
if [ -n "${STORE_URL:-}" ]; then
  pg_url="$STORE_URL"
  echo "== store: $pg_url (loaded before)"
else
  load_store
fi
if [ -n "${HOLD:-}" ]; then
  echo "store ready (interrupt to stop it): STORE_URL='$pg_url'"
  while :; do sleep 3600; done
fi

# WARM_REPORTS=false: gaitd makes no report ahead of requests (warm_reports in gaitd.conf), so the
# first run measures a cold cache; by default it warms them from its start (ReportWarmer).
warm="${WARM_REPORTS:-true}"
printf 'warm_reports = %s\n' "$warm" > "$work/gaitd.conf"
start_gaitd_instance "$bin" "$work/clinic" --store "$pg_url" --config "$work/gaitd.conf"
echo "gaitd started (warm_reports = $warm)"
url="$instance_url"
requests_dashboard="$work/dashboard.requests"
requests_reports="$work/reports.requests"
: > "$requests_dashboard"
: > "$requests_reports"
sorts=(latest name warnings pain new)
for p in $(seq 1 "$physios"); do
  name=$(printf "physio%02d" "$p")
  token=$(login_token "$url" "$name" "$password")
  echo "$token /dashboard?sort=${sorts[$((p % 5))]}" >> "$requests_dashboard"
  pg_psql -c "SELECT g.runner_id FROM access_grant g JOIN account a ON a.id = g.physio_account_id WHERE a.username = '$name' ORDER BY 1" |
    while read -r runner; do echo "$token /runners/$runner/report"; done >> "$requests_reports"
done
echo "logged in: $physios physiotherapists; $(wc -l < "$requests_reports") (physiotherapist, runner) pairs"

first() {
  local token path
  read -r token path < <(head -n 1 "$1")
  curl -s -o /dev/null -w "%{http_code} in %{time_total} s, %{size_download} bytes" -H "Authorization: Bearer $token" "$url$path"
}
echo "first answer: dashboard $(first "$requests_dashboard"); a runner report $(first "$requests_reports")"

# Each page twice: the first run starts with nothing of it cached when WARM_REPORTS=false (every
# runner's report is made once per runner revision, so its first seconds measure making them), or
# with what gaitd has warmed since it started; the second measures the same load once all are made.
for page in dashboard reports; do
  first_run="first run, starting uncached"
  [ "$warm" = true ] && first_run="first run, gaitd warming the reports since its start"
  for pass in "$first_run" "second run, cached"; do
    echo "== $page ($pass): $connections connections, ${seconds} s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 30s -s scripts/lib/wrk-rotate.lua "$url" -- "$work/$page.requests" |
      sed -n '/^  latency/,$p'
  done
done
# A live clinic: pain entries arrive while the physiotherapists read. Every WRITE_INTERVAL_S
# seconds (default 1) psql, another process, adds a pain entry to one random runner's latest run;
# the store's triggers stamp that runner's revision, so that runner's report and dashboard row are
# made anew and the others stay cached.
interval="${WRITE_INTERVAL_S:-1}"
for page in dashboard reports; do
  (while :; do
    pg_psql -c "INSERT INTO pain_log (session_id, pain_score, note, recorded_at) SELECT id, 2, 'bench-clinic', now() FROM session
      WHERE runner_id = (SELECT id FROM runner ORDER BY random() LIMIT 1) ORDER BY started_at DESC NULLS LAST LIMIT 1"
    sleep "$interval"
  done) &
  writer=$!
  echo "== $page (third run, a pain entry every $interval s): $connections connections, ${seconds} s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 30s -s scripts/lib/wrk-rotate.lua "$url" -- "$work/$page.requests" |
    sed -n '/^  latency/,$p'
  kill "$writer"; wait "$writer" 2> /dev/null || true
done
echo "pain entries written during the third runs: $(pg_psql -c "SELECT count(*) FROM pain_log WHERE note = 'bench-clinic'")"
echo "== done at $(date -u +%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
