/* test_trace_clf.c — the Common/Combined Log Format reader: zones, IPv6
 * clients, stray and escaped quotes, HTTP/0.9 lines, CRLF, a blank line, a
 * missing final newline, gzip; requests of one second spread over it; filters;
 * malformed lines with their exact messages; on_error: skip. The first two
 * lines of tests/data/clf_edge.log are the first two requests of the NASA-HTTP
 * day (workloads/traces/nasa-http) written back in CLF, so both readers must
 * put them at the same epoch second. */
#include <math.h>
#include <stdlib.h>

#include "tests/check.h"
#include "tests/trace_util.h"

#define EDGE "tests/data/clf_edge.log"

static void check_edge(const char *path, const char *what) {
  wl_trace_cfg c = trace_cfg(path, WL_FMT_CLF);
  c.spread = WL_SPREAD_NONE;
  wl_source *src;
  sim_error err;
  if (CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "%s: opens", what)) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  /* The NASA TSV's first row is 807256800 (= 02:00:00 -0400). */
  CHECK_REL(src->origin_epoch_s, 807256800, 0, "%s: -0400 applied: same epoch as the TSV", what);
  const double at[] = {0, 4, 5, 6, 7, 8, 9};
  const int status[] = {200, 200, 304, 404, 200, 200, 200};
  const double size[] = {1713, 8677, 0, 0, 3985, 512, 10};
  wl_request r;
  int i = 0;
  while (wl_next(src, &r, &err) == 1 && i < 7) {
    CHECK_ABS(r.arrival_s, at[i], 0, "%s: line %d arrival (zone applied)", what, i + 1);
    CHECK_INT(r.origin_status, status[i], "%s: line %d status", what, i + 1);
    CHECK_ABS(r.size, size[i], 0, "%s: line %d bytes", what, i + 1);
    i++;
  }
  CHECK_INT(i, 7, "%s: every request line, the blank one skipped", what);
  CHECK_INT(src->skipped, 0, "%s: nothing skipped", what);
  wl_source_free(src);
  trace_cfg_free(&c);
}

static void test_edge(void) {
  check_edge(EDGE, "clf");
  CHECK_INT(trace_gzip_copy(EDGE, "/tmp/scalesim_test_clf.log.gz"), 0, "gzip copy");
  check_edge("/tmp/scalesim_test_clf.log.gz", "clf.gz");
  remove("/tmp/scalesim_test_clf.log.gz");
}

static void test_filters(void) {
  wl_trace_cfg c = trace_cfg(EDGE, WL_FMT_CLF);
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.filter.url_prefix = "/shuttle/";
  trace_summary s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 2, "clf url_prefix /shuttle/: two requests");
  tf.filter.url_prefix = "/a\"b";
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 1, "clf: a stray quote stays inside the URL");
  tf.filter.url_prefix = NULL;
  double codes[] = {304, 404};
  tf.filter.status = (cfg_numbers){codes, 2};
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 2, "clf status 304 or 404: two requests");
  trace_cfg_free(&c);
}

/* 1000 requests logged in one second come out spread over it, in order,
 * identically for the same seed and differently for another. */
static void test_spread(void) {
  const char *path = "/tmp/scalesim_test_clf_burst.log";
  FILE *f = fopen(path, "w");
  for (int i = 0; i < 1000; i++)
    fprintf(f, "10.0.0.%d - - [10/Oct/2000:13:55:36 -0700] \"GET /x HTTP/1.0\" 200 1\n", i % 250);
  fprintf(f, "10.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET /y HTTP/1.0\" 200 1\n");
  fclose(f);
  wl_trace_cfg c = trace_cfg(path, WL_FMT_CLF);
  wl_source *a;
  sim_error err;
  trace_open(&c, NULL, &a, &err);
  CHECK_REL(a->origin_epoch_s, 971211336, 0, "spread: origin 10/Oct/2000:13:55:36 -0700");
  wl_request r;
  double prev = -1, sum = 0;
  int ordered = 1, inside = 1;
  for (int i = 0; i < 1000; i++) {
    wl_next(a, &r, &err);
    ordered &= r.arrival_s >= prev;
    inside &= r.arrival_s >= 0 && r.arrival_s < 1;
    prev = r.arrival_s;
    sum += r.arrival_s;
  }
  CHECK(ordered, "spread: in order");
  CHECK(inside, "spread: inside their second");
  /* Uniform on [0, 1): mean 1/2, sd of the mean 0.29 / sqrt(1000) = 0.009. */
  CHECK_ABS(sum / 1000, 0.5, 4 * 0.0092, "spread: uniform over the second");
  wl_next(a, &r, &err);
  CHECK(r.arrival_s >= 1 && r.arrival_s < 2, "spread: the next second's request after them");
  wl_source_free(a);
  /* Spreading needs no re-order window: it works on the logged times. */
  c.reorder_window_s = 0;
  trace_summary s = trace_read_all(&c, NULL);
  CHECK(s.rc == 0 && s.n == 1001 && s.ordered, "spread with a zero re-order window");
  trace_cfg_free(&c);
  remove(path);
}

static void test_malformed(void) {
  const char *path = "/tmp/scalesim_test_clf_bad.log";
  const char *good = "h - - [01/Aug/1995:02:00:00 -0400] \"GET / HTTP/1.0\" 200 1\n";
  struct {
    const char *line, *msg;
  } cases[] = {
      {"h - - [01/Foo/1995:02:00:00 -0400] \"GET / HTTP/1.0\" 200 1",
       "time: expected [dd/Mon/yyyy:HH:MM:SS +hhmm], got '[01/Foo/1995:02:00:00 -0400]'"},
      {"h - - [31/Jun/1995:02:00:00 -0400] \"GET / HTTP/1.0\" 200 1",
       "time: expected [dd/Mon/yyyy:HH:MM:SS +hhmm], got '[31/Jun/1995:02:00:00 -0400]'"},
      {"h - - [01/Aug/1995:02:00:00 +4] \"GET / HTTP/1.0\" 200 1",
       "time: expected [dd/Mon/yyyy:HH:MM:SS +hhmm], got '[01/Aug/1995:02:00:00 +4]'"},
      {"h - - 01/Aug/1995:02:00:00 \"GET / HTTP/1.0\" 200 1", "time: missing (no [...] field)"},
      {"h - - [01/Aug/1995:02:00:00 -0400] GET / 200 1",
       "request: expected a quoted request line"},
      {"h - - [01/Aug/1995:02:00:00 -0400] \"GET /cut", "request: no closing quote"},
      {"h - - [01/Aug/1995:02:00:00 -0400] \"GET / HTTP/1.0\" 2x0 1",
       "status: expected a 3-digit code, got '2x0'"},
      {"h - - [01/Aug/1995:02:00:00 -0400] \"GET / HTTP/1.0\" 200 12k",
       "bytes: expected a byte count or '-', got '12k'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    trace_check_malformed(path, WL_FMT_CLF, "clf", i, good, cases[i].line, cases[i].msg);
  remove(path);
}

int main(void) {
  check_init();
  test_edge();
  test_filters();
  test_spread();
  test_malformed();
  return check_done();
}
