/* fuzz_trace_count_series.c — libFuzzer harness for the count_series reader
 * (whitespace-separated counts of consecutive intervals;
 * specs/trace-formats.md §3.1.3).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Counts expand into arrivals; the harness
 * reads at most 100000 of them per input. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_count_series) { return fuzz_trace_format(WL_FMT_COUNT_SERIES, data, size); }
