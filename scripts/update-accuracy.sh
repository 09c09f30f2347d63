#!/usr/bin/env bash
# Regenerates the README's accuracy section (between <!-- accuracy:begin --> and
# <!-- accuracy:end -->) and Docs/accuracy.html from `gait validate` on every data set the project
# has: the synthetic validation set (written afresh into a temporary folder), SampleData/real and
# SampleData/realrun. Usage: scripts/update-accuracy.sh [path/to/gait] (default: the release build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
gait="$(cd "$root" && realpath "${1:-.build/release/gait}")"
readme="$root/README.md"
grep -q '^<!-- accuracy:begin -->$' "$readme" && grep -q '^<!-- accuracy:end -->$' "$readme" \
  || { echo "update-accuracy: README.md lacks the <!-- accuracy:begin --> / <!-- accuracy:end --> markers" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Run from the temporary folder, with SampleData linked into it, so the report names the data sets
# `synthetic`, `SampleData/real` and `SampleData/realrun` rather than temporary paths.
ln -s "$root/SampleData" "$work/SampleData"
cd "$work"
"$gait" simulate --validation-set synthetic
"$gait" validate synthetic SampleData/real SampleData/realrun --markdown accuracy.md --html "$root/Docs/accuracy.html" > /dev/null

awk -v block="accuracy.md" '
  /^<!-- accuracy:begin -->$/ { print; while ((getline line < block) > 0) print line; skip = 1; next }
  /^<!-- accuracy:end -->$/ { skip = 0 }
  !skip { print }
' "$readme" > README.new
cat README.new > "$readme"
echo "updated README.md (accuracy section) and Docs/accuracy.html" >&2
