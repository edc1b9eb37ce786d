#!/bin/sh
# run.sh BUILD_BENCH_DIR — the benchmarks `make bench` prints: each fixed
# scenario in bench/scenarios/ run alone (its own process, so peak RSS is its
# own), then the memory-flatness check between the 1-hour and 4-hour runs.
set -eu
dir=$1
out=$(mktemp)
for s in bench/scenarios/*.yaml; do
  "$dir/bench_run" "$s" | tee -a "$out"
done
# Memory must not grow with run length: the 4-hour run's peak RSS within 10% of the 1-hour run's.
awk '/bench-fixed-1h/ {a=$(NF-3)} /bench-fixed-4h/ {b=$(NF-3)}
     END { if (a && b) { r = b / a; printf "memory flatness: 4h/1h peak RSS = %.3f (%s)\n", r, (r <= 1.10 ? "flat" : "GROWS") } }' "$out"
rm -f "$out"
