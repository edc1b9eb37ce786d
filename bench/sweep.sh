#!/bin/sh
# sweep.sh [SCALESIM] — the sweep benchmark of `make bench` (issue 7): a
# 64-variant sweep of the built-in demo scenario over its first two hours
# (ECS target 40-70% x ECS minimum tasks 1-8 x Cloud Run concurrency 20-160)
# with -j 1 and then -j 2, each
# into a fresh folder; prints variants per minute for both and the speed-up.
# The goal is a speed-up of at least 1.8 on 2 cores: the runs are independent
# processes, so only the sweep's own bookkeeping is serial.
set -eu
bin=${1:-./scalesim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
grid="--set workload.end=1998-06-30T02:00:00Z
      --grid platforms[0].policies[0].target=40,50,60,70
      --grid platforms[0].capacity.min=1,2,4,8
      --grid platforms[1].instance.max_concurrency=20,40,80,160"

now() { date +%s.%N; }

# seconds JOBS — wall-clock seconds of the whole sweep with -j JOBS.
seconds() {
  t0=$(now)
  # shellcheck disable=SC2086 # $grid is a list of arguments
  "$bin" sweep -q -j "$1" -o "$work/j$1" $grid
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

s1=$(seconds 1)
s2=$(seconds 2)
cmp -s "$work/j1/sweep.csv" "$work/j2/sweep.csv" || { echo "bench-sweep: -j 1 and -j 2 differ" >&2; exit 1; }
awk -v s1="$s1" -v s2="$s2" -v cpus="$(nproc)" 'BEGIN {
  printf "bench-sweep: 64 variants of the demo: -j 1 %.2f s (%.0f variants/min), -j 2 %.2f s (%.0f variants/min)\n",
         s1, 64 * 60 / s1, s2, 64 * 60 / s2
  r = s1 / s2
  printf "bench-sweep: speed-up -j 2 over -j 1 = %.2fx on %d CPUs (goal >= 1.8x on 2 cores: %s)\n",
         r, cpus, cpus < 2 ? "n/a, fewer than 2 CPUs" : (r >= 1.8 ? "met" : "NOT met")
}'
