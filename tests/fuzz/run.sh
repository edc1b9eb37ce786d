#!/bin/sh
# run.sh BUILD SECONDS HARNESS... — runs each libFuzzer harness BUILD/fuzz/fuzz_H
# for SECONDS, starting from its seed corpus tests/fuzz/corpus/H/ (read only)
# and the inputs earlier runs found (BUILD/corpus/H/, where new ones go), with
# the dictionary tests/fuzz/H.dict when there is one. A crash, leak, timeout or
# violated property leaves its input in BUILD/crashes/H/ and fails the run;
# tests/fuzz/README.md says how to turn it into a regression test.
# Ends with one line per harness and "N passed, N failed".
# With FUZZ_RUNS=N set (CI), each harness instead runs exactly N inputs from a
# fixed seed, so that a run is repeatable: CI finds what a developer finds.
build=$1; seconds=$2; shift 2
passed=0; failed=0
for h in "$@"; do
  corpus=$build/corpus/$h; crashes=$build/crashes/$h; log=$build/fuzz_$h.log
  mkdir -p "$corpus" "$crashes"
  dict=""; [ -f "tests/fuzz/$h.dict" ] && dict="-dict=tests/fuzz/$h.dict"
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: 2 GiB is a leak or
  # a runaway allocation, not a parser's business.
  limit="-max_total_time=$seconds"
  [ -n "${FUZZ_RUNS:-}" ] && limit="-runs=$FUZZ_RUNS -seed=1"
  # shellcheck disable=SC2086 # $limit and $dict are lists of flags
  "$build/fuzz/fuzz_$h" $limit -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" $dict \
    "$corpus" "tests/fuzz/corpus/$h" > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    printf '%-24s ok   %s runs\n' "$h" "${runs:-?}"
  else
    failed=$((failed + 1))
    printf '%-24s FAIL (log %s, inputs in %s)\n' "$h" "$log" "$crashes"
    grep -E 'ERROR|SUMMARY|violated|internal error' "$log" | head -5
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
