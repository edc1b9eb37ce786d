/* test_ecs_scaling.c — the scalable target's decisions (models/ecs/scaling.c
 * with target_tracking.c and step_scaling.c): cooldowns, several policies,
 * bounds, scheduled actions and the activity log's reason codes (OC-COOLDOWN-
 * STEP, OC-COOLDOWN-IN, OC-MULTI, OC-TT-MULTI, OC-CLAMP, OC-TT-FORMULA). */
#include <math.h>
#include <string.h>

#include "models/ecs/scaling.h"
#include "models/ecs/step_scaling.h"
#include "models/ecs/target_tracking.h"
#include "tests/check.h"

/* The log: the last activity of each policy, and how many were logged. */
typedef struct log_book {
  char source[8][32];
  char status[8][24];
  char reason[8][64];
  int old_d[8], new_d[8];
  int n;
} log_book;

static void record(void *arg, double t, const ecs_activity *a) {
  log_book *b = arg;
  int i = b->n < 8 ? b->n : 7;
  snprintf(b->source[i], sizeof b->source[i], "%s", a->source);
  snprintf(b->status[i], sizeof b->status[i], "%s", a->status);
  snprintf(b->reason[i], sizeof b->reason[i], "%s", a->reason);
  b->old_d[i] = a->old_desired;
  b->new_d[i] = a->new_desired;
  b->n++;
}

/* The last logged activity of `source`, or -1. */
static int find(const log_book *b, const char *source) {
  for (int i = (b->n < 8 ? b->n : 8) - 1; i >= 0; i--)
    if (!strcmp(b->source[i], source)) return i;
  return -1;
}

static const ecs_step plus_steps[][1] = {{{0, NAN, 1}}, {{0, NAN, 2}}, {{0, NAN, 3}}};
static const ecs_step minus_one[] = {{NAN, 0, -1}};
static const ecs_alarm_cfg up_alarm = {.cmp = ECS_CMP_GT, .threshold = 50};
static const ecs_alarm_cfg down_alarm = {.cmp = ECS_CMP_LT, .threshold = 50};

/* A step policy named `name` with a single step of `adj` tasks, invoked now. */
static ecs_proposal step_now(const ecs_scaler *s, double t, int running, const char *name,
                             int adj) {
  ecs_step_policy sp = {.name = name, .type = ECS_ADJ_CHANGE, .n_steps = 1, .cooldown_s = 300};
  sp.steps = adj > 0 ? plus_steps[adj - 1] : minus_one;
  ecs_proposal p;
  ecs_dir dir = adj > 0 ? ECS_DIR_OUT : ECS_DIR_IN;
  ecs_step_propose(&sp, adj > 0 ? &up_alarm : &down_alarm, adj > 0 ? 60 : 40,
                   ecs_scaler_base(s, t, running, dir), "CPUUtilization", &p);
  return p;
}

static int decide1(ecs_scaler *s, double t, int running, ecs_proposal p) {
  return ecs_scaler_decide(s, t, running, &p, 1);
}

static void test_cooldown_step(void) {
  for (int mode = ECS_BASE_INITIAL; mode <= ECS_BASE_DESIRED; mode++) {
    log_book b = {0};
    ecs_scaler_cfg cfg = {.min_capacity = 0, .max_capacity = 100,
                          .out_cooldown_base = (ecs_cooldown_base)mode};
    ecs_scaler s;
    ecs_scaler_init(&s, &cfg, 5, record, &b);
    const int N = 5;
    CHECK_INT(decide1(&s, 0, N, step_now(&s, 0, N, "p", 2)), N + 2,
              "OC-COOLDOWN-STEP (%s): step +2 from N", ecs_cooldown_base_names[mode]);
    CHECK(ecs_scaler_in_out_cooldown(&s, 100), "a scale-out starts the scale-out cooldown");
    /* Re-trigger during the cooldown, before the new tasks run. */
    ecs_scaler copy = s;
    int got = decide1(&copy, 60, N, step_now(&copy, 60, N, "p", 3));
    CHECK_INT(got, mode == ECS_BASE_DESIRED ? N + 5 : N + 3,
              "OC-COOLDOWN-STEP (%s): a +3 re-trigger in the cooldown adds only 1",
              ecs_cooldown_base_names[mode]);
    copy = s;
    b.n = 0;
    got = decide1(&copy, 60, N, step_now(&copy, 60, N, "p", 2));
    if (mode != ECS_BASE_DESIRED) {
      CHECK_INT(got, N + 2, "OC-COOLDOWN-STEP derived: a +2 re-trigger in the cooldown adds 0");
      CHECK_STR(b.reason[0], "ScaleOutCooldown", "reason for the ignored re-trigger");
      CHECK_STR(b.status[0], "NotScaled", "status for the ignored re-trigger");
    }
  }
  /* With the default (initial) base the rule holds even once the new tasks run. */
  ecs_scaler_cfg cfg = {.min_capacity = 0, .max_capacity = 100};
  ecs_scaler s;
  ecs_scaler_init(&s, &cfg, 5, NULL, NULL);
  decide1(&s, 0, 5, step_now(&s, 0, 5, "p", 2));
  CHECK_INT(decide1(&s, 200, 7, step_now(&s, 200, 7, "p", 3)), 8,
            "OC-COOLDOWN-STEP: +3 in the cooldown with the 2 new tasks running -> N+3");
  CHECK_INT(decide1(&s, 200 + 301, 8, step_now(&s, 501, 8, "p", 2)), 10,
            "after the cooldown the step applies to the running count again");
}

static void test_cooldown_in(void) {
  for (int resets = 0; resets <= 1; resets++) {
    log_book b = {0};
    ecs_scaler_cfg cfg = {.min_capacity = 0, .max_capacity = 100,
                          .scale_out_resets_scale_in_cooldown = resets};
    ecs_scaler s;
    ecs_scaler_init(&s, &cfg, 10, record, &b);
    CHECK_INT(decide1(&s, 0, 10, step_now(&s, 0, 10, "in", -1)), 9, "OC-COOLDOWN-IN: scale in");
    b.n = 0;
    CHECK_INT(decide1(&s, 60, 9, step_now(&s, 60, 9, "in", -1)), 9,
              "OC-COOLDOWN-IN: a second scale-in inside ScaleInCooldown is blocked");
    CHECK_STR(b.reason[0], "ScaleInCooldown", "OC-COOLDOWN-IN: the blocked scale-in's reason");
    CHECK_INT(decide1(&s, 120, 9, step_now(&s, 120, 9, "out", 1)), 10,
              "OC-COOLDOWN-IN: a scale-out inside ScaleInCooldown runs at once");
    int after = decide1(&s, 180, 10, step_now(&s, 180, 10, "in", -1));
    if (!resets)
      CHECK_INT(after, 9, "OC-COOLDOWN-IN: the scale-out ended the scale-in cooldown");
    else
      CHECK_INT(after, 10, "scale_out_resets_scale_in_cooldown: the scale-out restarted it");
  }
}

static void test_multi(void) {
  log_book b = {0};
  ecs_scaler_cfg cfg = {.min_capacity = 0, .max_capacity = 100};
  ecs_scaler s;
  ecs_scaler_init(&s, &cfg, 10, record, &b);
  static const ecs_step a_steps[] = {{0, NAN, 3}}, b_steps[] = {{0, NAN, 200}};
  ecs_step_policy pa = {.name = "A", .type = ECS_ADJ_CHANGE, .steps = a_steps, .n_steps = 1,
                        .cooldown_s = 300};
  ecs_step_policy pb = {.name = "B", .type = ECS_ADJ_PERCENT, .steps = b_steps, .n_steps = 1,
                        .cooldown_s = 300};
  ecs_proposal p[2];
  ecs_step_propose(&pa, &up_alarm, 60, 10, "CPUUtilization", &p[0]);
  ecs_step_propose(&pb, &up_alarm, 60, 10, "CPUUtilization", &p[1]);
  CHECK_INT(p[0].capacity, 13, "OC-MULTI: policy A alone -> 13");
  CHECK_INT(ecs_scaler_decide(&s, 0, 10, p, 2), 30, "OC-MULTI: +3 vs +200%% of 10 -> 30");
  CHECK_STR(b.status[find(&b, "B")], "Successful", "OC-MULTI: B's activity succeeded");
  CHECK_STR(b.status[find(&b, "A")], "Overridden", "OC-MULTI: A was overridden");
}

static ecs_tt_policy tt_policy(const char *name, ecs_tt_metric m, bool disable_in) {
  return (ecs_tt_policy){.name = name, .metric = m, .target = 50, .scale_out_cooldown_s = 300,
                         .scale_in_cooldown_s = 300, .disable_scale_in = disable_in};
}

/* A TT proposal with AlarmHigh/AlarmLow states and metric value m. */
static ecs_proposal tt_now(const ecs_tt_policy *tp, const ecs_scaler *s, double t, int running,
                           ecs_alarm_state high, ecs_alarm_state low, double m) {
  ecs_tt_inputs in = {.high = high, .low = low, .m_high = m, .m_low = m, .latest = m,
                      .base_out = ecs_scaler_base(s, t, running, ECS_DIR_OUT),
                      .running = running, .desired = s->desired,
                      .min_capacity = s->cfg.min_capacity};
  ecs_proposal p;
  ecs_tt_propose(tp, &in, &p);
  return p;
}

#define OK_ ECS_ALARM_OK
#define AL ECS_ALARM_ALARM

static void test_tt_multi(void) {
  ecs_tt_policy cpu = tt_policy("cpu", ECS_TT_CPU, false);
  ecs_tt_policy mem = tt_policy("mem", ECS_TT_MEMORY, false);
  ecs_tt_policy mem_noin = tt_policy("mem", ECS_TT_MEMORY, true);
  ecs_scaler_cfg cfg = {.min_capacity = 1, .max_capacity = 100};
  ecs_scaler s;
  ecs_proposal p[2];
  log_book b = {0};

  ecs_scaler_init(&s, &cfg, 10, record, &b);
  p[0] = tt_now(&cpu, &s, 0, 10, AL, OK_, 80);
  p[1] = tt_now(&mem, &s, 0, 10, OK_, AL, 20);
  CHECK_INT(ecs_scaler_decide(&s, 0, 10, p, 2), 16,
            "OC-TT-MULTI row 1: CPU ready to scale out, memory to scale in -> scale out");

  ecs_scaler_init(&s, &cfg, 10, record, &b);
  b.n = 0;
  p[0] = tt_now(&cpu, &s, 0, 10, OK_, AL, 30);
  p[1] = tt_now(&mem, &s, 0, 10, OK_, OK_, 48);
  CHECK_INT(ecs_scaler_decide(&s, 0, 10, p, 2), 10,
            "OC-TT-MULTI row 2: CPU ready to scale in, memory not -> no scale-in");
  CHECK_INT(b.n, 1, "OC-TT-MULTI row 2: only the invoked policy is logged");
  CHECK_STR(b.reason[0], "WaitingForOtherTargetTrackingPolicies", "OC-TT-MULTI row 2: reason");

  ecs_scaler_init(&s, &cfg, 10, NULL, NULL);
  p[0] = tt_now(&cpu, &s, 0, 10, OK_, AL, 30); /* ceil(6) = 6 */
  p[1] = tt_now(&mem, &s, 0, 10, OK_, AL, 40); /* ceil(8) = 8 */
  CHECK_INT(ecs_scaler_decide(&s, 0, 10, p, 2), 8,
            "OC-TT-MULTI row 3: both ready to scale in -> the larger capacity (8)");

  ecs_scaler_init(&s, &cfg, 10, NULL, NULL);
  p[0] = tt_now(&cpu, &s, 0, 10, OK_, AL, 30);
  p[1] = tt_now(&mem_noin, &s, 0, 10, OK_, OK_, 48);
  CHECK_INT(ecs_scaler_decide(&s, 0, 10, p, 2), 6,
            "OC-TT-MULTI row 4: memory has DisableScaleIn -> excluded, CPU scales in to 6");

  /* A step scale-in is not blocked by target tracking (AAS-TT, spec §5.3). */
  ecs_scaler_init(&s, &cfg, 10, NULL, NULL);
  p[0] = tt_now(&cpu, &s, 0, 10, OK_, OK_, 48);
  p[1] = step_now(&s, 0, 10, "step-in", -1);
  CHECK_INT(ecs_scaler_decide(&s, 0, 10, p, 2), 9,
            "a step scale-in runs although the TT policy is not ready to scale in");
}

static void test_tt_formula(void) {
  ecs_tt_policy cpu = tt_policy("cpu", ECS_TT_CPU, false);
  static const struct {
    int c; double m; bool low; int want; const char *reason;
  } rows[] = {
      {10, 80, false, 16, "Successful"},
      {4, 76, false, 7, "Successful"},
      {10, 30, true, 6, "Successful"},
      {2, 44, true, 2, "AlreadyAtDesiredCapacity"},
      {3, 40, true, 3, "AutoScalingAnticipatedFlapping"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    log_book b = {0};
    ecs_scaler_cfg cfg = {.min_capacity = 1, .max_capacity = 100};
    ecs_scaler s;
    ecs_scaler_init(&s, &cfg, rows[i].c, record, &b);
    ecs_proposal p = tt_now(&cpu, &s, 0, rows[i].c, rows[i].low ? OK_ : AL,
                            rows[i].low ? AL : OK_, rows[i].m);
    CHECK_INT(decide1(&s, 0, rows[i].c, p), rows[i].want,
              "OC-TT-FORMULA: C=%d M=%g T=50 -> %d", rows[i].c, rows[i].m, rows[i].want);
    const char *got = strcmp(b.status[0], "Successful") ? b.reason[0] : b.status[0];
    CHECK_STR(got, rows[i].reason, "OC-TT-FORMULA: C=%d M=%g logs %s", rows[i].c, rows[i].m,
              rows[i].reason);
  }
  log_book b = {0};
  ecs_scaler_cfg cfg = {.min_capacity = 1, .max_capacity = 12};
  ecs_scaler s;
  ecs_scaler_init(&s, &cfg, 10, record, &b);
  CHECK_INT(decide1(&s, 0, 10, tt_now(&cpu, &s, 0, 10, AL, OK_, 80)), 12,
            "OC-TT-FORMULA: C=10 M=80 with Max 12 -> 12");
  b.n = 0;
  CHECK_INT(decide1(&s, 400, 12, tt_now(&cpu, &s, 400, 12, AL, OK_, 80)), 12,
            "OC-TT-FORMULA: the next trigger stays at 12");
  CHECK_STR(b.reason[0], "AlreadyAtMaxCapacity", "OC-TT-FORMULA: the next trigger's reason");
  /* The scale-in limit option removes at most max_scale_in_step tasks. */
  ecs_tt_policy limited = cpu;
  limited.max_scale_in_step = 1;
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 1, .max_capacity = 100}, 10, NULL,
                  NULL);
  CHECK_INT(decide1(&s, 0, 10, tt_now(&limited, &s, 0, 10, OK_, AL, 30)), 9,
            "max_scale_in_step 1: 10 -> 9 instead of 6");
  /* The minimum holds it: AlreadyAtMinCapacity. */
  b.n = 0;
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 4, .max_capacity = 100}, 4, record,
                  &b);
  CHECK_INT(decide1(&s, 0, 4, tt_now(&cpu, &s, 0, 4, OK_, AL, 10)), 4, "at Min: no scale-in");
  CHECK_STR(b.reason[0], "AlreadyAtMinCapacity", "at Min: reason");
}

static void test_clamp(void) {
  log_book b = {0};
  ecs_scaler_cfg cfg = {.min_capacity = 2, .max_capacity = 10};
  ecs_scaler s;

  ecs_scaler_init(&s, &cfg, 5, NULL, NULL);
  ecs_scaler_set_desired(&s, 1);
  CHECK_INT(decide1(&s, 0, 1, step_now(&s, 0, 1, "out", 1)), 2,
            "OC-CLAMP: desired 1 < Min 2, scale-out alarm -> 2");
  CHECK_INT(decide1(&s, 400, 2, step_now(&s, 400, 2, "out", 1)), 3,
            "OC-CLAMP: ... then continues per policy");

  ecs_scaler_init(&s, &cfg, 5, NULL, NULL);
  ecs_scaler_set_desired(&s, 1);
  CHECK_INT(decide1(&s, 0, 1, step_now(&s, 0, 1, "in", -1)), 1,
            "OC-CLAMP: desired 1 < Min 2, scale-in alarm -> unchanged");

  ecs_scaler_init(&s, &cfg, 5, NULL, NULL);
  ecs_scaler_set_desired(&s, 12);
  CHECK_INT(decide1(&s, 0, 12, step_now(&s, 0, 12, "in", -1)), 10,
            "OC-CLAMP: desired 12 > Max 10, scale-in alarm -> 10");
  CHECK_INT(decide1(&s, 400, 10, step_now(&s, 400, 10, "in", -1)), 9,
            "OC-CLAMP: ... then continues per policy");

  ecs_scaler_init(&s, &cfg, 5, record, &b);
  ecs_scaler_set_desired(&s, 12);
  b.n = 0;
  CHECK_INT(decide1(&s, 0, 12, step_now(&s, 0, 12, "out", 1)), 12,
            "OC-CLAMP: desired 12 > Max 10, scale-out alarm -> unchanged");
  CHECK_STR(b.reason[0], "AlreadyAtMaxCapacity", "OC-CLAMP: reason above Max");

  ecs_scaler_init(&s, &cfg, 3, NULL, NULL);
  CHECK_INT(s.desired, 3, "desired 3 is within [2, 10]");
  CHECK_INT(ecs_scaler_register(&s, 5, 10), 5,
            "OC-CLAMP: RegisterScalableTarget with Min 5 while current is 3 -> 5");
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 5, .max_capacity = 10}, 3, NULL, NULL);
  CHECK_INT(s.desired, 5, "registration moves an initial desired count into the bounds");

  ecs_scaler_init(&s, &cfg, 4, record, &b);
  decide1(&s, 0, 4, step_now(&s, 0, 4, "in", -1)); /* 3, scale-in cooldown starts */
  CHECK(ecs_scaler_in_in_cooldown(&s, 10), "a scale-in cooldown is in effect");
  b.n = 0;
  CHECK_INT(ecs_scaler_schedule(&s, 10, "morning", 5, -1), 5,
            "OC-CLAMP: a scheduled Min 5 with current 3 scales out to 5 inside a cooldown");
  CHECK_STR(b.status[0], "Successful", "the scheduled action is logged as successful");
  CHECK_INT(b.old_d[0], 3, "the log shows the old desired count");
  CHECK_INT(b.new_d[0], 5, "the log shows the new desired count");

  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 1, .max_capacity = 20}, 12, NULL, NULL);
  CHECK_INT(ecs_scaler_schedule(&s, 0, "night", -1, 10), 10,
            "OC-CLAMP: a scheduled Max 10 with current 12 scales in to 10");
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 1, .max_capacity = 20}, 7, NULL, NULL);
  CHECK_INT(ecs_scaler_schedule(&s, 0, "both", 5, 10), 7,
            "OC-CLAMP: scheduled Min 5/Max 10 with current 7 -> unchanged");
  CHECK_INT(s.cfg.min_capacity, 5, "the scheduled Min is in effect");
  CHECK_INT(s.cfg.max_capacity, 10, "the scheduled Max is in effect");
  /* Policies keep working inside the new bounds. */
  CHECK_INT(decide1(&s, 0, 7, step_now(&s, 0, 7, "out", 3)), 10,
            "after a scheduled action, policies are clamped to its bounds");
  /* Crossing bounds: the value this action set wins. */
  CHECK_INT(ecs_scaler_schedule(&s, 1, "raise", 15, -1), 15, "a Min above Max raises Max too");
  CHECK_INT(s.cfg.max_capacity, 15, "Max followed the scheduled Min");
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 1, .max_capacity = 20,
                                         .suspend_scheduled = true},
                  7, record, &b);
  b.n = 0;
  CHECK_INT(ecs_scaler_schedule(&s, 0, "x", 9, -1), 7, "ScheduledScalingSuspended: no change");
  CHECK_STR(b.reason[0], "ScheduledScalingSuspended", "suspended scheduled action's reason");
}

static void test_suspension(void) {
  log_book b = {0};
  ecs_scaler s;
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 1, .max_capacity = 20,
                                         .suspend_scale_out = true, .suspend_scale_in = true},
                  7, record, &b);
  CHECK_INT(decide1(&s, 0, 7, step_now(&s, 0, 7, "out", 1)), 7, "scale-out suspended");
  CHECK_STR(b.reason[0], "DynamicScalingOutSuspended", "scale-out suspended: reason");
  CHECK_INT(decide1(&s, 0, 7, step_now(&s, 0, 7, "in", -1)), 7, "scale-in suspended");
  CHECK_STR(b.reason[1], "DynamicScalingInSuspended", "scale-in suspended: reason");
}

/* Capacity calculations start from the running count (ECS-AS): while tasks
 * launch, a scale-out from the running count does not add more. */
static void test_running_base(void) {
  log_book b = {0};
  ecs_scaler s;
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 0, .max_capacity = 50}, 10, record,
                  &b);
  CHECK_INT(decide1(&s, 0, 8, step_now(&s, 0, 8, "out", 1)), 10,
            "running 8 of 10: +1 from the running count changes nothing");
  CHECK_STR(b.reason[0], "AlreadyAtDesiredCapacity", "reason when the running base is lower");
}

/* Scale from zero (ECS-AS, spec §5.3): the wake-up adds 1 task and starts the
 * scale-out cooldown with no base to compute from; target tracking resumes
 * from the running count, and that scale-out's base holds for the rest of the
 * cooldown (cooldown_base initial). */
static void test_resume_after_zero(void) {
  ecs_tt_policy alb = tt_policy("alb", ECS_TT_ALB_REQUESTS, false);
  alb.target = 300;
  ecs_scaler s;
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 0, .max_capacity = 50}, 0, NULL, NULL);
  CHECK_INT(decide1(&s, 0, 0, tt_now(&alb, &s, 0, 0, OK_, OK_, 1200)), 1,
            "scale from zero: one datapoint with demand -> 1 task");
  CHECK_INT(ecs_scaler_base(&s, 60, 0, ECS_DIR_OUT), 0, "the wake-up leaves a base of 0");
  CHECK_INT(decide1(&s, 60, 0, tt_now(&alb, &s, 60, 0, AL, OK_, 1200)), 1,
            "in its cooldown, with the task not yet running: nothing to resume from");
  CHECK_INT(decide1(&s, 120, 1, tt_now(&alb, &s, 120, 1, AL, OK_, 1200)), 4,
            "in its cooldown, 1 task running: resumes from it, ceil(1 x 1200 / 300) = 4");
  CHECK_INT(ecs_scaler_base(&s, 180, 4, ECS_DIR_OUT), 1,
            "that scale-out's base (1) holds for the rest of the cooldown");
  CHECK_INT(decide1(&s, 180, 4, tt_now(&alb, &s, 180, 4, AL, OK_, 1200)), 4,
            "a stale datapoint measured on 1 task adds nothing in the cooldown");
  CHECK_INT(decide1(&s, 240, 4, tt_now(&alb, &s, 240, 4, AL, OK_, 1500)), 5,
            "a larger scale-out still applies: ceil(1 x 1500 / 300) = 5");
}

int main(void) {
  check_init();
  test_cooldown_step();
  test_cooldown_in();
  test_multi();
  test_tt_multi();
  test_tt_formula();
  test_clamp();
  test_suspension();
  test_running_base();
  test_resume_after_zero();
  return check_done();
}
