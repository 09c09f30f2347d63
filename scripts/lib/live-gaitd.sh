# Sourced by the scripts that run a real gaitd on a fresh store (api-conformance.sh, bench-web.sh).
# Sets $work (a temporary folder removed at exit, with gaitd stopped) and $db (its store); after
# the caller fills the store, `start_gaitd BIN` starts gaitd on a free loopback port, sets $url and
# waits until it answers; `api_token USER PASSWORD` logs in and prints a bearer token.
work="$(mktemp -d)"
gaitd_pid=""
cleanup() {
  [ -n "$gaitd_pid" ] && kill "$gaitd_pid" 2>/dev/null && wait "$gaitd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/data"
db="$work/data/backstride.sqlite"

start_gaitd() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$1/gaitd" --data-dir "$work/data" --usb-watch polling --poll-interval-ms 60000 --http-port "$port" \
    --log-level warning > "$work/gaitd.log" 2>&1 &
  gaitd_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$url/login" && return 0
    sleep 0.1
  done
  echo "gaitd did not answer on $url; its log:" >&2
  cat "$work/gaitd.log" >&2
  return 1
}

api_token() {
  curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$url/api/v1/tokens" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
