/* test_trace_counts.c — the count readers on real data: the World Cup 98
 * per-minute file (`counts`) and the NASA-HTTP per-second file
 * (`count_series`). Totals are checked through wl_counts_summarize, which reads
 * every row without expanding a request (expanding 1.35 billion requests is a
 * benchmark, not a unit test); expansion is checked on windows: exact counts,
 * arrivals inside their interval and in order, spread modes. Malformed rows
 * with their exact messages. */
#include <math.h>
#include <stdlib.h>

#include "tests/check.h"
#include "tests/trace_util.h"

#define WC "workloads/traces/worldcup98/invocation_count.csv"
#define NASA_S "workloads/traces/nasa-http-per-second/workload.txt.gz"

static wl_trace_cfg wc_cfg(void) {
  wl_trace_cfg c = trace_cfg(WC, WL_FMT_COUNTS);
  trace_set(&c.time_column, "period");
  c.interval_s = 60;
  return c;
}

static void test_worldcup_totals(void) {
  wl_trace_cfg c = wc_cfg();
  wl_counts_summary t;
  sim_error err;
  CHECK_INT(wl_counts_summarize(&c, &t, &err), 0, "worldcup: summarized");
  /* workloads/traces/worldcup98/README.md: the official total. */
  CHECK_INT(t.rows, 125300, "worldcup: 125,300 rows");
  CHECK(t.total == 1352804107ull, "worldcup: 1,352,804,107 requests (got %llu)",
        (unsigned long long)t.total);
  CHECK_INT(t.peak, 229426, "worldcup: peak 229,426 per minute");
  CHECK_REL(t.first_s, 893971800, 0, "worldcup: starts 1998-04-30 21:30 GMT");
  CHECK_REL(t.last_s, 901490340, 0, "worldcup: last minute 1998-07-26 21:59 GMT");
  trace_cfg_free(&c);
}

/* Expanding a window gives exactly the counts of its minutes. */
static void test_worldcup_windows(void) {
  wl_trace_cfg c = wc_cfg();
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.end = "1h";
  wl_source *src;
  sim_error err;
  trace_open(&c, &tf, &src, &err);
  CHECK_REL(src->origin_epoch_s, 893971800, 0, "worldcup: origin at the first minute");
  trace_summary s = trace_drain(src, 0);
  CHECK_INT(s.n, 28340, "worldcup first hour: 28,340 requests (sum of its rows)");
  CHECK(s.ordered && s.first_s >= 0 && s.last_s < 3600, "worldcup first hour: in order, inside");
  wl_source_free(src);

  /* 40 days in: the rows before are skipped without being expanded. */
  tf.start = "40d";
  tf.end = "57610m"; /* 40 days and 10 minutes */
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 159991, "worldcup day 40, 10 minutes: 159,991 requests");
  CHECK(s.ordered && s.last_s < 600, "worldcup day 40: rebased to the window start");

  /* The peak minute, 1998-07-07 21:41 GMT: 229,426 requests in 60 s. */
  tf.start = "1998-07-07T21:41:00Z";
  tf.end = "1998-07-07T21:42:00Z";
  trace_open(&c, &tf, &src, &err);
  wl_request r;
  long n = 0;
  double sum = 0, prev = 0;
  int ordered = 1, inside = 1;
  while (wl_next(src, &r, &err) == 1) {
    ordered &= r.arrival_s >= prev;
    inside &= r.arrival_s >= 0 && r.arrival_s < 60;
    prev = r.arrival_s;
    sum += r.arrival_s;
    n++;
  }
  CHECK_INT(n, 229426, "worldcup peak minute: every request");
  CHECK(ordered && inside, "worldcup peak minute: in order, inside the minute");
  /* Uniform: mean 30 s, sd of the mean 17.3 / sqrt(229426) = 0.036 s. */
  CHECK_ABS(sum / n, 30, 4 * 0.036, "worldcup peak minute: spread uniformly");
  wl_source_free(src);
  trace_cfg_free(&c);
}

/* rate_scale below 1 on a count series thins each interval's count
 * (Binomial) before expanding: the kept total is Binomial(N, p). */
static void test_thinned_counts(void) {
  wl_trace_cfg c = wc_cfg();
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.start = "1998-07-07T21:00:00Z";
  tf.end = "1998-07-07T22:00:00Z";
  trace_summary all = trace_read_all(&c, &tf);
  tf.rate_scale = 0.05;
  trace_summary kept = trace_read_all(&c, &tf);
  double n = all.n, p = 0.05, sd = sqrt(n * p * (1 - p));
  CHECK_ABS(kept.n, n * p, 4 * sd, "worldcup hour at rate_scale 0.05: Binomial(N, 0.05) kept");
  CHECK(kept.ordered && kept.first_s >= 0 && kept.last_s < 3600,
        "thinned counts: in order, inside the window");
  trace_summary again = trace_read_all(&c, &tf);
  CHECK_INT(again.n, kept.n, "thinned counts: deterministic from the seed");
  trace_cfg_free(&c);
}

/* A window starting inside an interval of a huge count skips the requests
 * before it without drawing them: 10^12 in an hour, window of its last 10 ms,
 * keeps Binomial(10^12, 1/360000) of them, and does so at once. */
static void test_window_inside_huge_count(void) {
  trace_write("/tmp/scalesim_test_counts_huge.csv", "time,count\n0,1000000000000\n");
  wl_trace_cfg c = trace_cfg("/tmp/scalesim_test_counts_huge.csv", WL_FMT_COUNTS);
  c.interval_s = 3600;
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.start = "3599990ms";
  trace_summary s = trace_read_all(&c, &tf);
  double want = 1e12 / 360000, sd = sqrt(want);
  CHECK_ABS(s.n, want, 5 * sd, "window inside a huge interval: the requests after its start");
  CHECK(s.ordered && s.first_s >= 0 && s.last_s <= 0.01, "and only those, rebased");
  trace_cfg_free(&c);
}

static void test_spread_modes(void) {
  trace_write("/tmp/scalesim_test_counts.csv", "time,count\n0,2\n60,3\n180,1\n");
  wl_trace_cfg c = trace_cfg("/tmp/scalesim_test_counts.csv", WL_FMT_COUNTS);
  c.interval_s = 60;
  c.spread = WL_SPREAD_EQUIDISTANT;
  wl_source *src;
  sim_error err;
  trace_open(&c, NULL, &src, &err);
  const double at[] = {15, 45, 70, 90, 110, 210};
  wl_request r;
  for (int i = 0; i < 6; i++) {
    wl_next(src, &r, &err);
    CHECK_ABS(r.arrival_s, at[i], 1e-9, "equidistant: arrival %d", i);
  }
  CHECK_INT(wl_next(src, &r, &err), 0, "equidistant: six in all");
  wl_source_free(src);
  c.spread = WL_SPREAD_NONE;
  trace_summary s = trace_read_all(&c, NULL);
  CHECK(s.n == 6 && s.last_s == 180, "spread none: at the interval starts");
  trace_cfg_free(&c);

  /* Poisson: the counts become rates; over many intervals the total is about
   * the sum (Poisson, sd = sqrt(total)). */
  FILE *f = fopen("/tmp/scalesim_test_counts.csv", "w");
  fprintf(f, "time,count\n");
  for (int i = 0; i < 1000; i++) fprintf(f, "%d,%d\n", i, 100);
  fclose(f);
  c = trace_cfg("/tmp/scalesim_test_counts.csv", WL_FMT_COUNTS);
  c.interval_s = 1;
  c.spread = WL_SPREAD_POISSON;
  s = trace_read_all(&c, NULL);
  CHECK(fabs(s.n - 100000.0) < 4 * sqrt(100000.0), "poisson spread: total near 100,000 (%ld)", s.n);
  CHECK(s.n != 100000, "poisson spread: the count varies");
  CHECK(s.ordered, "poisson spread: in order");
  trace_cfg_free(&c);
  remove("/tmp/scalesim_test_counts.csv");
}

static void test_nasa_per_second(void) {
  wl_trace_cfg c = trace_cfg(NASA_S, WL_FMT_COUNT_SERIES);
  c.interval_s = 1;
  trace_set(&c.series_start, "1995-07-01T00:00:01-04:00");
  wl_counts_summary t;
  sim_error err;
  CHECK_INT(wl_counts_summarize(&c, &t, &err), 0, "nasa/s: summarized");
  /* workloads/traces/nasa-http-per-second/README.md */
  CHECK_INT(t.rows, 5059950, "nasa/s: 5,059,950 one-second slots");
  CHECK_INT(t.total, 3461610, "nasa/s: 3,461,610 requests");
  CHECK_INT(t.peak, 20, "nasa/s: peak 20 per second");
  CHECK_REL(t.first_s, 804571201, 0, "nasa/s: slot 0 is 01/Jul/1995:00:00:01 -0400");
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.end = "10m";
  wl_source *src;
  trace_open(&c, &tf, &src, &err);
  CHECK_REL(src->origin_epoch_s, 804571201, 0, "nasa/s: origin");
  trace_summary s = trace_drain(src, 0);
  CHECK_INT(s.n, 568, "nasa/s first 10 minutes: 568 requests (sum of 600 slots)");
  CHECK(s.ordered, "nasa/s: in order");
  wl_source_free(src);
  trace_cfg_free(&c);
}

static void test_malformed(void) {
  const char *path = "/tmp/scalesim_test_counts_bad";
  struct {
    int format;
    const char *text, *msg;
  } cases[] = {
      {WL_FMT_COUNTS, "time,count\n1998-04-30 21:30:00,2\n1998-04-30 21:31:00,-3\n",
       "3: count: expected a count (an integer >= 0), got '-3'"},
      {WL_FMT_COUNTS, "time,count\n1998-04-30 21:30:00,2\n1998-04-30 21:29:00,3\n",
       "3: time: interval starts before the one of line 2 ends (rows must be in time order, "
       "one interval each)"},
      {WL_FMT_COUNTS, "time,count\n1998-04-30 21:30:00,2\n1998-04-30 25:31:00,3\n",
       "3: time: expected epoch seconds or an ISO 8601 time, got '1998-04-30 25:31:00'"},
      {WL_FMT_COUNTS, "time,count\n1998-04-30 21:30:00,2\n1998-04-30 21:31:00\n",
       "3: count: missing (the row has 1 field)"},
      {WL_FMT_COUNT_SERIES, "1 2\n3 x 4\n",
       "2: slot 3: expected a count (an integer >= 0), got 'x'"},
      {WL_FMT_COUNT_SERIES, "1 2.5", "1: slot 1: expected a count (an integer >= 0), got '2.5'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    trace_write(path, cases[i].text);
    wl_trace_cfg c = trace_cfg(path, cases[i].format);
    c.interval_s = 60;
    trace_summary s = trace_read_all(&c, NULL);
    char want[300];
    snprintf(want, sizeof want, "%s:%s", path, cases[i].msg);
    CHECK_INT(s.rc, -SIM_EINPUT, "counts bad %zu: input error", i);
    CHECK_STR(s.err.msg, want, "counts bad %zu: message", i);
    c.on_error = WL_ON_ERROR_SKIP;
    wl_counts_summary t;
    sim_error err;
    CHECK(wl_counts_summarize(&c, &t, &err) == 0 && t.skipped == 1,
          "counts bad %zu: skipped and counted", i);
    trace_cfg_free(&c);
  }
  remove(path);

  wl_trace_cfg c = trace_cfg(WC, WL_FMT_COUNTS);
  trace_set(&c.time_column, "period");
  trace_summary s = trace_read_all(&c, NULL);
  CHECK_INT(s.rc, -SIM_ESCENARIO, "counts without an interval: scenario error");
  CHECK_STR(s.err.msg,
            "workload.trace.interval: the counts formats need the interval one count covers "
            "(e.g. 1s, 1m)",
            "counts without an interval: message");
  trace_cfg_free(&c);
}

int main(void) {
  check_init();
  test_worldcup_totals();
  test_worldcup_windows();
  test_thinned_counts();
  test_window_inside_huge_count();
  test_spread_modes();
  test_nasa_per_second();
  test_malformed();
  return check_done();
}
