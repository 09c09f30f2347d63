# Sourced by the scripts that run a real gaitd on a fresh store (api-conformance.sh, bench-web.sh).
# Sets $work (a temporary folder removed at exit, with gaitd stopped) and $db (its store); after
# the caller fills the store, `start_gaitd BIN` starts gaitd on a free loopback port, sets $url and
# waits until it answers (log: $work/data/gaitd.log); `api_token USER PASSWORD` logs in and prints a
# bearer token. Built on gaitd-instances.sh (the clinic benchmarks' helpers).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/gaitd-instances.sh"  # its trap stops gaitd before the folder goes
mkdir -p "$work/data"
db="$work/data/backstride.sqlite"

start_gaitd() {
  start_gaitd_instance "$1" "$work/data" || return 1
  url="$instance_url"
}

api_token() {
  login_token "$url" "$1" "$2"
}
