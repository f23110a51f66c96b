#!/usr/bin/env bash
# Long coverage-guided fuzzing runs (atheris/libFuzzer). Usage: scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags]
#   TARGET: mime | unpack | pages | intent | wecom | all
# The corpus grows in fuzz/corpus/TARGET (git-ignored; seeds are generated on first run); crashes are written
# to fuzz/crashes/TARGET-crash-* — copy each into tests/fuzz/crashes/ as a regression and fix the code.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}; secs=${2:-600}; shift 2 || true
targets=$target; [ "$target" = all ] && targets="mime unpack pages intent wecom"
mkdir -p fuzz/crashes
for t in $targets; do
  echo "== fuzzing $t for ${secs}s"
  .venv/bin/python "fuzz/fuzz_$t.py" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 \
      -artifact_prefix="fuzz/crashes/$t-" "$@" "fuzz/corpus/$t"
done
