/* trace_util.h — helpers shared by the trace reader tests: a trace config
 * with the schema's defaults, opening it as a source, and pulling requests. */
#ifndef TESTS_TRACE_UTIL_H
#define TESTS_TRACE_UTIL_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "sim/error.h"
#include "tests/check.h"
#include "workloads/source.h"
#include "workloads/trace.h"

/* A config with every default of wl_trace_schema, reading path as format.
 * Free with trace_cfg_free. */
static inline wl_trace_cfg trace_cfg(const char *path, int format) {
  wl_trace_cfg c;
  memset(&c, 0, sizeof c);
  sim_error err;
  if (cfg_defaults(&wl_trace_schema, &c, &err) != 0) {
    fprintf(stderr, "cfg_defaults: %s\n", err.msg);
    abort();
  }
  c.path = sim_xstrdup(path);
  c.format = format;
  return c;
}

/* Replaces a string field of a config (the old value is freed). */
static inline void trace_set(char **field, const char *value) {
  free(*field);
  *field = sim_xstrdup(value);
}

static inline void trace_cfg_free(wl_trace_cfg *c) { cfg_free(&wl_trace_schema, c); }

/* Every request costs 100 ms when the trace has no durations. */
static const wl_dist trace_test_duration = {.kind = WL_DIST_CONSTANT, .value = 0.1};

/* Opens c with transforms tf (NULL: none), cpu_share 0.5, seed 42. */
static inline int trace_open(const wl_trace_cfg *c, const wl_transform_cfg *tf, wl_source **src,
                             sim_error *err) {
  wl_transform_cfg none;
  wl_transform_defaults(&none);
  return wl_trace_open(c, tf ? tf : &none, &trace_test_duration, 0.5, 0, 42, src, err);
}

/* What reading a whole source saw. */
typedef struct trace_summary {
  long n;
  double first_s, last_s;
  int rc;            /* the last wl_next status */
  int ordered;       /* arrivals were non-decreasing */
  double sum_duration_s;
  sim_error err;
} trace_summary;

/* Pulls every request of src (at most max; 0: no limit). */
static inline trace_summary trace_drain(wl_source *src, long max) {
  trace_summary s;
  memset(&s, 0, sizeof s);
  s.ordered = 1;
  s.first_s = NAN;
  wl_request r;
  while ((max == 0 || s.n < max) && (s.rc = wl_next(src, &r, &s.err)) == 1) {
    if (s.n == 0) s.first_s = r.arrival_s;
    else if (r.arrival_s < s.last_s) s.ordered = 0;
    s.last_s = r.arrival_s;
    s.sum_duration_s += r.cpu_s + r.wait_s;
    s.n++;
  }
  return s;
}

/* Opens and drains; the error (if any) is in the summary. */
static inline trace_summary trace_read_all(const wl_trace_cfg *c, const wl_transform_cfg *tf) {
  wl_source *src = NULL;
  trace_summary s;
  memset(&s, 0, sizeof s);
  s.rc = trace_open(c, tf, &src, &s.err);
  if (s.rc) {
    s.rc = -s.rc;
    return s;
  }
  s = trace_drain(src, 0);
  wl_source_free(src);
  return s;
}

/* Checks a malformed `line` of `format` written between two copies of
 * `good` (each a line with its newline) at path: on_error fail stops with an
 * input error "path:2: msg"; on_error skip reads both good lines and counts
 * the bad one. `name` and `i` label the checks. */
static inline void trace_check_malformed(const char *path, int format, const char *name, size_t i,
                                         const char *good, const char *line, const char *msg) {
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fprintf(f, "%s%s\n%s", good, line, good);
  fclose(f);
  wl_trace_cfg c = trace_cfg(path, format);
  trace_summary s = trace_read_all(&c, NULL);
  char want[512];
  snprintf(want, sizeof want, "%s:2: %s", path, msg);
  CHECK_INT(s.rc, -SIM_EINPUT, "%s bad %zu: input error", name, i);
  CHECK_STR(s.err.msg, want, "%s bad %zu: message", name, i);
  c.on_error = WL_ON_ERROR_SKIP;
  wl_source *src;
  sim_error err;
  if (trace_open(&c, NULL, &src, &err) == 0) {
    s = trace_drain(src, 0);
    CHECK(s.rc == 0 && s.n == 2 && src->skipped == 1, "%s bad %zu: skipped and counted", name, i);
    wl_source_free(src);
  } else {
    CHECK(0, "%s bad %zu: opens under on_error: skip (%s)", name, i, err.msg);
  }
  trace_cfg_free(&c);
}

/* Writes a gzip copy of a file to dst; 0 on success. */
static inline int trace_gzip_copy(const char *src, const char *dst) {
  FILE *in = fopen(src, "rb");
  gzFile out = gzopen(dst, "wb");
  if (!in || !out) {
    if (in) fclose(in);
    if (out) gzclose(out);
    return -1;
  }
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) gzwrite(out, buf, (unsigned)n);
  fclose(in);
  return gzclose(out) == Z_OK ? 0 : -1;
}

/* Writes text to path; 0 on success. */
static inline int trace_write(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  fputs(text, f);
  return fclose(f);
}

#endif
