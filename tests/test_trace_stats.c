/* test_trace_stats.c — `scalesim trace-stats` (wl_trace_stats): the summary
 * of the real traces in workloads/traces/ and of hand-written ones, with the
 * format given or guessed; bad records counted; an unknown format refused. */
#include <math.h>
#include <stdlib.h>

#include "tests/check.h"
#include "tests/trace_util.h"
#include "workloads/trace_stats.h"

/* Runs wl_trace_stats into a string (freed by the caller); status in *rc. */
static char *stats(const char *path, const char *format, int *rc, sim_error *err) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  *rc = wl_trace_stats(path, format, f, err);
  fclose(f);
  return text;
}

static void test_nasa(void) {
  int rc;
  sim_error err;
  char *t = stats("workloads/traces/nasa-http/nasa_19950801.tsv", NULL, &rc, &err);
  CHECK_INT(rc, 0, "nasa: summarized");
  CHECK_CONTAINS(t, "(tsv)", "nasa: guessed tsv");
  CHECK_CONTAINS(t, "requests        30969\n", "nasa: 30,969 requests");
  CHECK_CONTAINS(t, "time span       1995-08-01T06:00:00Z .. 1995-08-01T18:52:01Z (12h 52m 1s)",
                 "nasa: span as logged");
  CHECK_CONTAINS(t, "per s  17", "nasa: peak 17 per second");
  CHECK_CONTAINS(t, "durations       none in the trace", "nasa: no durations");
  CHECK_CONTAINS(t, "bad records     0", "nasa: nothing bad");
  free(t);
}

static void test_worldcup(void) {
  int rc;
  sim_error err;
  char *t = stats("workloads/traces/worldcup98/invocation_count.csv", NULL, &rc, &err);
  CHECK_INT(rc, 0, "worldcup: summarized");
  CHECK_CONTAINS(t, "(counts)", "worldcup: guessed counts");
  CHECK_CONTAINS(t, "requests        1352804107\n", "worldcup: the official total");
  CHECK_CONTAINS(t, "intervals       125300 of 1m\n", "worldcup: 125,300 minutes");
  CHECK_CONTAINS(t, "per min 229426", "worldcup: peak minute");
  CHECK_CONTAINS(t, "per s  n/a", "worldcup: no per-second peak in per-minute data");
  free(t);
}

static void test_durations_and_errors(void) {
  int rc;
  sim_error err;
  char *t =
      stats("workloads/traces/azure-functions-2021-sample/Azure2021_200.csv", NULL, &rc, &err);
  CHECK_CONTAINS(t, "(azure2021)", "2021: guessed");
  CHECK_CONTAINS(t, "durations       199 of 199 requests: p50 1.6", "2021: median duration 1.63 s");
  free(t);
  t = stats("tests/data/alb_edge.log", NULL, &rc, &err);
  CHECK_CONTAINS(t, "(alb)", "alb: guessed");
  CHECK_CONTAINS(t, "requests        5\n", "alb: five");
  CHECK_CONTAINS(t, "origin errors   2", "alb: two failed in the original system");
  CHECK_CONTAINS(t, "durations       3 of 5 requests", "alb: three with a target time");
  free(t);
  t = stats("tests/data/clf_edge.log", NULL, &rc, &err);
  CHECK_CONTAINS(t, "(clf)", "clf: guessed");
  CHECK_CONTAINS(t, "requests        7\n", "clf: seven");
  free(t);
  t = stats("tests/data/csv_bad.csv", "csv", &rc, &err);
  CHECK_INT(rc, 0, "bad csv: still summarized");
  CHECK_CONTAINS(t, "bad records     3; first: tests/data/csv_bad.csv:3: duration: expected a "
                    "number >= 0 (s), got 'abc'",
                 "bad csv: counted, the first shown");
  free(t);
  t = stats("tests/data/csv_bad.csv", "xml", &rc, &err);
  CHECK_INT(rc, SIM_EUSAGE, "unknown format: usage error");
  CHECK_STR(err.msg,
            "unknown format 'xml' (csv, tsv, clf, alb, azure2019, azure2021, counts, "
            "count_series)",
            "unknown format: message");
  free(t);
  t = stats("tests/data/none.log", NULL, &rc, &err);
  CHECK_INT(rc, SIM_EINPUT, "missing file: input error");
  free(t);
}

static void test_count_series(void) {
  int rc;
  sim_error err;
  char *t = stats("workloads/traces/nasa-http-per-second/workload.txt.gz", NULL, &rc, &err);
  CHECK_INT(rc, 0, "nasa/s: summarized");
  CHECK_CONTAINS(t, "(count_series)", "nasa/s: guessed from its one long line");
  CHECK_CONTAINS(t, "requests        3461610\n", "nasa/s: 3,461,610 requests");
  CHECK_CONTAINS(t, "intervals       5059950 of 1s\n", "nasa/s: one count per second");
  CHECK_CONTAINS(t, "per s  20", "nasa/s: peak 20 per second");
  CHECK_CONTAINS(t, "of the trace's clock", "nasa/s: no start given, so no dates");
  free(t);
}

int main(void) {
  check_init();
  test_nasa();
  test_worldcup();
  test_count_series();
  test_durations_and_errors();
  return check_done();
}
