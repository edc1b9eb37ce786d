/* test_trace_alb.c — the AWS ALB access-log reader (specs/trace-formats.md
 * §3.2) on hand-written lines in AWS's layout: the documentation's example
 * line, an old line without the later fields, -1 processing times (requests
 * the original system failed: counted, replayed or dropped), a
 * request_creation_time of "-", extra trailing fields, IPv6 clients, quoted
 * fields with spaces, lines out of order, `.log.gz` input; malformed lines
 * with their exact messages. */
#include <math.h>
#include <stdlib.h>

#include "tests/check.h"
#include "tests/trace_util.h"

#define EDGE "tests/data/alb_edge.log"
/* 2018-11-30T22:22:48.364Z, the first arrival (request_creation_time). */
#define ORIGIN 1543616568.364

static void check_edge(const char *path, const char *what) {
  wl_trace_cfg c = trace_cfg(path, WL_FMT_ALB);
  wl_source *src;
  sim_error err;
  if (CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "%s: opens", what)) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  CHECK_ABS(src->origin_epoch_s, ORIGIN, 1e-6, "%s: origin at the first request's creation", what);
  /* Arrivals: request_creation_time when given, else time minus the three
   * processing times (-1 counting as 0); sorted back into arrival order. */
  const double at[] = {0, 1.883, 3.536, 5.616, 16.635};
  const double dur[] = {0.001, 0.250, 0.1, 0.020, 0.1}; /* 0.1: drawn (no target time) */
  const int status[] = {200, 200, 503, 200, 504};
  const double size[] = {366, 2000, 300, 366, 0};
  wl_request r;
  int i = 0;
  while (wl_next(src, &r, &err) == 1 && i < 5) {
    CHECK_ABS(r.arrival_s, at[i], 1e-6, "%s: request %d arrival", what, i);
    CHECK_ABS(r.cpu_s + r.wait_s, dur[i], 1e-9, "%s: request %d duration", what, i);
    CHECK_INT(r.origin_status, status[i], "%s: request %d status", what, i);
    CHECK_ABS(r.size, size[i], 0, "%s: request %d sent bytes", what, i);
    i++;
  }
  CHECK_INT(i, 5, "%s: five requests", what);
  CHECK_INT(src->origin_errors, 2, "%s: two requests failed in the original system", what);
  wl_source_free(src);
  trace_cfg_free(&c);
}

static void test_edge(void) {
  check_edge(EDGE, "alb");
  CHECK_INT(trace_gzip_copy(EDGE, "/tmp/scalesim_test_alb.log.gz"), 0, "gzip copy");
  check_edge("/tmp/scalesim_test_alb.log.gz", "alb .log.gz");
  remove("/tmp/scalesim_test_alb.log.gz");
}

static void test_origin_errors_drop_and_filters(void) {
  wl_trace_cfg c = trace_cfg(EDGE, WL_FMT_ALB);
  c.origin_errors = WL_ORIGIN_ERRORS_DROP;
  wl_source *src;
  sim_error err;
  trace_open(&c, NULL, &src, &err);
  trace_summary s = trace_drain(src, 0);
  CHECK_INT(s.n, 3, "origin_errors drop: the three served requests");
  CHECK_INT(src->origin_errors, 2, "origin_errors drop: still counted");
  wl_source_free(src);
  c.origin_errors = WL_ORIGIN_ERRORS_REPLAY;
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.filter.url_prefix = "/api/";
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 3, "alb url_prefix /api/ matches the path of absolute URLs");
  tf.filter.url_prefix = NULL;
  double codes[] = {503, 504};
  tf.filter.status = (cfg_numbers){codes, 2};
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 2, "alb status 503/504: two");
  trace_cfg_free(&c);
}

static void test_malformed(void) {
  const char *path = "/tmp/scalesim_test_alb_bad.log";
  const char *good =
      "http 2018-11-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80 0.000 0.001 0.000 200 "
      "200 34 366 \"GET http://x:80/ HTTP/1.1\" \"curl\"\n";
  struct {
    const char *line, *msg;
  } cases[] = {
      {"http 2018-11-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80 0.000 abc 0.000 200 "
       "200 34 366 \"GET http://x:80/ HTTP/1.1\" \"curl\"",
       "target_processing_time: expected seconds >= 0 or -1, got 'abc'"},
      {"http 2018-11-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80 -2 0.001 0.000 200 "
       "200 34 366 \"GET http://x:80/ HTTP/1.1\" \"curl\"",
       "request_processing_time: expected seconds >= 0 or -1, got '-2'"},
      {"http 2018-13-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80 0.000 0.001 0.000 200 "
       "200 34 366 \"GET http://x:80/ HTTP/1.1\" \"curl\"",
       "time: expected an ISO 8601 time, got '2018-13-30T22:23:00.000000Z'"},
      {"http 2018-11-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80",
       "request_processing_time: missing (the line has 5 fields; an ALB log line has at least "
       "13)"},
      {"http 2018-11-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80 0.000 0.001 0.000 200 "
       "200 34 366 \"GET http://x:80/ HTTP/1.1",
       "line: unterminated quoted field"},
      {"http 2018-11-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80 0.000 0.001 0.000 OK "
       "200 34 366 \"GET http://x:80/ HTTP/1.1\" \"curl\"",
       "elb_status_code: expected a status code, got 'OK'"},
      {"http 2018-11-30T22:23:00.000000Z app/lb/1 192.0.2.1:1 10.0.0.1:80 0.000 0.001 0.000 200 "
       "200 34 366 \"GET http://x:80/ HTTP/1.1\" \"curl\" - - arn \"Root\" \"-\" \"-\" 0 "
       "yesterday \"forward\"",
       "request_creation_time: expected an ISO 8601 time, got 'yesterday'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    trace_check_malformed(path, WL_FMT_ALB, "alb", i, good, cases[i].line, cases[i].msg);
  remove(path);
}

int main(void) {
  check_init();
  test_edge();
  test_origin_errors_drop_and_filters();
  test_malformed();
  return check_done();
}
