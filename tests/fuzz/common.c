/* common.c — helpers shared by the harnesses of tests/fuzz/ (see fuzz.h):
 * property violations, in-memory files, and the driver every trace-reader
 * harness runs its format through. */
#include "tests/fuzz/fuzz.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/cfg.h"
#include "workloads/trace.h"

unsigned long fuzz_violations;

void fuzz_violation(const char *file, int line, const char *cond) {
  fprintf(stderr, "%s:%d: fuzz property violated: %s\n", file, line, cond);
  fuzz_violations++;
#ifndef FUZZ_NO_MAIN
  abort();
#endif
}

void fuzz_init(void) { gsl_set_error_handler_off(); }

char *fuzz_strndup(const uint8_t *data, size_t size) {
  char *s = sim_xmalloc(size + 1);
  if (size) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

const char *fuzz_memfile_slot(int slot, const uint8_t *data, size_t size) {
  static int fd[FUZZ_MEMFILE_SLOTS] = {-1, -1, -1};
  static char path[FUZZ_MEMFILE_SLOTS][64];
  SIM_ASSERT(slot >= 0 && slot < FUZZ_MEMFILE_SLOTS);
  if (fd[slot] < 0) {
    fd[slot] = memfd_create("fuzz-input", 0);
    SIM_ASSERT(fd[slot] >= 0);
    snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
  }
  SIM_ASSERT(ftruncate(fd[slot], 0) == 0);
  size_t done = 0;
  while (done < size) {
    ssize_t n = pwrite(fd[slot], data + done, size - done, (off_t)done);
    SIM_ASSERT(n > 0);
    done += (size_t)n;
  }
  return path[slot];
}

const char *fuzz_memfile(const uint8_t *data, size_t size) {
  return fuzz_memfile_slot(0, data, size);
}

size_t fuzz_split(const uint8_t *data, size_t size, fuzz_part *parts, size_t max) {
  SIM_ASSERT(max >= 1);
  size_t n = 0, start = 0;
  const uint8_t *nul;
  while (n + 1 < max && (nul = memchr(data + start, 0, size - start))) {
    size_t end = (size_t)(nul - data);
    parts[n++] = (fuzz_part){data + start, end - start};
    start = end + 1;
  }
  parts[n++] = (fuzz_part){data + start, size - start};
  return n;
}

void fuzz_check_error(int rc, const sim_error *err) {
  if (!(rc >= SIM_EFAIL && rc <= SIM_EINPUT && err->status == rc && err->msg[0]))
    fprintf(stderr, "returned %d; error status %d, message '%s'\n", rc, err->status, err->msg);
  FUZZ_CHECK(rc >= SIM_EFAIL && rc <= SIM_EINPUT);
  FUZZ_CHECK(err->status == rc);
  FUZZ_CHECK(err->msg[0] != '\0');
}

/* --- trace readers --------------------------------------------------------- */

/* Requests pulled from one input at most: rate_scale replicates and counts
 * expand, and a fuzzer input must stay fast. */
enum { MAX_REQUESTS = 100000 };

/* The column names a csv-like format is told to use: header names, or the
 * same columns by 0-based index when the file has no header. */
static const char *column(bool header, const char *name, const char *index) {
  return header ? name : index;
}

/* Option byte 0: bit 0 on_error skip; bit 1 no header; bit 2 spread none;
 * bits 3-5 time_format (mod 5); bit 6 reorder window 0; bit 7 a duration
 * column. Option byte 1: bit 0 time_marks end; bits 1-2 duration_unit (mod
 * 3); bit 3 the optional columns and a filter on them; bits 4-5 rate_scale
 * (1, 0.5, 2.5, 1); bit 6 speedup 7.5; bit 7 a window (5s to 1h) and a
 * horizon. The counts formats take an interval of 1 s with bit 6 of byte 0,
 * else 60 s; for them bits 2-3 of byte 0 choose any spread. */
static void decode_options(int format, uint8_t b0, uint8_t b1, wl_trace_cfg *c,
                           wl_transform_cfg *tf, double *horizon_s) {
  static const double rate_scales[4] = {1, 0.5, 2.5, 1};
  static double status_codes[2] = {200, 404};
  c->format = format;
  c->on_error = b0 & 1 ? WL_ON_ERROR_SKIP : WL_ON_ERROR_FAIL;
  c->header = !(b0 & 2);
  bool counts = format == WL_FMT_COUNTS || format == WL_FMT_COUNT_SERIES ||
                format == WL_FMT_AZURE2019;
  c->spread = counts ? (b0 >> 2 & 3) : b0 & 4 ? WL_SPREAD_NONE : WL_SPREAD_UNIFORM;
  c->time_format = (b0 >> 3 & 7) % 5;
  if (b0 & 64) c->reorder_window_s = 0;
  /* Column names point at static text: the source copies what it keeps. */
  c->time_column = (char *)column(c->header, "time", "0");
  if (b0 & 128 || b1 & 1) c->duration_column = (char *)column(c->header, "duration", "1");
  c->time_marks = b1 & 1 ? WL_MARKS_END : WL_MARKS_START;
  c->duration_unit = (b1 >> 1 & 3) % 3;
  if (b1 & 8) {
    c->cpu_column = (char *)column(c->header, "cpu", "2");
    c->size_column = (char *)column(c->header, "size", "3");
    c->status_column = (char *)column(c->header, "status", "4");
    c->url_column = (char *)column(c->header, "url", "5");
    if (format != WL_FMT_AZURE2021) {
      tf->filter.url_prefix = "/";
      tf->filter.status = (cfg_numbers){status_codes, 2};
    } else {
      tf->filter.function = "f1,f2";
    }
  }
  /* The counts formats need the interval one count covers. */
  if (format == WL_FMT_COUNTS || format == WL_FMT_COUNT_SERIES || format == WL_FMT_AZURE2019)
    c->interval_s = b0 & 64 ? 1 : 60;
  tf->rate_scale = rate_scales[b1 >> 4 & 3];
  if (b1 & 64) tf->speedup = 7.5;
  if (b1 & 128) {
    tf->start = "5s";
    tf->end = "1h";
    *horizon_s = 1800;
  }
}

/* The properties of one request of a stream. */
static void check_request(const wl_request *r, double prev_arrival_s) {
  FUZZ_CHECK(isfinite(r->arrival_s) && r->arrival_s >= 0);
  FUZZ_CHECK(r->arrival_s >= prev_arrival_s);
  FUZZ_CHECK(isfinite(r->cpu_s) && r->cpu_s >= 0);
  FUZZ_CHECK(isfinite(r->wait_s) && r->wait_s >= 0);
  FUZZ_CHECK(isfinite(r->size) && r->size >= 0);
}

int fuzz_trace_format(int format, const uint8_t *data, size_t size) {
  fuzz_init();
  if (size < 2) return 0;
  /* defaults owns the strings cfg_defaults made; c is a shallow copy whose
   * changed fields point at static text. */
  wl_trace_cfg defaults, c;
  sim_error err = {0};
  SIM_ASSERT(cfg_defaults(&wl_trace_schema, &defaults, &err) == 0);
  c = defaults;
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  double horizon_s = 0;
  decode_options(format, data[0], data[1], &c, &tf, &horizon_s);
  c.path = (char *)fuzz_memfile(data + 2, size - 2);

  wl_dist duration = {.kind = WL_DIST_CONSTANT, .value = 0.1};
  wl_source *src = NULL;
  int rc = wl_trace_open(&c, &tf, &duration, 0.6, horizon_s, 1, &src, &err);
  if (rc) {
    fuzz_check_error(rc, &err);
    FUZZ_CHECK(src == NULL);
  } else {
    wl_request r;
    double prev = 0;
    int n = 0;
    while (n < MAX_REQUESTS && (rc = wl_next(src, &r, &err)) == 1) {
      check_request(&r, prev);
      prev = r.arrival_s;
      n++;
    }
    FUZZ_CHECK(rc <= 1);
    if (rc < 0) fuzz_check_error(-rc, &err);
    wl_source_free(src);
  }
  cfg_free(&wl_trace_schema, &defaults);
  return 0;
}
