#!/bin/sh
# run.sh DIR SCALESIM TEST... — runs each test program in DIR (with SCALESIM set
# to the binary under test, for CLI tests), shows each one's closing line, and
# ends with the totals as "N passed, N failed". With RUNNER set, each test runs
# under it (RUNNER="valgrind ..." for `make memcheck`); with JOBS=N, N tests run
# at once (no two test programs share a temporary file).
dir=$1; bin=$2; shift 2
SCALESIM=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin"); export SCALESIM
export dir RUNNER

# Phase 1: run every test, each writing its log and exit status.
for t in "$@"; do rm -f "$dir/$t.rc"; done
printf '%s\n' "$@" | xargs -P "${JOBS:-1}" -I{} sh -c \
  '$RUNNER "$dir/{}" > "$dir/{}.log" 2>&1; echo $? > "$dir/{}.rc"'

# Phase 2: read the results in order.
passed=0; failed=0; broken=""
for t in "$@"; do
  log=$dir/$t.log
  rc=$(cat "$dir/$t.rc" 2>/dev/null || echo 1)
  last=$(tail -n 1 "$log")
  p=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
  f=$(echo "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
  if [ -z "$p" ]; then p=0; f=1; fi
  if [ "$rc" -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  printf '%-24s %s\n' "$t" "$last"
  if [ "$f" != 0 ]; then broken="$broken $t"; grep -E 'FAIL|ERROR|error|Sanitizer|definitely|indirectly' "$log" | head -20; fi
done
[ -n "$broken" ] && echo "failing:$broken (logs in $dir)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
