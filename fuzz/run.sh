#!/usr/bin/env bash
# Fuzz every target for a bounded time (default 15 s each), or, in CI, a fixed number of runs.
#
#   bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   explore: a new random seed each time
#   bash fuzz/run.sh ci [TARGET...]                      CI: seed 1 and a fixed number of runs per
#                                                        target (about 15 s each), so that the same
#                                                        commit gets the same verdict every time
#
# Seeds come from fuzz/corpus/TARGET/ (kept in the repository); new inputs the fuzzer finds go
# to a temporary folder (KEEP_CORPUS=1 merges them into fuzz/corpus/TARGET/).  A crash is
# written to fuzz/crashes/TARGET/ -- keep it: tests/test_fuzz.py replays every file there --
# and the script exits 1.  Prints one line per target: executions, seconds, crashes.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
shift || true
declare -A ci_runs=([decode]=150000 [html]=6000 [pdf]=2000 [markdown]=1500 [jsonld]=300000)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decode html pdf markdown jsonld)
python=${PYTHON:-.venv/bin/python}
status=0
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/crashes/$target"
  work=$(mktemp -d)
  log=$(mktemp)
  before=$(ls "fuzz/crashes/$target" | wc -l)
  if [ "$seconds" = ci ]; then
    budget=(-seed=1 -runs="${ci_runs[$target]}" -max_total_time=300)
  else
    budget=(-max_total_time="$seconds")
  fi
  started=$SECONDS
  "$python" fuzz/fuzz.py "$target" "$work" "fuzz/corpus/$target" \
    "${budget[@]}" -timeout=30 -rss_limit_mb=3072 -max_len=65536 \
    -artifact_prefix="fuzz/crashes/$target/" -print_final_stats=1 >"$log" 2>&1
  code=$?
  took=$((SECONDS - started))
  after=$(ls "fuzz/crashes/$target" | wc -l)
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  echo "fuzz $target: ${runs:-?} executions in ${took} s, $((after - before)) new crashes, exit $code"
  if [ "$code" -ne 0 ] || [ "$after" -ne "$before" ]; then
    status=1
    grep -E "Traceback|Error|AssertionError|==ERROR|SUMMARY" "$log" | head -20
  fi
  if [ "${KEEP_CORPUS:-0}" = 1 ]; then
    "$python" fuzz/fuzz.py "$target" -merge=1 "fuzz/corpus/$target" "$work" >/dev/null 2>&1
  fi
  rm -rf "$work" "$log"
done
exit $status
