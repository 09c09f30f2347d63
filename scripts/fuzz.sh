#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (release, address sanitizer, coverage) and runs each for
# FUZZ_SECONDS (default 60) from its seed corpus in Fuzz/Corpus/<name>; the inputs it finds go to
# .build-fuzz/work/<name> (not committed). Each target first replays Fuzz/Regressions/<name>, the
# inputs that once crashed or hung. A crash, a sanitizer report, an input slower than 2 s or a
# run over 2 GiB stops it with the input written to .build-fuzz/artifacts, and this script fails.
# FUZZ_RUNS=N runs N inputs per target instead of a time (with FUZZ_SEED fixed, the same inputs
# every time: CI uses that, so its verdict does not depend on luck or on the machine's speed).
# Usage: scripts/fuzz.sh [TARGET...]   (targets: FuzzCSV FuzzClipSession FuzzFrames FuzzWatch)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-60}"
runs="${FUZZ_RUNS:-}"
seed="${FUZZ_SEED:-0}"   # 0: libFuzzer picks one
work="${FUZZ_WORK:-$root/.build-fuzz/work}"   # where found inputs accumulate between runs
if [ -n "$runs" ]; then budget=(-runs="$runs"); else budget=(-max_total_time="$seconds"); fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzCSV FuzzClipSession FuzzFrames FuzzWatch)
declare -A corpus=([FuzzCSV]=csv [FuzzClipSession]=bsession [FuzzFrames]=frames [FuzzWatch]=watch)
for target in "${targets[@]}"; do
  # SwiftPM's --sanitize fuzzer links libFuzzer's main; -sanitize=fuzzer on every module is what
  # instruments the parsers for coverage (without it libFuzzer sees no coverage at all).
  swift build -c release --package-path Fuzz --scratch-path .build-fuzz --sanitize fuzzer --sanitize address \
    -Xswiftc -sanitize=fuzzer,address --product "$target"
done
mkdir -p .build-fuzz/artifacts
for target in "${targets[@]}"; do
  name="${corpus[$target]}"
  binary="$root/.build-fuzz/release/$target"
  mkdir -p "$work/$name"
  if compgen -G "Fuzz/Regressions/$name/*" > /dev/null; then
    echo "== $target: replaying Fuzz/Regressions/$name"
    (cd .build-fuzz/artifacts && "$binary" -timeout=2 -rss_limit_mb=2048 "$root"/Fuzz/Regressions/"$name"/*)
  fi
  if [ -n "$runs" ]; then echo "== $target: fuzzing $runs inputs (seed $seed)"; else echo "== $target: fuzzing for $seconds s (seed $seed)"; fi
  log="$root/.build-fuzz/$target.log"
  status=0
  (cd .build-fuzz/artifacts && "$binary" "$work/$name" "$root/Fuzz/Corpus/$name" \
    "${budget[@]}" -seed="$seed" -timeout=2 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1) > "$log" 2>&1 || status=$?
  grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Test unit written|Swift runtime failure|Fatal error" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "fuzz: $target failed (exit $status); the input is in .build-fuzz/artifacts" >&2
    exit 1
  fi
done
