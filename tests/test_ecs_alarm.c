/* test_ecs_alarm.c — CloudWatch alarm evaluation (models/ecs/alarm.c) against
 * the documentation's missing-data tables (OC-CW, spec §14) and its figure. */
#include <math.h>
#include <string.h>

#include "models/ecs/alarm.h"
#include "tests/check.h"

/* Parses "0 - X - X" (oldest first): 0 = not breaching, X = breaching,
 * - = missing, for an alarm "> 3". Returns the number of datapoints. */
static int parse_points(const char *text, double *out) {
  int n = 0;
  for (const char *c = text; *c; c++) {
    if (*c == '0') out[n++] = 1.0;
    else if (*c == 'X') out[n++] = 5.0;
    else if (*c == '-') out[n++] = NAN;
  }
  return n;
}

static ecs_alarm_cfg cfg_of(int m, int n, ecs_missing missing) {
  return (ecs_alarm_cfg){.cmp = ECS_CMP_GT, .threshold = 3, .evaluation_periods = n,
                         .datapoints_to_alarm = m, .missing = missing, .range_extra = 2};
}

typedef struct table_row {
  const char *points;
  /* expected under MISSING, IGNORE, BREACHING, NOT BREACHING; -1 = retain state */
  int want[4];
} table_row;

enum { I = ECS_ALARM_INSUFFICIENT_DATA, O = ECS_ALARM_OK, A = ECS_ALARM_ALARM, R = -1 };

static void check_table(const char *name, int m, int n, const table_row *rows, size_t nrows) {
  static const ecs_missing order[4] = {ECS_MISSING_MISSING, ECS_MISSING_IGNORE,
                                       ECS_MISSING_BREACHING, ECS_MISSING_NOT_BREACHING};
  for (size_t r = 0; r < nrows; r++) {
    double pts[8];
    int np = parse_points(rows[r].points, pts);
    CHECK_INT(np, 5, "%s: the evaluation range has 5 datapoints", name);
    for (int k = 0; k < 4; k++) {
      ecs_alarm_cfg c = cfg_of(m, n, order[k]);
      /* Every prior state, so that "retain state" is seen to retain each one. */
      for (int prior = I; prior <= A; prior++) {
        int want = rows[r].want[k] == R ? prior : rows[r].want[k];
        ecs_alarm_state got = ecs_alarm_evaluate(&c, pts, np, (ecs_alarm_state)prior);
        CHECK_INT(got, want, "%s: '%s' treat_missing=%s (prior %s) -> %s", name,
                  rows[r].points, ecs_missing_names[order[k]],
                  ecs_alarm_state_name((ecs_alarm_state)prior),
                  ecs_alarm_state_name((ecs_alarm_state)want));
      }
    }
  }
}

static void test_table_a(void) {
  static const table_row rows[] = {
      {"0 - X - X", {O, O, O, O}},
      {"0 - - - -", {O, O, O, O}},
      {"- - - - -", {I, R, A, O}},
      {"0 X X - X", {A, A, A, A}},
      {"- - - - X", {I, R, A, O}},
  };
  check_table("OC-CW table A (M=3, N=3)", 3, 3, rows, sizeof rows / sizeof *rows);
}

static void test_table_b(void) {
  static const table_row rows[] = {
      {"0 - X - X", {A, A, A, A}},
      {"0 0 X 0 X", {A, A, A, A}},
      {"0 - X - -", {O, O, A, O}},
      {"- - - - 0", {O, O, A, O}},
      {"- - - - X", {I, R, A, O}},
  };
  check_table("OC-CW table B (M=2, N=3)", 2, 3, rows, sizeof rows / sizeof *rows);
}

/* The documentation's figure: threshold 3, M = N = 3. */
static void test_figure(void) {
  ecs_alarm_cfg c = cfg_of(3, 3, ECS_MISSING_MISSING);
  ecs_alarm *a = ecs_alarm_alloc(&c);
  CHECK_INT(ecs_alarm_get_state(a), I, "OC-CW figure: a new alarm is INSUFFICIENT_DATA");
  /* values over time: 1, 4 (isolated breach), 2, 4, 5, 6 (three in a row), 2 */
  const double v[] = {1, 4, 2, 4, 5, 6, 2, 4};
  const int want[] = {O, O, O, O, O, A, O, O};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    ecs_alarm_state s = ecs_alarm_push(a, v[i]);
    CHECK_INT(s, want[i], "OC-CW figure: after datapoint %zu (%g) the state is %s", i + 1, v[i],
              ecs_alarm_state_name((ecs_alarm_state)want[i]));
  }
  CHECK_ABS(ecs_alarm_latest(a), 4, 0, "latest datapoint");
  ecs_alarm_free(a);
}

/* A TT AlarmHigh (3 of 3, missing) needs three real breaching datapoints from a
 * fresh start, and never decides on an empty history. */
static void test_fresh_alarm(void) {
  ecs_alarm_cfg c = cfg_of(3, 3, ECS_MISSING_MISSING);
  ecs_alarm *a = ecs_alarm_alloc(&c);
  CHECK_INT(ecs_alarm_push(a, 9), I, "one breaching datapoint: INSUFFICIENT_DATA");
  CHECK_INT(ecs_alarm_push(a, 9), I, "two breaching datapoints: INSUFFICIENT_DATA");
  CHECK_INT(ecs_alarm_push(a, 9), A, "three breaching datapoints: ALARM");
  /* Metric stops (e.g. no RUNNING task): evaluation reaches back for real points
   * while the range still holds three of them. */
  CHECK_INT(ecs_alarm_push(a, NAN), A, "1 missing, 3 real in range: still ALARM");
  CHECK_INT(ecs_alarm_push(a, NAN), A, "2 missing, 3 real in range: still ALARM");
  CHECK_INT(ecs_alarm_push(a, NAN), I, "3 missing: too few real points -> INSUFFICIENT_DATA");
  ecs_alarm_free(a);
}

/* OC-STEP-2 timing: an alarm over 2 evaluation periods needs 2 breaching 60 s
 * datapoints before its first action. */
static void test_two_periods(void) {
  ecs_alarm_cfg c = {.cmp = ECS_CMP_GE, .threshold = 70, .evaluation_periods = 2,
                     .datapoints_to_alarm = 2, .missing = ECS_MISSING_MISSING,
                     .range_extra = 2};
  ecs_alarm *a = ecs_alarm_alloc(&c);
  CHECK_INT(ecs_alarm_push(a, 60), O, "OC-STEP-2: one datapoint below the threshold: OK");
  CHECK_INT(ecs_alarm_push(a, 60), O, "OC-STEP-2: two datapoints below: OK");
  CHECK_INT(ecs_alarm_push(a, 70), O, "OC-STEP-2: 1 breaching datapoint (60 s): not yet ALARM");
  CHECK_INT(ecs_alarm_push(a, 75), A, "OC-STEP-2: 2 breaching datapoints (120 s): ALARM");
  CHECK_INT(ecs_alarm_push(a, 69.9), O, "OC-STEP-2: 69.9 does not breach >= 70");
  ecs_alarm_free(a);
}

static void test_operators_and_window(void) {
  ecs_alarm_cfg c = {.threshold = 10, .evaluation_periods = 3, .datapoints_to_alarm = 3,
                     .range_extra = 2};
  c.cmp = ECS_CMP_GT;
  CHECK(!ecs_alarm_breaching(&c, 10) && ecs_alarm_breaching(&c, 10.5), "GreaterThanThreshold");
  c.cmp = ECS_CMP_GE;
  CHECK(ecs_alarm_breaching(&c, 10) && !ecs_alarm_breaching(&c, 9.9), "GreaterThanOrEqual");
  c.cmp = ECS_CMP_LT;
  CHECK(!ecs_alarm_breaching(&c, 10) && ecs_alarm_breaching(&c, 9.9), "LessThanThreshold");
  c.cmp = ECS_CMP_LE;
  CHECK(ecs_alarm_breaching(&c, 10) && !ecs_alarm_breaching(&c, 10.1), "LessThanOrEqual");
  CHECK(!ecs_alarm_breaching(&c, NAN), "a missing datapoint never breaches");

  ecs_alarm *a = ecs_alarm_alloc(&c);
  CHECK(isnan(ecs_alarm_window(a, ECS_AGG_AVERAGE)), "empty window aggregates to NaN");
  const double v[] = {100, 1, NAN, 2, 6};
  for (size_t i = 0; i < 5; i++) ecs_alarm_push(a, v[i]);
  /* The window is the 3 most recent real datapoints: 1, 2, 6. */
  CHECK_REL(ecs_alarm_window(a, ECS_AGG_AVERAGE), 3.0, 1e-12, "window Average skips missing");
  CHECK_ABS(ecs_alarm_window(a, ECS_AGG_MINIMUM), 1, 0, "window Minimum");
  CHECK_ABS(ecs_alarm_window(a, ECS_AGG_MAXIMUM), 6, 0, "window Maximum");
  ecs_alarm_free(a);
  ecs_alarm_free(NULL);
}

static void test_cfg_check(void) {
  sim_error err = {0};
  ecs_alarm_cfg c = cfg_of(3, 3, ECS_MISSING_MISSING);
  CHECK_INT(ecs_alarm_cfg_check(&c, "a", &err), SIM_OK, "a valid alarm passes");
  c.datapoints_to_alarm = 4;
  CHECK_INT(ecs_alarm_cfg_check(&c, "alarm x", &err), SIM_ESCENARIO, "M > N is rejected");
  CHECK_CONTAINS(err.msg, "alarm x: datapoints_to_alarm", "the message names the alarm and key");
  c = cfg_of(1, 0, ECS_MISSING_MISSING);
  CHECK_INT(ecs_alarm_cfg_check(&c, "a", &err), SIM_ESCENARIO, "N = 0 is rejected");
  c = cfg_of(1, 1, ECS_MISSING_MISSING);
  c.threshold = NAN;
  CHECK_INT(ecs_alarm_cfg_check(&c, "a", &err), SIM_ESCENARIO, "a NaN threshold is rejected");
}

int main(void) {
  check_init();
  test_table_a();
  test_table_b();
  test_figure();
  test_fresh_alarm();
  test_two_periods();
  test_operators_and_window();
  test_cfg_check();
  return check_done();
}
