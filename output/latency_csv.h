/* latency_csv.h — the whole-run latency distribution as a file:
 * DIR/<platform>/latency.csv with header `latency_s,count` and one row per
 * non-empty sketch bucket, in increasing latency (the bucket's representative
 * value, within 1% of every latency it holds; output/sketch.h). The report
 * draws the latency CDF from it without re-running. */
#ifndef OUT_LATENCY_CSV_H
#define OUT_LATENCY_CSV_H

#include "output/sketch.h"
#include "sim/error.h"

/* Writes the buckets of s to path atomically (output/atomic.h), creating the
 * folder. An empty sketch gives a header only. Returns 0 or SIM_EFAIL with err. */
int out_write_latency_csv(const char *path, const out_sketch *s, sim_error *err);

#endif
