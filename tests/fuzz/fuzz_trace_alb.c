/* fuzz_trace_alb.c — libFuzzer harness for the AWS ALB access-log reader
 * (specs/trace-formats.md §3.2).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Everything goes through the replay
 * pipeline: the reader, the re-order window, the merge and the transforms. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_alb) { return fuzz_trace_format(WL_FMT_ALB, data, size); }
