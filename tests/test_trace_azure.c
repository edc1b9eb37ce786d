/* test_trace_azure.c — the Azure Functions readers on the real samples in
 * workloads/traces/: 2019 (per-minute counts per function, durations from each
 * function's percentile table, memory) and 2021 (one row per invocation,
 * arrival = end - duration). Also day files merged by a glob, filters by
 * function and trigger, and malformed files with their exact messages. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/check.h"
#include "tests/trace_util.h"

#define A19 "workloads/traces/azure-functions-2019-sample/"
#define INV A19 "exp_sim_invocation_traces_0.csv"
#define DUR A19 "exp_sim_duration_traces_0.csv"
#define MEM A19 "exp_sim_memory_traces_0.csv"
#define A21 "workloads/traces/azure-functions-2021-sample/Azure2021_200.csv"

static wl_trace_cfg cfg2019(void) {
  wl_trace_cfg c = trace_cfg(INV, WL_FMT_AZURE2019);
  trace_set(&c.durations, DUR);
  trace_set(&c.memory, MEM);
  return c;
}

/* Facts of the sample (workloads/traces/azure-functions-2019-sample/README.md). */
static void test_2019_totals(void) {
  wl_trace_cfg c = cfg2019();
  wl_source *src;
  sim_error err;
  if (CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "2019: opens")) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  CHECK_REL(src->origin_epoch_s, 0, 0, "2019: minutes from the day start, no epoch");
  long per_minute[60] = {0}, n = 0;
  int ordered = 1, inside = 1;
  double prev = 0;
  wl_request r;
  while (wl_next(src, &r, &err) == 1) {
    ordered &= r.arrival_s >= prev;
    inside &= r.arrival_s >= 0 && r.arrival_s < 3600;
    prev = r.arrival_s;
    if (inside) per_minute[(int)(r.arrival_s / 60)]++;
    n++;
  }
  CHECK_INT(n, 85470, "2019: 85,470 invocations");
  CHECK(ordered && inside, "2019: in order, inside the hour");
  long lo = per_minute[0], hi = per_minute[0];
  for (int m = 1; m < 60; m++) {
    lo = per_minute[m] < lo ? per_minute[m] : lo;
    hi = per_minute[m] > hi ? per_minute[m] : hi;
  }
  CHECK_INT(lo, 1106, "2019: the quietest minute has 1,106");
  CHECK_INT(hi, 2622, "2019: the busiest minute has 2,622");
  wl_source_free(src);
  trace_cfg_free(&c);
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Function 401 (991 invocations): durations from its percentile table
 * (ms: 1, 1, 3, 4, 6, 186, 47296 at 0, 1, 25, 50, 75, 99, 100 %), its app's
 * memory (420 MB) as the size. */
static void test_2019_durations_memory(void) {
  wl_trace_cfg c = cfg2019();
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.filter.function = "401";
  wl_source *src;
  sim_error err;
  trace_open(&c, &tf, &src, &err);
  double d[991];
  int n = 0, bounded = 1, sized = 1;
  wl_request r;
  while (n < 991 && wl_next(src, &r, &err) == 1) {
    d[n] = r.cpu_s + r.wait_s;
    bounded &= d[n] >= 0.001 && d[n] <= 47.296;
    sized &= r.size == 420;
    n++;
  }
  CHECK_INT(n, 991, "2019 function 401: 991 invocations");
  CHECK_INT(wl_next(src, &r, &err), 0, "2019 function 401: no more");
  CHECK(bounded, "2019 function 401: durations between its 0th and 100th percentiles");
  CHECK(sized, "2019 function 401: size is its app's AverageAllocatedMb");
  qsort(d, (size_t)n, sizeof *d, by_value);
  /* Sample median of 991 draws: sd about 0.13 ms around 4 ms. */
  CHECK_ABS(d[n / 2], 0.004, 0.0005, "2019 function 401: median near its 50th percentile");
  wl_source_free(src);

  tf.filter.function = "0, 1";
  trace_summary s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 22, "2019 functions 0 and 1: 22 invocations");
  tf.filter.function = NULL;
  tf.filter.trigger = "http";
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 24441, "2019 http functions: 24,441 invocations");
  tf.filter.trigger = NULL;

  /* Without a durations file, durations come from request.duration. */
  trace_set(&c.durations, "");
  s = trace_read_all(&c, NULL);
  CHECK_ABS(s.sum_duration_s, 0.1 * 85470, 1e-6, "2019 without durations: request.duration");
  trace_cfg_free(&c);
}

/* Function 0 is a timer firing in minutes 1, 6, 11, ...: equidistant spreading
 * puts each call in the middle of its minute. */
static void test_2019_equidistant(void) {
  wl_trace_cfg c = cfg2019();
  c.spread = WL_SPREAD_EQUIDISTANT;
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.filter.function = "0";
  wl_source *src;
  sim_error err;
  trace_open(&c, &tf, &src, &err);
  wl_request r;
  for (int i = 0; i < 3; i++) {
    wl_next(src, &r, &err);
    CHECK_ABS(r.arrival_s, 30 + 300 * i, 1e-9, "2019 timer: call %d mid-minute", i);
  }
  wl_source_free(src);
  trace_cfg_free(&c);
}

/* Day files named like Azure's (`...anon.d01.csv`) are placed on their day. */
static void test_2019_days(void) {
  const char *d1 = "/tmp/scalesim_test_inv.anon.d01.csv";
  const char *d2 = "/tmp/scalesim_test_inv.anon.d02.csv";
  CHECK(system("cp " INV " /tmp/scalesim_test_inv.anon.d01.csv && cp " INV
               " /tmp/scalesim_test_inv.anon.d02.csv") == 0,
        "day files copied");
  wl_trace_cfg c = trace_cfg("/tmp/scalesim_test_inv.anon.d0?.csv", WL_FMT_AZURE2019);
  wl_source *src;
  sim_error err;
  trace_open(&c, NULL, &src, &err);
  wl_request r;
  long day1 = 0, day2 = 0, other = 0;
  while (wl_next(src, &r, &err) == 1) {
    if (r.arrival_s < 3600) day1++;
    else if (r.arrival_s >= 86400 && r.arrival_s < 86400 + 3600) day2++;
    else other++;
  }
  CHECK(day1 == 85470 && day2 == 85470 && other == 0, "2019 days: each file on its own day");
  wl_source_free(src);
  trace_cfg_free(&c);
  remove(d1);
  remove(d2);
}

static void test_2019_malformed(void) {
  const char *inv = "/tmp/scalesim_test_az_inv.csv", *dur = "/tmp/scalesim_test_az_dur.csv";
  trace_write(inv, "HashFunction,Trigger,1,2,3\na,http,1,0,2\nb,timer,1,x,1\n");
  wl_trace_cfg c = trace_cfg(inv, WL_FMT_AZURE2019);
  trace_summary s = trace_read_all(&c, NULL);
  CHECK_INT(s.rc, -SIM_EINPUT, "2019 bad count: input error");
  CHECK_STR(s.err.msg,
            "/tmp/scalesim_test_az_inv.csv:3: minute 2: expected a count (an integer >= 0), got "
            "'x'",
            "2019 bad count: message");
  c.on_error = WL_ON_ERROR_SKIP;
  wl_source *src;
  sim_error err;
  trace_open(&c, NULL, &src, &err);
  s = trace_drain(src, 0);
  CHECK(s.n == 3 && src->skipped == 1, "2019 bad count: the function's row skipped, counted");
  wl_source_free(src);
  trace_cfg_free(&c);

  trace_write(inv, "HashFunction,Trigger,1,2,3\na,http,1,0,2\n");
  trace_write(dur,
              "HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"
              "percentile_Average_1,percentile_Average_25,percentile_Average_50,"
              "percentile_Average_75,percentile_Average_99,percentile_Average_100\n"
              "a,10,3,1,20,1,2,9,8,12,19,20\n");
  c = trace_cfg(inv, WL_FMT_AZURE2019);
  trace_set(&c.durations, dur);
  s = trace_read_all(&c, NULL);
  CHECK_STR(s.err.msg,
            "/tmp/scalesim_test_az_dur.csv:2: percentile_Average: values must not decrease "
            "(0.008 at percentile 50 after 0.009 at 25)",
            "2019 decreasing percentiles: message");
  trace_cfg_free(&c);

  trace_write(inv, "HashFunction,Trigger,1,99999\na,http,1,2\n");
  c = trace_cfg(inv, WL_FMT_AZURE2019);
  s = trace_read_all(&c, NULL);
  CHECK_STR(s.err.msg,
            "/tmp/scalesim_test_az_inv.csv:1: header: minute column '99999' is not in 1..1440",
            "2019 minute beyond a day: message");
  trace_cfg_free(&c);

  trace_write(inv, "HashFunction,Trigger\na,http\n");
  c = trace_cfg(inv, WL_FMT_AZURE2019);
  s = trace_read_all(&c, NULL);
  CHECK_STR(s.err.msg, "/tmp/scalesim_test_az_inv.csv:1: header: no minute columns (1, 2, ...)",
            "2019 without minutes: message");
  trace_cfg_free(&c);
  remove(inv);
  remove(dur);
}

static void test_2021(void) {
  wl_trace_cfg c = trace_cfg(A21, WL_FMT_AZURE2021);
  wl_source *src;
  sim_error err;
  if (CHECK_INT(trace_open(&c, NULL, &src, &err), 0, "2021: opens")) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  trace_summary s = trace_drain(src, 0);
  CHECK_INT(s.n, 199, "2021: 199 invocations");
  CHECK(s.ordered, "2021: in arrival order (end - duration)");
  /* Spread within the end timestamps' resolution (17 decimals): < 1e-16 s. */
  CHECK_ABS(s.first_s, 0, 1e-15, "2021: t = 0 at the first start");
  /* Starts run from 0.0014909 s to 1200.0147981 s of the trace's clock. */
  CHECK_ABS(s.last_s, 1200.0133071537018, 1e-9, "2021: the last start");
  CHECK_ABS(s.sum_duration_s, 10599.17, 1e-6, "2021: every duration from the trace");
  CHECK_REL(src->origin_epoch_s, 0, 0, "2021: seconds from the trace start, no epoch");
  wl_source_free(src);

  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.filter.function = "734272c01926d19690e5ec308bab64ef97950b75b1c7582283e0783fce1751d8";
  s = trace_read_all(&c, &tf);
  CHECK_INT(s.n, 59, "2021: filter by app id");
  tf.filter.url_prefix = "/";
  s = trace_read_all(&c, &tf);
  CHECK_STR(s.err.msg, "workload.filter.url_prefix: a azure2021 trace has no such field",
            "2021: a URL filter is refused");
  trace_cfg_free(&c);

  trace_write("/tmp/scalesim_test_2021.csv",
              "app,func,end_timestamp,duration\na,f,10.5,0.5\na,f,11,2,extra\na,f,12,oops\n");
  c = trace_cfg("/tmp/scalesim_test_2021.csv", WL_FMT_AZURE2021);
  s = trace_read_all(&c, NULL);
  CHECK_STR(s.err.msg,
            "/tmp/scalesim_test_2021.csv:4: duration: expected a number >= 0 (s), got 'oops'",
            "2021 bad duration: message");
  CHECK_INT(s.n, 2, "2021: rows before the bad one (an extra field is ignored)");
  trace_cfg_free(&c);
  remove("/tmp/scalesim_test_2021.csv");
}

int main(void) {
  check_init();
  test_2019_totals();
  test_2019_durations_memory();
  test_2019_equidistant();
  test_2019_days();
  test_2019_malformed();
  test_2021();
  return check_done();
}
