#!/bin/sh
# run.sh BUILD SECONDS HARNESS... — runs each libFuzzer harness BUILD/fuzz/fuzz_H
# for SECONDS, starting from its seed corpus tests/fuzz/corpus/H/ (read only)
# and the inputs earlier runs found (BUILD/corpus/H/, where new ones go), with
# the dictionary tests/fuzz/H.dict when there is one.
# With FUZZ_RUNS=N set (CI), each harness instead runs exactly N inputs from a
# fixed seed, so that a run is repeatable: CI finds what a developer finds.
#
# A timed run keeps fuzzing after a finding (-fork=1 -ignore_*); either way each
# input that crashed, leaked, hung or violated a property is saved in
# BUILD/crashes/H/. Every saved input is then replayed with full allocation
# stacks and the suppressions of tests/lsan.supp: a leak inside libfyaml
# itself (a known 0.7.12 bug) is dropped there, as is an input that no longer
# fails — libFuzzer's fast unwinder stops at libfyaml's frames and cannot tell
# such leaks from ours. Whatever still fails fails the run, its replay log
# beside it; tests/fuzz/README.md says how to turn it into a regression test.
# Ends with one line per harness and "N passed, N failed".
build=$1; seconds=$2; shift 2
root=$(pwd)
passed=0; failed=0
for h in "$@"; do
  bin=$build/fuzz/fuzz_$h; corpus=$build/corpus/$h; crashes=$build/crashes/$h
  log=$build/fuzz_$h.log
  mkdir -p "$corpus" "$crashes"
  dict=""; [ -f "tests/fuzz/$h.dict" ] && dict="-dict=tests/fuzz/$h.dict"
  limit="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time=$seconds"
  [ -n "${FUZZ_RUNS:-}" ] && limit="-runs=$FUZZ_RUNS -seed=1"
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: 2 GiB is a leak or
  # a runaway allocation, not a parser's business.
  # shellcheck disable=SC2086 # $limit and $dict are lists of flags
  "$bin" $limit -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/" $dict "$corpus" "tests/fuzz/corpus/$h" > "$log" 2>&1
  findings=0
  for a in "$crashes"/*; do
    case $a in *.log) continue ;; esac
    [ -f "$a" ] || continue
    if ASAN_OPTIONS=fast_unwind_on_malloc=0 LSAN_OPTIONS="suppressions=$root/tests/lsan.supp" \
       "$bin" -timeout=10 "$a" > "$a.log" 2>&1; then
      rm -f "$a" "$a.log"
    else
      findings=$((findings + 1))
    fi
  done
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p; s/^#\([0-9][0-9]*\):.*/\1/p' "$log" |
         tail -n 1)
  if [ "$findings" = 0 ]; then
    passed=$((passed + 1))
    printf '%-24s ok   %s runs\n' "$h" "${runs:-?}"
  else
    failed=$((failed + 1))
    printf '%-24s FAIL %d finding(s) in %s (replay logs beside them)\n' "$h" "$findings" \
      "$crashes"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
