/* test_edge.c — numeric edge cases (issue #8): NaN and infinite values,
 * negative durations, zero rates, zero capacity, enormous counts, arrival times
 * before the scenario start. Each is either an error with exactly the message
 * pinned here, or has the meaning docs/guarantees.md gives it. They are tested
 * where a user meets them: unit parsing, the scenario loader (through `--set`
 * overrides of a valid scenario, as on the command line), and the trace
 * pipeline. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cfg.h"
#include "sim/scenario.h"
#include "sim/units.h"
#include "tests/check.h"
#include "workloads/trace.h"

/* --- units ------------------------------------------------------------------- */

typedef int (*parse_fn)(const char *s, double *out, char *why, size_t why_len);

/* Checks that parse rejects text with exactly `want` and leaves *out alone. */
static void check_rejects(parse_fn parse, const char *text, const char *want) {
  double out = 42;
  char why[256] = "";
  CHECK_INT(parse(text, &out, why, sizeof why), SIM_ESCENARIO, "'%s' is rejected", text);
  CHECK_STR(why, want, "message for '%s'", text);
  CHECK(out == 42, "'%s' leaves the result untouched", text);
}

static const char DURATION[] = "expected a duration such as 250ms, 45s, 15m or 2h";
static const char DURATION_NEG[] = "expected a duration >= 0, such as 250ms, 45s, 15m or 2h";

static void test_units(void) {
  const char *non_finite[] = {"nan", "NaN", "inf", "-inf", "infinity", "1e309", "1e309s",
                              "1e308h", "1e306d", "0x10s"};
  for (size_t i = 0; i < sizeof non_finite / sizeof *non_finite; i++)
    check_rejects(sim_parse_duration, non_finite[i], DURATION);
  check_rejects(sim_parse_duration, "-5s", DURATION_NEG);
  check_rejects(sim_parse_duration, "-1e-300ms", DURATION_NEG);
  check_rejects(sim_parse_size, "-1MiB", "expected a size >= 0, such as 512MiB, 2GiB or 512Mi");
  check_rejects(sim_parse_size, "1e308TiB", "expected a size such as 512MiB, 2GiB or 512Mi");
  check_rejects(sim_parse_rate, "-5/s", "expected a rate >= 0, such as 100/s, 1200/min or 36000/h");
  check_rejects(sim_parse_rate, "1e308/ns", "expected a rate such as 100/s, 1200/min or 36000/h");
  check_rejects(sim_parse_rate, "nan/s", "expected a rate such as 100/s, 1200/min or 36000/h");
  check_rejects(sim_parse_percent, "inf%", "expected a percentage such as 60% or 60");
  check_rejects(sim_parse_number, "nan", "expected a number such as 42 or 0.5");

  /* Documented meanings (docs/guarantees.md): -0 is 0, and a value too small
   * for a double rounds to 0 (or the nearest subnormal), never to an error. */
  double v = -1;
  CHECK_INT(sim_parse_duration("-0s", &v, NULL, 0), 0, "-0s parses");
  CHECK(v == 0 && !signbit(v), "-0s is +0");
  CHECK_INT(sim_parse_duration("1e-400s", &v, NULL, 0), 0, "an underflowing duration parses");
  CHECK(v == 0, "and is 0");
  CHECK_INT(sim_parse_rate("0/s", &v, NULL, 0), 0, "a zero rate is a valid rate value");
  CHECK(v == 0, "of 0 (the keys that need > 0 say so: see the scenario tests)");
}

/* --- the scenario loader -------------------------------------------------------- */

static const char base_yaml[] =
    "name: edge\n"
    "duration: 1m\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 10/s}\n"
    "  request: {duration: {dist: exponential, mean: 100ms}, cpu_share: 0.5}\n"
    "platforms:\n"
    "  - {name: f, kind: fixed, instances: 2, instance: {vcpu: 1, max_concurrency: 4}}\n"
    "output: {resolution: 10s}\n";

/* Loads the base scenario with one override; returns the error message, or ""
 * when it loaded (then *sc_out, if non-NULL, receives the scenario). */
static const char *load_with(const char *override, scenario **sc_out) {
  static sim_error err;
  scenario_override ov = {override};
  scenario *sc = NULL;
  sim_error_clear(&err);
  int rc = scenario_load_text("edge.yaml", base_yaml, strlen(base_yaml), &ov, 1, &sc, &err);
  if (rc == 0 && sc_out) *sc_out = sc;
  else scenario_free(sc);
  return rc ? err.msg : "";
}

/* The override is rejected with exactly "--set <override>: <want>". */
static void check_override_error(const char *override, const char *want) {
  char full[1024];
  snprintf(full, sizeof full, "--set %s: %s", override, want);
  CHECK_STR(load_with(override, NULL), full, "%s", override);
}

static void test_scenario_non_finite(void) {
  static const char dur[] = "expected a duration >= 0s (e.g. 250ms, 45s, 15m), got '%s'";
  const char *bad[] = {".nan", "nan", ".inf", "-.inf", "1e309s", "-1h", "0x10"};
  char want[256];
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char ov[64];
    snprintf(ov, sizeof ov, "duration=%s", bad[i]);
    snprintf(want, sizeof want, dur, bad[i]);
    check_override_error(ov, want);
  }
  check_override_error("drain=-1s", "expected a duration >= 0s (e.g. 250ms, 45s, 15m), got '-1s'");
  check_override_error("workload.request.cpu_share=.nan",
                       "expected a number >= 0 and <= 1, got '.nan'");
  check_override_error("platforms[0].instance.vcpu=.nan", "expected a number > 0, got '.nan'");
  check_override_error("workload.arrivals.rate=.inf",
                       "expected a rate > 0/s (e.g. 100/s, 1200/min), got '.inf'");
}

static void test_scenario_zero_and_negative(void) {
  check_override_error("duration=0", "a generator needs a scenario duration > 0, got '0'");
  check_override_error("duration=-0s", "a generator needs a scenario duration > 0, got '-0s'");
  check_override_error("duration=1e-400s",
                       "a generator needs a scenario duration > 0, got '1e-400s'");
  check_override_error("workload.arrivals.rate=0/s", "expected a rate > 0/s, got '0/s'");
  check_override_error("workload.arrivals.rate=-5/s",
                       "expected a rate > 0/s (e.g. 100/s, 1200/min), got '-5/s'");
  check_override_error("workload.request.duration.mean=0s", "expected a duration > 0s, got '0s'");
  check_override_error("output.resolution=0s", "expected a duration > 0s, got '0s'");
  /* zero capacity */
  check_override_error("platforms[0].instances=0",
                       "expected an integer >= 1 and <= 1000000, got '0'");
  check_override_error("platforms[0].instance.max_concurrency=0",
                       "expected an integer >= 1 and <= 100000, got '0'");
  check_override_error("platforms[0].instance.vcpu=0", "expected a number > 0, got '0'");
  check_override_error("platforms[0].instance.memory=0", "expected a size > 0MiB, got '0'");
}

/* The size budgets (limits.requests, limits.timeseries_rows) refuse at
 * validation what would never finish; 0 turns them off. */
static void test_scenario_too_big(void) {
  CHECK_CONTAINS(load_with("workload.arrivals.rate=1e10/s", NULL),
                 "edge.yaml:4:3: workload: the arrivals would be about 6e+11 requests over 1m, "
                 "more than limits.requests (1e+11); raise limits.requests to run it",
                 "a rate far too high for the duration is refused before running");
  CHECK_STR(load_with("workload.arrivals.rate=1e9/s", NULL), "",
            "6e10 requests, within the default budget, load");
  CHECK_CONTAINS(load_with("output.resolution=1us", NULL),
                 "--set output.resolution=1us: 1us over 1m makes 6e+07 time-series rows per "
                 "platform, more than limits.timeseries_rows (1e+07)",
                 "a resolution far too fine for the duration is refused");
  static const char *const off[] = {"workload.arrivals.rate=1e10/s", "limits.requests=0"};
  scenario_override ov[2] = {{off[0]}, {off[1]}};
  scenario *sc = NULL;
  sim_error err = {0};
  CHECK_INT(scenario_load_text("edge.yaml", base_yaml, strlen(base_yaml), ov, 2, &sc, &err), 0,
            "limits.requests: 0 lets it load (%s)", err.msg);
  scenario_free(sc);
}

static void test_scenario_enormous(void) {
  check_override_error("platforms[0].queue_limit=2147483648",
                       "expected an integer >= -1 and <= 2147483647, got '2147483648'");
  check_override_error("platforms[0].instances=1000001",
                       "expected an integer >= 1 and <= 1000000, got '1000001'");
  check_override_error("platforms[0].instances=1e3",
                       "expected an integer >= 1 and <= 1000000, got '1e3'");
  check_override_error("seed=18446744073709551616",
                       "expected a non-negative integer <= 18446744073709551615, got "
                       "'18446744073709551616'");
  check_override_error("seed=-1", "expected a non-negative integer, got '-1'");
  check_override_error("platforms[0].instance.max_concurrency=100001",
                       "expected an integer >= 1 and <= 100000, got '100001'");
  /* Documented meanings: seed 0 is an ordinary seed (streams are mixed from
   * it, never seeded with 0), and the largest seed is 2^64 - 1. */
  scenario *sc = NULL;
  CHECK_STR(load_with("seed=0", &sc), "", "seed 0 loads");
  CHECK(sc && sc->seed == 0, "as 0");
  scenario_free(sc);
  sc = NULL;
  CHECK_STR(load_with("seed=18446744073709551615", &sc), "", "seed 2^64 - 1 loads");
  CHECK(sc && sc->seed == UINT64_MAX, "exactly");
  scenario_free(sc);
}

/* --- traces ---------------------------------------------------------------------- */

static char trace_path[64];

/* Replays `body` as a csv trace (columns time, duration) with the transform
 * start `start` (NULL: none) and time_marks end when `marks_end`. Collects up
 * to max arrival times into t; returns the number read, or -1 with *msg set. */
static int replay_csv(const char *body, const char *start, int marks_end, double *t, int max,
                      char *msg, size_t msg_len) {
  FILE *f = fopen(trace_path, "w");
  fputs(body, f);
  fclose(f);
  wl_trace_cfg defaults, c;
  sim_error err = {0};
  SIM_ASSERT(cfg_defaults(&wl_trace_schema, &defaults, &err) == 0);
  c = defaults;
  c.path = trace_path;
  c.format = WL_FMT_CSV;
  c.duration_column = "duration";
  c.spread = WL_SPREAD_NONE;
  if (marks_end) c.time_marks = WL_MARKS_END;
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  tf.start = (char *)start;
  wl_dist dist = {.kind = WL_DIST_CONSTANT, .value = 0.1};
  wl_source *src = NULL;
  int n = -1, rc = wl_trace_open(&c, &tf, &dist, 0.5, 0, 1, &src, &err);
  if (rc == 0) {
    wl_request r;
    n = 0;
    while ((rc = wl_next(src, &r, &err)) == 1)
      if (n < max) t[n++] = r.arrival_s;
    if (rc < 0) n = -1;
  }
  snprintf(msg, msg_len, "%s", n < 0 ? err.msg : "");
  wl_source_free(src);
  cfg_free(&wl_trace_schema, &defaults);
  return n;
}

/* The trace's error message for body, with the trace path in front. */
static void check_trace_error(const char *body, const char *want_after_path) {
  char msg[1024], want[1024];
  double t[4];
  snprintf(want, sizeof want, "%s%s", trace_path, want_after_path);
  CHECK_INT(replay_csv(body, NULL, 0, t, 4, msg, sizeof msg), -1, "rejected: %s", want);
  CHECK_STR(msg, want, "trace message");
}

static void test_traces(void) {
  char msg[1024];
  double t[8];
  snprintf(trace_path, sizeof trace_path, "/tmp/scalesim-test-edge-%d.csv", (int)getpid());
  check_trace_error("time,duration\n100,0.5\nnan,0.5\n",
                    ":3: time: expected epoch seconds or an ISO 8601 time, got 'nan'");
  check_trace_error("time,duration\n100,0.5\ninf,0.5\n",
                    ":3: time: expected epoch seconds or an ISO 8601 time, got 'inf'");
  check_trace_error("time,duration\n100,-0.5\n",
                    ":2: duration: expected a number >= 0 (s), got '-0.5'");
  check_trace_error("time,duration\n100,nan\n",
                    ":2: duration: expected a number >= 0 (s), got 'nan'");
  check_trace_error("time,duration\n100,1e309\n",
                    ":2: duration: expected a number >= 0 (s), got '1e309'");
  check_trace_error("time,duration\n100,1\n20,1\n",
                    ":3: time: 80 s earlier than line 2, beyond the re-order window of 60 s "
                    "(workload.trace.reorder_window)");

  /* A zero duration is a request that takes no time. */
  CHECK_INT(replay_csv("time,duration\n100,0\n", NULL, 0, t, 8, msg, sizeof msg), 1,
            "a zero duration is a request");
  /* Arrivals before the scenario start cannot happen: t = 0 is the earliest
   * arrival of the trace (records are re-ordered within the window first),
   * here an end time minus a long duration. */
  int n = replay_csv("time,duration\n100,1\n100.5,5\n", NULL, 1, t, 8, msg, sizeof msg);
  CHECK_INT(n, 2, "both requests of an end-marked trace arrive");
  CHECK(n == 2 && t[0] == 0 && t[1] == 3.5, "the earliest start is t = 0 (%g, %g)", t[0], t[1]);
  /* Records before the window start are dropped, not errors; t = 0 is the
   * window start. */
  n = replay_csv("time,duration\n100,1\n120,1\n200,1\n", "50s", 0, t, 8, msg, sizeof msg);
  CHECK_INT(n, 1, "only the record after the window start remains");
  CHECK(n == 1 && t[0] == 50, "at 50 s after the window start (%g)", t[0]);
  /* A window start before the trace starts leaves the time before it idle. */
  n = replay_csv("time,duration\n100,1\n", "1970-01-01T00:01:00Z", 0, t, 8, msg, sizeof msg);
  CHECK(n == 1 && t[0] == 40, "a window from epoch 60 s puts epoch 100 s at 40 s");
  /* Times beyond 10^12 s from the epoch are refused, so that the difference
   * of two times (an arrival) cannot overflow to infinity. */
  check_trace_error("time,duration\n-1.7e308,1\n1.7e308,1\n",
                    ":2: time: expected epoch seconds or an ISO 8601 time, got '-1.7e308'");
  check_trace_error("time,duration\n100,1\n1e300,1\n",
                    ":3: time: expected epoch seconds or an ISO 8601 time, got '1e300'");
  unlink(trace_path);
}

int main(void) {
  check_init();
  test_units();
  test_scenario_non_finite();
  test_scenario_zero_and_negative();
  test_scenario_enormous();
  test_scenario_too_big();
  test_traces();
  return check_done();
}
