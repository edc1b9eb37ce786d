/* fuzz_trace_csv.c — libFuzzer harness for the csv trace reader
 * (one row per request, columns by header name or index).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Everything goes through the replay
 * pipeline: the reader, the re-order window, the merge and the transforms. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_csv) { return fuzz_trace_format(WL_FMT_CSV, data, size); }
