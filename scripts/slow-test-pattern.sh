#!/usr/bin/env bash
# Prints a regular expression that matches the IDs (TARGET.TYPE) of the test suites tagged
# `.slow`, for `swift test --skip`: swift-testing 6.3 filters by test ID, not by tag
# (`--skip tag:slow` skips nothing). The tag goes on a suite's `@Suite(...)` attribute; the
# first type declared after it is the suite.
set -euo pipefail
cd "$(dirname "$0")/.."

pattern=$(for file in Tests/*/*.swift; do
  awk -v target="$(basename "$(dirname "$file")")" '
    /^[[:space:]]*@Suite/ { inSuite = 1; slow = 0 }
    inSuite && /\.tags\(.*\.slow/ { slow = 1 }
    inSuite && match($0, /(struct|class|enum|actor)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*/) {
      if (slow) { split(substr($0, RSTART, RLENGTH), words, /[[:space:]]+/); print target "\\." words[2] }
      inSuite = 0
    }' "$file"
done | paste -sd'|' -)
# An empty pattern would match every test and skip the whole suite.
[ -n "$pattern" ] || { echo "slow-test-pattern: no suite under Tests/ is tagged .slow" >&2; exit 1; }
echo "$pattern"
