#!/usr/bin/env bash
# Runs schemathesis (PyPI) against Docs/openapi.yaml on a live gaitd: every documented route and
# method, generated valid and invalid requests, as a runner and as a physiotherapist. Fails on any
# 5xx, a status code or content type the document does not list, or a body that does not match
# its schema. The store is a fresh one with two imported sessions, a runner, a physiotherapist
# with access and one without.
# Usage: scripts/api-conformance.sh [BUILD_DIR]   (default .build/debug; `make api-conformance`)
# SCHEMATHESIS_EXAMPLES (default 60) sets the examples per operation.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${1:-.build/debug}"
examples="${SCHEMATHESIS_EXAMPLES:-60}"
venv="$root/.build-schemathesis"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi

. "$root/scripts/lib/live-gaitd.sh"
"$bin/gait" import SampleData/synthetic/asymmetric-run-random-mount.csv --runner Ann --database "$db" > /dev/null
"$bin/gait" import SampleData/real/mobgap_HA001_Test5_Trial1.csv --runner Ann --database "$db" > /dev/null
password="conformance-pass-1"
echo "$password" | "$bin/gait" account add ann --role runner --runner Ann --database "$db" > /dev/null
echo "$password" | "$bin/gait" account add physio --role physio --database "$db" > /dev/null
echo "$password" | "$bin/gait" account add other --role physio --database "$db" > /dev/null
"$bin/gait" account grant --runner Ann --physio physio --database "$db" > /dev/null
start_gaitd "$bin"
token() { api_token "$1" "$password"; }

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
run() {
  "$venv/bin/schemathesis" run Docs/openapi.yaml --url "$url" --checks "$checks" \
    --max-examples "$examples" --seed 1 --workers 1 "$@" || status=$?
}
# Both tokens first: the runs' wrong passwords (POST /account/password) lock the address out of
# logging in for a while, as the document says they do.
ann_token="$(token ann)"
physio_token="$(token physio)"
status=0
for user in ann physio; do
  echo "== schemathesis as $user ($examples examples per operation)"
  token_var="${user}_token"
  run -H "Authorization: Bearer ${!token_var}" --exclude-path-regex '(/tokens|/logout-everywhere)$'
done
# Logging in and out last: these end the caller's logins.
# Logging in and out last, each logout with a token of its own: the first success ends the
# caller's login, and every later request of that run answers 401, as the document says.
echo "== schemathesis: logging in"
run --include-name 'POST /api/v1/tokens'
echo "== schemathesis: logging out (physio's token)"
run -H "Authorization: Bearer $physio_token" --include-name 'DELETE /api/v1/tokens'
echo "== schemathesis: logging out everywhere (ann's token)"
run -H "Authorization: Bearer $ann_token" --include-name 'POST /api/v1/account/logout-everywhere'
if [ "$status" -ne 0 ]; then
  echo "api-conformance: schemathesis found responses that do not match Docs/openapi.yaml (above); gaitd's log:" >&2
  tail -n 30 "$work/data/gaitd.log" >&2
fi
exit "$status"
