/* latency_csv.c — writes a latency sketch's buckets as CSV (see latency_csv.h). */
#include "output/latency_csv.h"

#include <inttypes.h>
#include <stdio.h>

#include "output/atomic.h"

/* %.9g keeps the bucket value exact enough to tell neighbouring buckets apart
 * (they differ by 2%) and reads back to the same bucket. */
static void write_bucket(double x, uint64_t n, void *arg) {
  fprintf(arg, "%.9g,%" PRIu64 "\n", x, n);
}

int out_write_latency_csv(const char *path, const out_sketch *s, sim_error *err) {
  out_file *f = out_file_open(path, err);
  if (!f) return SIM_EFAIL;
  FILE *fp = out_file_stream(f);
  fputs("latency_s,count\n", fp);
  out_sketch_each(s, write_bucket, fp);
  return out_file_commit(f, err);
}
