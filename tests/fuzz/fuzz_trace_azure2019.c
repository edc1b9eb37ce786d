/* fuzz_trace_azure2019.c — libFuzzer harness for the Azure Functions 2019
 * reader (per-minute invocation counts per function; specs/trace-formats.md
 * §3.3.1).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Counts expand into arrivals; the harness
 * reads at most 100000 of them per input. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_azure2019) { return fuzz_trace_format(WL_FMT_AZURE2019, data, size); }
