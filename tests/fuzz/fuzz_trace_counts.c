/* fuzz_trace_counts.c — libFuzzer harness for the counts reader (CSV rows:
 * interval start, count; specs/trace-formats.md §3.1.3).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Counts expand into arrivals; the harness
 * reads at most 100000 of them per input. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_counts) { return fuzz_trace_format(WL_FMT_COUNTS, data, size); }
