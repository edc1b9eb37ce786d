/* fuzz_trace_tsv.c — libFuzzer harness for the tsv trace reader
 * (the csv reader with a tab delimiter).
 * Input: two option bytes, then the file (see fuzz_trace_format in
 * common.c); plain text or gzip. Everything goes through the replay
 * pipeline: the reader, the re-order window, the merge and the transforms. */
#include "tests/fuzz/fuzz.h"
#include "workloads/trace.h"

FUZZ_TARGET(trace_tsv) { return fuzz_trace_format(WL_FMT_TSV, data, size); }
