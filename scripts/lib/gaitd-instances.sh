# Sourced by the clinic benchmarks (bench-clinic.sh, bench-push.sh): starts gaitd instances, each
# with its own data folder and loopback port, and stops them all at exit (before whatever the exit
# trap did already, e.g. stopping the throw-away PostgreSQL of throwaway-postgres.sh).
#
#   start_gaitd_instance BIN DATA_DIR [GAITD OPTIONS…]   # sets $instance_url and $instance_pid,
#                                                        # waits until it answers; log: DATA_DIR/gaitd.log
#   launch_gaitd_instance BIN DATA_DIR [GAITD OPTIONS…]  # the same without waiting (with
#                                                        # --http-port 0 among the options: no web server)
#   login_token URL USER PASSWORD                        # prints a bearer token
gaitd_instance_pids=()

_gaitd_previous_trap="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
stop_gaitd_instances() {
  local pid
  for pid in "${gaitd_instance_pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${gaitd_instance_pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  gaitd_instance_pids=()
}
trap "stop_gaitd_instances${_gaitd_previous_trap:+; $_gaitd_previous_trap}" EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

launch_gaitd_instance() {
  local bin="$1" data="$2" port=()
  shift 2
  mkdir -p "$data"
  case " $* " in
    *" --http-port "*) instance_url="" ;;
    *) port=(--http-port "$(free_port)"); instance_url="http://127.0.0.1:${port[1]}" ;;
  esac
  "$bin/gaitd" --data-dir "$data" --usb-watch polling --poll-interval-ms 60000 "${port[@]}" \
    --log-level warning "$@" > "$data/gaitd.log" 2>&1 &
  instance_pid=$!
  gaitd_instance_pids+=("$instance_pid")
}

start_gaitd_instance() {
  local data="$2"
  launch_gaitd_instance "$@"
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$instance_url/login" && return 0
    kill -0 "$instance_pid" 2> /dev/null || break
    sleep 0.1
  done
  echo "gaitd did not answer on $instance_url; its log ($data/gaitd.log):" >&2
  cat "$data/gaitd.log" >&2
  return 1
}

login_token() {
  curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"$3\"}" "$1/api/v1/tokens" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
