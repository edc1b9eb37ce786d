/* fuzz_trace_clf.c — libFuzzer harness for the Common/Combined Log Format reader
 * (specs/trace-formats.md §3.1).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Everything goes through the replay
 * pipeline: the reader, the re-order window, the merge and the transforms. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_clf) { return fuzz_trace_format(WL_FMT_CLF, data, size); }
