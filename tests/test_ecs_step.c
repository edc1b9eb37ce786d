/* test_ecs_step.c — step scaling (models/ecs/step_scaling.c): step lookup with
 * AWS's bound inclusivity, adjustment types and rounding, table validation,
 * and AWS's worked examples (OC-STEP-1, OC-STEP-2, OC-ADJ, OC-ROUND). */
#include <math.h>

#include "models/ecs/scaling.h"
#include "models/ecs/step_scaling.h"
#include "tests/check.h"

#define N_ NAN /* a null bound */

/* OC-STEP-1's two policies, threshold 50, PercentChangeInCapacity. */
static const ecs_step out_steps[] = {{0, 10, 0}, {10, 20, 10}, {20, N_, 30}};
static const ecs_step in_steps[] = {{-10, 0, 0}, {-20, -10, -10}, {N_, -20, -30}};

static int adjustment_at(const ecs_step *steps, size_t n, double m, bool upwards) {
  int i = ecs_step_find(steps, n, 50, m, upwards);
  return i < 0 ? -999 : steps[i].adjustment;
}

static void test_step1_boundaries(void) {
  sim_error err = {0};
  CHECK_INT(ecs_step_validate(out_steps, 3, ECS_ADJ_PERCENT, 0, "out", &err), 0,
            "OC-STEP-1: the scale-out table is valid");
  CHECK_INT(ecs_step_validate(in_steps, 3, ECS_ADJ_PERCENT, 0, "in", &err), 0,
            "OC-STEP-1: the scale-in table is valid");
  static const struct { double m; int adj; } above[] = {
      {50, 0}, {59.99, 0}, {60, 10}, {69.99, 10}, {70, 30}, {1e9, 30}};
  for (size_t i = 0; i < sizeof above / sizeof *above; i++)
    CHECK_INT(adjustment_at(out_steps, 3, above[i].m, true), above[i].adj,
              "OC-STEP-1 boundary: metric %g -> %+d%%", above[i].m, above[i].adj);
  static const struct { double m; int adj; } below[] = {
      {45, 0}, {40.01, 0}, {40, -10}, {30.01, -10}, {30, -30}, {-1e9, -30}};
  for (size_t i = 0; i < sizeof below / sizeof *below; i++)
    CHECK_INT(adjustment_at(in_steps, 3, below[i].m, false), below[i].adj,
              "OC-STEP-1 boundary: metric %g -> %+d%%", below[i].m, below[i].adj);
  CHECK_INT(ecs_step_find(out_steps, 3, 50, 49, true), -1,
            "a value below a scale-out table's range matches no step");
  CHECK_INT(ecs_step_find(out_steps, 3, 50, NAN, true), -1, "a missing value matches no step");
}

/* OC-STEP-1's sequence a-e, through the scaler, with running = desired and
 * evaluations far enough apart that no cooldown is in effect. */
static void test_step1_sequence(void) {
  ecs_step_policy out = {.name = "out", .type = ECS_ADJ_PERCENT, .steps = out_steps,
                         .n_steps = 3, .cooldown_s = 300};
  ecs_step_policy in = {.name = "in", .type = ECS_ADJ_PERCENT, .steps = in_steps,
                        .n_steps = 3, .cooldown_s = 300};
  ecs_alarm_cfg out_alarm = {.cmp = ECS_CMP_GE, .threshold = 50};
  ecs_alarm_cfg in_alarm = {.cmp = ECS_CMP_LT, .threshold = 50};
  ecs_scaler_cfg sc = {.min_capacity = 0, .max_capacity = 100};
  ecs_scaler s;
  ecs_scaler_init(&s, &sc, 10, NULL, NULL);
  static const struct { const char *step; double m; int want; } seq[] = {
      {"a (55, above)", 55, 10}, {"a (45, below)", 45, 10}, {"b", 60, 11},
      {"c", 70, 14}, {"d", 40, 13}, {"e", 30, 10}};
  double t = 0;
  for (size_t i = 0; i < sizeof seq / sizeof *seq; i++, t += 1000) {
    ecs_proposal p;
    bool up = seq[i].m >= 50;
    int base = ecs_scaler_base(&s, t, s.desired, up ? ECS_DIR_OUT : ECS_DIR_IN);
    ecs_step_propose(up ? &out : &in, up ? &out_alarm : &in_alarm, seq[i].m, base,
                     "CPUUtilization", &p);
    int got = ecs_scaler_decide(&s, t, s.desired, &p, 1);
    CHECK_INT(got, seq[i].want, "OC-STEP-1 step %s: metric %g -> capacity %d", seq[i].step,
              seq[i].m, seq[i].want);
  }
}

/* OC-STEP-2: ChangeInCapacity, threshold 70 (>=), steps [0,15) +1, [15,25) +2,
 * [25,inf) +3, Min 2, Max 10. */
static void test_step2(void) {
  static const ecs_step steps[] = {{0, 15, 1}, {15, 25, 2}, {25, N_, 3}};
  sim_error err = {0};
  CHECK_INT(ecs_step_validate(steps, 3, ECS_ADJ_CHANGE, 0, "cli", &err), 0,
            "OC-STEP-2: the CLI example's table is valid");
  ecs_step_policy sp = {.name = "cli", .type = ECS_ADJ_CHANGE, .steps = steps, .n_steps = 3,
                        .cooldown_s = 60};
  ecs_alarm_cfg alarm = {.cmp = ECS_CMP_GE, .threshold = 70, .evaluation_periods = 2,
                         .datapoints_to_alarm = 2, .range_extra = 2};
  static const struct { double cpu; int adj; } rows[] = {
      {70, 1}, {84.9, 1}, {85, 2}, {94.9, 2}, {95, 3}, {100, 3}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    ecs_proposal p;
    ecs_step_propose(&sp, &alarm, rows[i].cpu, 4, "CPUUtilization", &p);
    CHECK_INT(p.capacity - 4, rows[i].adj, "OC-STEP-2: aggregated CPU %g -> %+d", rows[i].cpu,
              rows[i].adj);
    CHECK_INT(p.dir, ECS_DIR_OUT, "OC-STEP-2: CPU %g asks to scale out", rows[i].cpu);
  }
  CHECK(!ecs_alarm_breaching(&alarm, 69.9), "OC-STEP-2: 69.9 does not put the alarm in ALARM");
  ecs_proposal p;
  ecs_step_propose(&sp, &alarm, 69.9, 4, "CPUUtilization", &p);
  CHECK_INT(p.dir, ECS_DIR_NONE, "OC-STEP-2: 69.9 matches no step: no adjustment");
  /* Bounds Min 2, Max 10: +3 from 9 stops at 10. */
  ecs_scaler_cfg sc = {.min_capacity = 2, .max_capacity = 10};
  ecs_scaler s;
  ecs_scaler_init(&s, &sc, 9, NULL, NULL);
  ecs_step_propose(&sp, &alarm, 100, 9, "CPUUtilization", &p);
  CHECK_INT(ecs_scaler_decide(&s, 0, 9, &p, 1), 10, "OC-STEP-2: +3 from 9 is clamped to Max 10");
}

static void test_adjustment_types(void) {
  CHECK_INT(ecs_step_apply(ECS_ADJ_CHANGE, 3, 5, 0), 8, "OC-ADJ 1: ChangeInCapacity 3 + 5 = 8");
  CHECK_INT(ecs_step_apply(ECS_ADJ_EXACT, 3, 5, 0), 5, "OC-ADJ 2: ExactCapacity 5");
  CHECK_INT(ecs_step_apply(ECS_ADJ_PERCENT, 10, 10, 0), 11, "OC-ADJ 3: 10 + 10%% = 11");
  CHECK_INT(ecs_step_apply(ECS_ADJ_PERCENT, 4, 25, 2), 6,
            "OC-ADJ 4: 25%% of 4 = 1 raised to MinAdjustmentMagnitude 2 -> 6");
  CHECK_INT(ecs_step_apply(ECS_ADJ_PERCENT, 4, -25, 2), 2,
            "MinAdjustmentMagnitude also applies to decreases: 4 - 2 = 2");
  CHECK_INT(ecs_step_apply(ECS_ADJ_PERCENT, 4, 25, 0), 5, "without it, 25%% of 4 adds 1");
  CHECK_INT(ecs_step_apply(ECS_ADJ_PERCENT, 10, 200, 0), 30, "OC-MULTI: +200%% of 10 -> 30");
  CHECK_INT(ecs_step_apply(ECS_ADJ_CHANGE, 2, -5, 0), 0, "capacity never goes below 0");
  CHECK_INT(ecs_step_apply(ECS_ADJ_PERCENT, 13, -30, 0), 10, "OC-STEP-1 e: 13 - 30%% = 10");
}

static void test_rounding(void) {
  static const struct { double raw; int want; } rows[] = {
      {12.7, 12}, {0.67, 1}, {-0.58, -1}, {-6.67, -6}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
    CHECK_INT(ecs_round_percent_delta(rows[i].raw), rows[i].want, "OC-ROUND: %g -> %d",
              rows[i].raw, rows[i].want);
  CHECK_INT(ecs_round_percent_delta(3), 3, "an integral delta is kept");
  CHECK_INT(ecs_round_percent_delta(-2), -2, "an integral negative delta is kept");
}

static void expect_invalid(const ecs_step *steps, size_t n, ecs_adjustment_type type, int mam,
                           const char *needle, const char *what) {
  sim_error err = {0};
  int rc = ecs_step_validate(steps, n, type, mam, "policy p", &err);
  CHECK_INT(rc, SIM_ESCENARIO, "validation rejects: %s", what);
  CHECK_CONTAINS(err.msg, needle, "validation message for: %s", what);
  CHECK_CONTAINS(err.msg, "policy p: ", "validation message names the policy: %s", what);
}

static void test_validation(void) {
  const ecs_step gap[] = {{0, 10, 1}, {15, N_, 2}};
  expect_invalid(gap, 2, ECS_ADJ_CHANGE, 0, "gap between 10 and 15", "a gap");
  const ecs_step overlap[] = {{0, 20, 1}, {10, N_, 2}};
  expect_invalid(overlap, 2, ECS_ADJ_CHANGE, 0, "overlap", "overlapping steps");
  const ecs_step both_null[] = {{N_, N_, 1}};
  expect_invalid(both_null, 1, ECS_ADJ_CHANGE, 0, "neither a lower nor an upper",
                 "a step with both bounds null");
  const ecs_step two_null_upper[] = {{0, N_, 1}, {10, N_, 2}};
  expect_invalid(two_null_upper, 2, ECS_ADJ_CHANGE, 0, "only one step may have a null upper",
                 "two null upper bounds");
  const ecs_step two_null_lower[] = {{N_, 0, -1}, {N_, -10, -2}};
  expect_invalid(two_null_lower, 2, ECS_ADJ_CHANGE, 0, "only one step may have a null lower",
                 "two null lower bounds");
  const ecs_step no_top[] = {{0, 10, 1}, {10, 20, 2}};
  expect_invalid(no_top, 2, ECS_ADJ_CHANGE, 0, "null upper bound",
                 "positive upper bounds without a null upper bound");
  const ecs_step no_bottom[] = {{-10, 0, -1}, {-20, -10, -2}};
  expect_invalid(no_bottom, 2, ECS_ADJ_CHANGE, 0, "null lower bound",
                 "negative lower bounds without a null lower bound");
  const ecs_step inverted[] = {{10, 5, 1}};
  expect_invalid(inverted, 1, ECS_ADJ_CHANGE, 0, "greater than the lower", "upper <= lower");
  const ecs_step neg_exact[] = {{0, N_, -1}};
  expect_invalid(neg_exact, 1, ECS_ADJ_EXACT, 0, "cannot be negative",
                 "a negative ExactCapacity");
  const ecs_step ok[] = {{0, N_, 1}};
  expect_invalid(ok, 1, ECS_ADJ_CHANGE, 2, "only to PercentChangeInCapacity",
                 "MinAdjustmentMagnitude with ChangeInCapacity");
  expect_invalid(ok, 0, ECS_ADJ_CHANGE, 0, "1 to 20 steps", "an empty table");
  ecs_step many[21];
  for (int i = 0; i < 21; i++) many[i] = (ecs_step){i, i + 1, 1};
  many[20].upper = N_;
  expect_invalid(many, 21, ECS_ADJ_CHANGE, 0, "1 to 20 steps", "21 steps (AAS-QUOTA)");
  sim_error err = {0};
  const ecs_step unsorted[] = {{20, N_, 3}, {0, 10, 1}, {10, 20, 2}};
  CHECK_INT(ecs_step_validate(unsorted, 3, ECS_ADJ_CHANGE, 0, "p", &err), 0,
            "steps may be listed in any order");
  const ecs_step spanning[] = {{N_, -5, -1}, {-5, 5, 0}, {5, N_, 1}};
  CHECK_INT(ecs_step_validate(spanning, 3, ECS_ADJ_CHANGE, 0, "p", &err), 0,
            "one table may span both sides of the threshold");
}

int main(void) {
  check_init();
  test_step1_boundaries();
  test_step1_sequence();
  test_step2();
  test_adjustment_types();
  test_rounding();
  test_validation();
  return check_done();
}
