/* test_trace_csv.c — the csv/tsv trace readers and the trace pipeline's
 * transforms: the real NASA-HTTP day (workloads/traces/nasa-http), hand-written
 * edge cases (quoted fields, CRLF, zones, a missing final newline, gzip),
 * malformed input with its exact message, on_error: skip, the re-order
 * window, merging several files, and window / speedup / rate_scale / filters. */
#include <math.h>
#include <stdlib.h>

#include "tests/check.h"
#include "tests/trace_util.h"

#define NASA "workloads/traces/nasa-http/nasa_19950801.tsv"
/* Facts of the file (workloads/traces/nasa-http/README.md). */
#define NASA_REQUESTS 30969
#define NASA_FIRST 807256800.0
#define NASA_LAST 807303121.0

static wl_trace_cfg nasa_cfg(void) {
  wl_trace_cfg c = trace_cfg(NASA, WL_FMT_TSV);
  trace_set(&c.status_column, "response");
  trace_set(&c.url_column, "url");
  trace_set(&c.size_column, "bytes");
  return c;
}

static void test_nasa_counts_and_span(void) {
  wl_trace_cfg c = nasa_cfg();
  wl_source *src;
  sim_error err;
  CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "nasa: opens");
  CHECK_REL(src->origin_epoch_s, NASA_FIRST, 0, "nasa: t = 0 is the first request's second");
  wl_request r;
  long n = 0, in_peak_second = 0, ordered = 1, cpu_ok = 1;
  double prev = -1, bytes = 0;
  while (wl_next(src, &r, &err) == 1) {
    if (n == 0) {
      CHECK(r.arrival_s >= 0 && r.arrival_s < 1, "nasa: the first arrival lies in its second");
      CHECK_INT(r.origin_status, 200, "nasa: first status");
      CHECK_REL(r.size, 1713, 0, "nasa: first size (bytes)");
    }
    if (n == 1) CHECK(r.arrival_s >= 4 && r.arrival_s < 5, "nasa: second request at 807256804");
    if (r.arrival_s < prev) ordered = 0;
    prev = r.arrival_s;
    /* 807279508 is the busiest second: 17 requests. */
    if (floor(r.arrival_s) == 807279508 - NASA_FIRST) in_peak_second++;
    bytes += r.size;
    cpu_ok &= fabs(r.cpu_s - 0.05) < 1e-12 && fabs(r.wait_s - 0.05) < 1e-12;
    n++;
  }
  CHECK_INT(n, NASA_REQUESTS, "nasa: 30,969 requests");
  CHECK(cpu_ok, "nasa: no durations in the trace: 100 ms drawn, half of it CPU");
  CHECK(ordered, "nasa: arrivals in non-decreasing order");
  CHECK(prev >= NASA_LAST - NASA_FIRST && prev < NASA_LAST - NASA_FIRST + 1,
        "nasa: the last arrival lies in 807303121's second");
  CHECK_INT(in_peak_second, 17, "nasa: 17 requests in the peak second");
  CHECK_REL(bytes, 482000467, 0, "nasa: total bytes");
  CHECK_INT(src->produced, NASA_REQUESTS, "nasa: produced count");
  CHECK_INT(src->skipped, 0, "nasa: nothing skipped");
  wl_source_free(src);
  trace_cfg_free(&c);
}

/* The same seed spreads a second's requests identically; spread: none keeps
 * them on whole seconds. */
static void test_spread_determinism(void) {
  wl_trace_cfg c = nasa_cfg();
  wl_source *a, *b;
  sim_error err;
  trace_open(&c, NULL, &a, &err);
  trace_open(&c, NULL, &b, &err);
  wl_request ra, rb;
  int same = 1, fractional = 0;
  for (int i = 0; i < 1000; i++) {
    wl_next(a, &ra, &err);
    wl_next(b, &rb, &err);
    same &= ra.arrival_s == rb.arrival_s;
    fractional |= ra.arrival_s != floor(ra.arrival_s);
  }
  CHECK(same, "spread: same seed, same arrivals");
  CHECK(fractional, "spread: arrivals spread inside their second");
  wl_source_free(a);
  wl_source_free(b);
  c.spread = WL_SPREAD_NONE;
  trace_open(&c, NULL, &a, &err);
  int whole = 1;
  for (int i = 0; i < 1000 && wl_next(a, &ra, &err) == 1;)
    whole &= ra.arrival_s == floor(ra.arrival_s), i++;
  CHECK(whole, "spread none: arrivals on whole seconds");
  wl_source_free(a);
  trace_cfg_free(&c);
}

static void test_nasa_filters(void) {
  wl_trace_cfg c = nasa_cfg();
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  double codes[] = {404};
  tf.filter.status = (cfg_numbers){codes, 1};
  trace_summary s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 221, "filter status 404: 221 requests");
  tf.filter.status.n = 0;
  tf.filter.url_prefix = "/images/";
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 13172, "filter url_prefix /images/: 13,172 requests");
  tf.filter.url_prefix = NULL;
  tf.filter.function = "f1";
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.rc, -SIM_ESCENARIO, "filter function without a function column: scenario error");
  CHECK_STR(s.err.msg,
            "workload.filter.function: a tsv trace has no such field (name its column in "
            "workload.trace)",
            "filter function without a column: message");
  trace_cfg_free(&c);
}

static void test_nasa_window_speedup(void) {
  wl_trace_cfg c = nasa_cfg();
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.start = "1h";
  tf.end = "2h";
  wl_source *src;
  sim_error err;
  trace_open(&c, &tf, &src, &err);
  trace_summary s = trace_drain(src, 0);
  /* awk -F'\t' '$3 >= 807260400 && $3 < 807264000' | wc -l */
  CHECK_INT(s.n, 1219, "window 1h..2h: 1,219 requests");
  CHECK(s.first_s >= 0 && s.last_s < 3600, "window: t = 0 at the window start");
  CHECK_REL(src->origin_epoch_s, NASA_FIRST + 3600, 0, "window: origin moves to its start");
  wl_source_free(src);

  tf.start = "1995-08-01T12:00:00Z";
  tf.end = "1995-08-01T12:30:00Z";
  tf.speedup = 2;
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 1266, "absolute window 12:00..12:30Z: 1,266 requests");
  CHECK(s.last_s < 900 && s.last_s > 890, "speedup 2: 30 minutes replay in 15");

  tf.start = "soon";
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.rc, -SIM_ESCENARIO, "bad window start: scenario error");
  CHECK_CONTAINS(s.err.msg, "workload.start: expected a duration from the trace start",
                 "bad window start: message");
  trace_cfg_free(&c);
}

static void test_nasa_rate_scale(void) {
  wl_trace_cfg c = nasa_cfg();
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.rate_scale = 3;
  trace_summary s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 3 * NASA_REQUESTS, "rate_scale 3: exactly three copies of each request");
  CHECK(s.ordered, "rate_scale 3: replicas stay in time order");
  tf.rate_scale = 0.5;
  s = trace_read_all(&c, &tf);
  /* Binomial(30969, 0.5): sd 88; 4 sd. */
  CHECK(fabs(s.n - 0.5 * NASA_REQUESTS) < 4 * 88, "rate_scale 0.5 keeps about half (%ld)", s.n);
  tf.rate_scale = 2.5;
  s = trace_read_all(&c, &tf);
  CHECK(fabs(s.n - 2.5 * NASA_REQUESTS) < 4 * 88, "rate_scale 2.5: about 2.5 times (%ld)", s.n);
  CHECK(s.ordered, "rate_scale 2.5: in time order");
  trace_summary again = trace_read_all(&c, &tf);
  CHECK_INT(again.n, s.n, "rate_scale: deterministic from the seed");
  trace_cfg_free(&c);
}

/* tests/data/csv_edge.csv: quoted header names and fields, doubled quotes, a
 * field spanning two lines, CRLF, a blank line, ISO times in several zones,
 * epoch seconds, durations in ms, a missing final newline. */
static void check_edge_records(const char *path, const char *what) {
  wl_trace_cfg c = trace_cfg(path, WL_FMT_CSV);
  trace_set(&c.time_column, "when");
  trace_set(&c.duration_column, "svc ms");
  trace_set(&c.cpu_column, "4");
  c.duration_unit = WL_UNIT_MS;
  c.spread = WL_SPREAD_NONE;
  wl_source *src;
  sim_error err;
  if (CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "%s: opens", what)) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  const double at[] = {0, 0.5, 1, 2.25, 3};
  const double dur[] = {0.12, 0.08, 0.25, 0, 1.0};
  const double cpu[] = {0.06, 0.04, 0.125, 0, 0.5};
  wl_request r;
  int i = 0;
  while (wl_next(src, &r, &err) == 1 && i < 5) {
    CHECK_ABS(r.arrival_s, at[i], 1e-9, "%s: row %d arrival", what, i + 1);
    CHECK_ABS(r.cpu_s + r.wait_s, dur[i], 1e-12, "%s: row %d duration", what, i + 1);
    CHECK_ABS(r.cpu_s, cpu[i], 1e-12, "%s: row %d cpu", what, i + 1);
    i++;
  }
  CHECK_INT(i, 5, "%s: five rows", what);
  CHECK_REL(src->origin_epoch_s, 1714564800, 0, "%s: origin 2024-05-01T12:00:00Z", what);
  wl_source_free(src);
  trace_cfg_free(&c);
}

static void test_edge_cases(void) {
  check_edge_records("tests/data/csv_edge.csv", "edge");
  CHECK_INT(trace_gzip_copy("tests/data/csv_edge.csv", "/tmp/scalesim_test_csv_edge.csv.gz"), 0,
            "gzip copy written");
  check_edge_records("/tmp/scalesim_test_csv_edge.csv.gz", "edge.gz");
  remove("/tmp/scalesim_test_csv_edge.csv.gz");
}

static void test_time_marks_end(void) {
  trace_write("/tmp/scalesim_test_end.csv", "end,dur\n10,4\n12,1\n11.5,0.5\n");
  wl_trace_cfg c = trace_cfg("/tmp/scalesim_test_end.csv", WL_FMT_CSV);
  trace_set(&c.time_column, "end");
  trace_set(&c.duration_column, "dur");
  c.time_marks = WL_MARKS_END;
  c.spread = WL_SPREAD_NONE;
  wl_source *src;
  sim_error err;
  trace_open(&c, NULL, &src, &err);
  wl_request r;
  const double at[] = {0, 5, 5};
  for (int i = 0; i < 3; i++) {
    wl_next(src, &r, &err);
    CHECK_ABS(r.arrival_s, at[i], 1e-12, "time_marks end: arrival %d = end - duration", i);
  }
  CHECK_INT(wl_next(src, &r, &err), 0, "time_marks end: three rows");
  wl_source_free(src);
  trace_cfg_free(&c);
  remove("/tmp/scalesim_test_end.csv");
}

/* No header: columns by 0-based index; another delimiter; epoch ms. */
static void test_no_header(void) {
  trace_write("/tmp/scalesim_test_nohdr.csv", "1714564800000;500\n1714564801250;250\n");
  wl_trace_cfg c = trace_cfg("/tmp/scalesim_test_nohdr.csv", WL_FMT_CSV);
  c.header = false;
  trace_set(&c.delimiter, ";");
  trace_set(&c.time_column, "0");
  trace_set(&c.duration_column, "1");
  c.time_format = WL_TIME_MS;
  c.duration_unit = WL_UNIT_MS;
  wl_source *src;
  sim_error err;
  CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "no header: opens");
  wl_request r;
  wl_next(src, &r, &err);
  CHECK(r.arrival_s >= 0 && r.arrival_s < 0.001, "no header: first arrival within its ms");
  CHECK_ABS(r.cpu_s + r.wait_s, 0.5, 1e-12, "no header: duration in ms");
  wl_next(src, &r, &err);
  CHECK(r.arrival_s >= 1.25 && r.arrival_s < 1.251, "no header: epoch ms");
  CHECK_REL(src->origin_epoch_s, 1714564800, 0, "no header: origin");
  wl_source_free(src);
  trace_set(&c.time_column, "time");
  trace_summary s = trace_read_all(&c, NULL);
  CHECK_INT(s.rc, -SIM_ESCENARIO, "a column name without a header: scenario error");
  CHECK_STR(s.err.msg,
            "/tmp/scalesim_test_nohdr.csv: column 'time' is a name but the trace has no header "
            "(header: false); give a 0-based index",
            "a column name without a header: message");
  trace_cfg_free(&c);
  remove("/tmp/scalesim_test_nohdr.csv");
}

static void test_malformed(void) {
  wl_trace_cfg c = trace_cfg("tests/data/csv_bad.csv", WL_FMT_CSV);
  trace_set(&c.duration_column, "duration");
  trace_summary s = trace_read_all(&c, NULL);
  CHECK_INT(s.rc, -SIM_EINPUT, "malformed: input error");
  CHECK_INT(s.n, 1, "malformed: the good row before it comes first");
  CHECK_STR(s.err.msg,
            "tests/data/csv_bad.csv:3: duration: expected a number >= 0 (s), got 'abc'",
            "malformed duration: message");

  c.on_error = WL_ON_ERROR_SKIP;
  wl_source *src;
  sim_error err;
  trace_open(&c, NULL, &src, &err);
  s = trace_drain(src, 0);
  CHECK_INT(s.rc, 0, "on_error skip: reads to the end");
  CHECK_INT(s.n, 2, "on_error skip: the two good rows");
  CHECK_INT(src->skipped, 3, "on_error skip: three rows counted");
  wl_source_free(src);
  trace_cfg_free(&c);

  /* Each kind of fault, alone, with its message. */
  struct {
    const char *text, *msg;
  } cases[] = {
      {"time,duration\n5,1\nyesterday,0.2\n",
       "/tmp/scalesim_test_bad.csv:3: time: expected epoch seconds or an ISO 8601 time, got "
       "'yesterday'"},
      {"time,duration\n5,1\n6\n",
       "/tmp/scalesim_test_bad.csv:3: duration: missing (the row has 1 field)"},
      {"time,duration\n5,1\n2024-02-30T00:00:00Z,1\n",
       "/tmp/scalesim_test_bad.csv:3: time: expected epoch seconds or an ISO 8601 time, got "
       "'2024-02-30T00:00:00Z'"},
      {"time,duration\n5,-1\n",
       "/tmp/scalesim_test_bad.csv:2: duration: expected a number >= 0 (s), got '-1'"},
      {"tme,duration\n5,1\n",
       "/tmp/scalesim_test_bad.csv:1: header: no column named 'time' (columns: tme, duration)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    trace_write("/tmp/scalesim_test_bad.csv", cases[i].text);
    c = trace_cfg("/tmp/scalesim_test_bad.csv", WL_FMT_CSV);
    trace_set(&c.duration_column, "duration");
    s = trace_read_all(&c, NULL);
    CHECK_INT(s.rc, -SIM_EINPUT, "bad case %zu: input error", i);
    CHECK_STR(s.err.msg, cases[i].msg, "bad case %zu: message", i);
    trace_cfg_free(&c);
  }
  remove("/tmp/scalesim_test_bad.csv");

  c = trace_cfg("tests/data/no_such_file.csv", WL_FMT_CSV);
  s = trace_read_all(&c, NULL);
  CHECK_INT(s.rc, -SIM_EINPUT, "missing file: input error");
  CHECK_STR(s.err.msg, "tests/data/no_such_file.csv: cannot open: No such file or directory",
            "missing file: message");
  trace_cfg_free(&c);
}

static void test_reorder_window(void) {
  wl_trace_cfg c = trace_cfg("tests/data/csv_unsorted.csv", WL_FMT_CSV);
  c.spread = WL_SPREAD_NONE;
  wl_source *src;
  sim_error err;
  trace_open(&c, NULL, &src, &err);
  wl_request r;
  /* Every record read before the bad one comes out, in order, then the error. */
  const double want[] = {0, 10, 30, 100};
  for (int i = 0; i < 4; i++) {
    wl_next(src, &r, &err);
    CHECK_ABS(r.arrival_s, want[i], 0, "reorder: record %d back in order", i);
  }
  int rc = wl_next(src, &r, &err);
  CHECK_INT(rc, -SIM_EINPUT, "reorder: beyond the window is an error");
  CHECK_STR(err.msg,
            "tests/data/csv_unsorted.csv:6: time: 75 s earlier than line 5, beyond the re-order "
            "window of 60 s (workload.trace.reorder_window)",
            "reorder: message names file and line");
  wl_source_free(src);
  c.reorder_window_s = 100;
  trace_summary s = trace_read_all(&c, NULL);
  CHECK_INT(s.n, 5, "reorder window 100 s: all five");
  CHECK(s.ordered, "reorder window 100 s: in order");
  trace_cfg_free(&c);
}

static void test_merge_glob(void) {
  wl_trace_cfg c = trace_cfg("tests/data/merge/node-*.csv", WL_FMT_CSV);
  trace_set(&c.size_column, "size");
  c.spread = WL_SPREAD_NONE;
  wl_source *src;
  sim_error err;
  CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "merge: opens three files");
  const double at[] = {0, 1, 2, 3, 3, 5, 6, 100};
  const double size[] = {1, 2, 1, 1, 2, 2, 1, 2}; /* ties: the file first by name first */
  wl_request r;
  int i = 0;
  while (wl_next(src, &r, &err) == 1 && i < 8) {
    CHECK_ABS(r.arrival_s, at[i], 0, "merge: arrival %d", i);
    CHECK_ABS(r.size, size[i], 0, "merge: record %d from the right file", i);
    i++;
  }
  CHECK_INT(i, 8, "merge: every record of both non-empty files");
  wl_source_free(src);
  trace_cfg_free(&c);

  c = trace_cfg("tests/data/merge/nothing-*.csv", WL_FMT_CSV);
  trace_summary s = trace_read_all(&c, NULL);
  CHECK_STR(s.err.msg, "tests/data/merge/nothing-*.csv: no file matches", "merge: no match");
  trace_cfg_free(&c);
}

int main(void) {
  check_init();
  test_nasa_counts_and_span();
  test_spread_determinism();
  test_nasa_filters();
  test_nasa_window_speedup();
  test_nasa_rate_scale();
  test_edge_cases();
  test_time_marks_end();
  test_no_header();
  test_malformed();
  test_reorder_window();
  test_merge_glob();
  return check_done();
}
