#!/bin/sh
# run.sh BUILD_BENCH_DIR — the benchmarks `make bench` prints:
#  1. each scenario in bench/scenarios/ alone (its own process, so peak RSS is
#     its own): simulated requests per second and peak RSS;
#  2. memory flatness: the 4-hour fixed run's peak RSS against the 1-hour's;
#  3. speed of ECS and Cloud Run against fixed on the same diurnal workload;
#  4. trace parsing throughput (CLF and CSV, generated files of >= 200 MB);
#  5. a 64-variant sweep with -j 1 and -j 2.
set -eu
dir=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for s in bench/scenarios/*.yaml; do
  "$dir/bench_run" "$s" | tee -a "$out"
done
awk '
  { rate[$1] = $(NF-6); rss[$1] = $(NF-3) }
  END {
    a = rss["bench-fixed-1h"]; b = rss["bench-fixed-4h"]
    if (a && b) printf "memory flatness: 4h/1h peak RSS = %.3f (%s)\n", b / a, (b / a <= 1.10 ? "flat" : "GROWS")
    f = rate["bench-fixed-diurnal"]
    if (f) for (m in rate) if (m ~ /(ecs|cloudrun)-diurnal/)
      printf "%s: %.2fx the fixed platform'"'"'s speed (goal >= 0.5x)\n", m, rate[m] / f
  }' "$out"
"$dir/bench_parse"
sh bench/sweep.sh ./scalesim
