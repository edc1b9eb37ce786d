/* fuzz_trace_azure2021.c — libFuzzer harness for the Azure Functions 2021
 * invocation-trace reader (specs/trace-formats.md §3.3.2).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Everything goes through the replay
 * pipeline: the reader, the re-order window, the merge and the transforms. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_azure2021) { return fuzz_trace_format(WL_FMT_AZURE2021, data, size); }
