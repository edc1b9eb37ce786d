/* test_ecs_service.c — the `ecs` platform end to end (models/ecs/service.c):
 * the control loop's timing (a CPU step from 30 % to 90 % on a 50 % target
 * scales out after three breaching datapoints plus the publish delay, 3x
 * sooner with 20 s metrics, OC-TIMING), new tasks serving only after launch
 * and their health check (OC-HEALTH), scale-in after 15 low datapoints and its
 * cooldown, the stop path (deregistration, SIGTERM, SIGKILL), the ALB idle
 * timeout, Fargate Spot interruptions, billing (OC-COST) and the Fargate CPU
 * ceiling (OC-METRIC 4). The model is driven by a Poisson stream of fixed-size
 * requests whose rate steps at a given time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/ecs/target_tracking.h"
#include "tests/check.h"
#include "tests/ecs_harness.h"

/* Successful policy actions that raise and lower the desired count. */
static const row_filter scale_out = {.event = "policy", .status = "Successful", .grows = 1};
static const row_filter scale_in = {.event = "policy", .status = "Successful", .grows = -1};

/* The filter f from from_s on. */
static row_filter from(row_filter f, double from_s) {
  f.from_s = from_s;
  return f;
}

/* Appends a scheduled action at at_s setting Min and Max (-1: unchanged). */
static void add_schedule(ecs_cfg *c, double at_s, int min, int max) {
  ecs_schedule_cfg *a = list_append(&c->scheduled_actions, sizeof *a);
  *a = (ecs_schedule_cfg){.at_s = at_s, .min = min, .max = max};
}

/* --- the scale-out loop ------------------------------------------------------------ */

/* 4 tasks of 1 vCPU, requests of 10 ms CPU: 120/s is 30 %, 360/s is 90 %. */
static const double t_step = 1800;

/* Runs the step of 120 to 360 requests/s at t_step into r (the caller frees
 * it), with 60 s or 20 s metrics; probes (60 s only) around the new tasks'
 * launch. Returns when the first scale-out was decided (NaN: never). */
static double first_scale_out(bool high_res, run *r) {
  ecs_cfg c;
  base_cfg(&c, 4, 40, 4);
  c.launch.median_s = c.launch.p95_s = 40; /* a constant launch time, for the probes */
  if (high_res) c.metrics.period_s = 20;
  add_tt(&c, NULL, high_res ? ECS_TT_CPU_HIGH_RES : ECS_TT_CPU, 50);
  run_start(r, &c, poisson(120, 360, t_step, 3000, 0.01, 0), 7);
  double decision = t_step + 3 * (high_res ? 20 : 60) + 2 * (high_res ? 20 : 60);
  if (!high_res) {
    add_probe(r, decision + 39.9);
    add_probe(r, decision + 40.001);
    add_probe(r, decision + 40 + 30.001);
  }
  run_finish(r, 3000);
  cfg_free(&ecs_cfg_schema, &c);
  return row_t(r, find_row(r, scale_out));
}

static void test_scale_out_timing(void) {
  run r;
  double t60 = first_scale_out(false, &r);
  int i = find_row(&r, scale_out);
  int old_d = i >= 0 ? atoi(r.rows[i][C_OLD]) : 0, new_d = i >= 0 ? atoi(r.rows[i][C_NEW]) : 0;
  double m = i >= 0 ? atof(r.rows[i][C_VALUE]) : NAN;
  /* 3 breaching 60 s datapoints ([1800,1860) ... [1920,1980)) + 120 s delay. */
  CHECK_ABS(t60, t_step + 3 * 60 + 120, 1e-9,
            "OC-TIMING: first scale-out 3 x 60 s datapoints + 120 s publish delay after the "
            "step (%g s)", t60 - t_step);
  CHECK(t60 - t_step > 240 && t60 - t_step < 420,
        "OC-TIMING: within the range of AWS's 363 s benchmark");
  CHECK_INT(old_d, 4, "the scale-out starts from the 4 tasks");
  CHECK(m > 85 && m < 95, "the metric after the step is ~90 %% (%g)", m);
  CHECK_INT(new_d, (int)ceil(4 * m / 50 - 1e-9), "new desired = ceil(C * M / T)");
  static const char alarm_high[] = "TargetTracking-policy1-AlarmHigh";
  int hi = find_row(&r, (row_filter){.source = alarm_high, .event = "alarm", .status = "ALARM"});
  CHECK_ABS(row_t(&r, hi), t60, 1e-9, "AlarmHigh goes to ALARM when the decision is made");
  CHECK(find_row(&r, scale_in) < 0, "no scale-in: the minimum holds the 4 tasks");
  row_filter at_min = {.event = "policy", .status = "NotScaled", .reason = "AlreadyAtMinCapacity"};
  CHECK(find_row(&r, at_min) >= 0,
        "AlarmLow at 30 %% invokes scale-in, refused at Min (AlreadyAtMinCapacity)");
  /* New tasks: launched at the decision, RUNNING after 40 s, serving after
   * their first health check, within one 30 s interval. */
  const probe *p = r.probes;
  CHECK_INT((int)p[0].gauge[OUT_READY], 4, "before launch + 40 s only the 4 old tasks serve");
  CHECK_INT((int)p[0].gauge[OUT_PROVISIONING], new_d - 4, "the new tasks are provisioning");
  CHECK_INT((int)(p[1].gauge[OUT_STARTING] + p[1].gauge[OUT_READY]), new_d,
            "at launch + 40 s the new tasks are RUNNING");
  CHECK((int)p[1].gauge[OUT_STARTING] > 0,
        "OC-HEALTH 1: RUNNING tasks take no traffic until their health check passes");
  CHECK_INT((int)p[2].gauge[OUT_READY], new_d,
            "OC-HEALTH 1: one passing check within 30 s makes every new task a target");
  int ok = find_row(&r, (row_filter){.from_s = t60, .event = "alarm", .status = "OK"});
  CHECK(ok >= 0 && !strcmp(r.rows[ok][C_SOURCE], alarm_high),
        "the new tasks take traffic: AlarmHigh returns to OK");
  run_free(&r);

  double t20 = first_scale_out(true, &r);
  run_free(&r);
  CHECK_ABS(t20, t_step + 3 * 20 + 40, 1e-9,
            "OC-TIMING 20 s mode: 3 x 20 s datapoints + 40 s delay after the step (%g s)",
            t20 - t_step);
  CHECK_REL((t60 - t_step) / (t20 - t_step), 3, 0.01,
            "20 s high-resolution metrics trigger 3x sooner (AWS: 363 s -> 86 s)");
}

/* --- scale-in ---------------------------------------------------------------------- */

/* 10 tasks at 20 % CPU (200 requests/s of 10 ms): AlarmLow (< 45) needs 15
 * low datapoints; then ceil(10 * 20 / 50) = 4. The next datapoints still show
 * 20 % (they predate the scale-in): without the cooldown the policy would
 * scale in again to ceil(4 * 20 / 50) = 2. */
static void test_scale_in(double cooldown_s, bool expect_cooldown) {
  ecs_cfg c;
  base_cfg(&c, 1, 20, 10);
  add_tt(&c, NULL, ECS_TT_CPU, 50)->scale_in_cooldown_s = cooldown_s;
  run r;
  run_start(&r, &c, poisson(200, 200, 0, 2400, 0.01, 0), 11);
  add_probe(&r, 2399);
  run_finish(&r, 2400);
  int first = find_row(&r, scale_in);
  CHECK_ABS(row_t(&r, first), 15 * 60 + 120, 1e-9,
            "scale-in only after 15 low 60 s datapoints (+120 s delay) (cooldown %g s)",
            cooldown_s);
  int low = find_row(&r, (row_filter){.event = "alarm", .status = "ALARM"});
  CHECK(low >= 0 && strstr(r.rows[low][C_SOURCE], "AlarmLow"), "the first alarm is AlarmLow");
  CHECK_ABS(row_t(&r, low), 15 * 60 + 120, 1e-9, "AlarmLow goes to ALARM at 15 of 15");
  CHECK(first >= 0 && atoi(r.rows[first][C_NEW]) == 4, "10 tasks at 20 %% scale in to 4");
  int second = find_row(&r, from(scale_in, row_t(&r, first) + 1));
  if (expect_cooldown) {
    row_filter cooling = {.from_s = row_t(&r, first) + 1, .event = "policy",
                          .status = "NotScaled", .reason = "ScaleInCooldown"};
    int blocked = find_row(&r, cooling);
    CHECK_ABS(row_t(&r, blocked), row_t(&r, first) + 60, 1e-9,
              "the next invocation, a minute later, is blocked by the scale-in cooldown");
    CHECK(second < 0 || row_t(&r, second) >= row_t(&r, first) + cooldown_s,
          "no scale-in inside the %g s cooldown", cooldown_s);
    CHECK_INT((int)r.probes[0].gauge[OUT_DESIRED], 4,
              "the cooldown prevents the overshoot: 4 tasks at the end");
  } else {
    CHECK_ABS(row_t(&r, second), row_t(&r, first) + 60, 1e-9,
              "without a cooldown the stale datapoint scales in again a minute later");
    CHECK(second >= 0 && atoi(r.rows[second][C_NEW]) == 2, "... to ceil(4 * 20 / 50) = 2");
  }
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* --- stopping ------------------------------------------------------------------------ */

/* Two tasks serving requests that take 1000 s; a scheduled Max 1 at 100 s
 * stops the newest: deregistration delay 300 s, SIGTERM, SIGKILL 30 s later;
 * its requests fail (502), the other task's are untouched. */
static void test_stop_path(void) {
  ecs_cfg c;
  base_cfg(&c, 1, 2, 2);
  c.alb.idle_timeout_s = 4000;
  add_schedule(&c, 100, -1, 1);
  run r;
  run_start(&r, &c, poisson(0.2, 0, 60, 60, 0, 1000), 3);
  add_probe(&r, 99);
  add_probe(&r, 101);
  add_probe(&r, 429.9);
  add_probe(&r, 430.1);
  run_finish(&r, 1200);
  const probe *p = r.probes;
  double in_flight = p[0].gauge[OUT_IN_FLIGHT];
  CHECK(in_flight >= 4, "requests are in flight before the scale-in (%g)", in_flight);
  CHECK_INT((int)p[1].gauge[OUT_DRAINING], 1, "the stopped task drains (deregistration)");
  CHECK_INT((int)p[1].gauge[OUT_READY], 1, "the other task keeps serving");
  CHECK_INT((int)p[2].gauge[OUT_DRAINING], 1, "still there until SIGKILL at 100 + 300 + 30 s");
  CHECK_INT((int)p[3].gauge[OUT_DRAINING], 0, "gone after SIGKILL");
  double killed = r.totals.counters[OUT_ERR_502];
  CHECK(killed >= 1, "requests still running at SIGKILL fail with 502 (%g)", killed);
  CHECK_ABS(killed + r.totals.counters[OUT_COMPLETIONS], r.totals.counters[OUT_ARRIVALS], 0,
            "every other request completes");
  int s = find_row(&r, (row_filter){.event = "schedule", .status = "Successful", .grows = -1});
  CHECK_ABS(row_t(&r, s), 100, 1e-9, "the scheduled action is logged at 100 s");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);

  /* Short requests: a stopped task drains at once and stops without errors. */
  base_cfg(&c, 1, 2, 2);
  add_schedule(&c, 100, -1, 1);
  run_start(&r, &c, poisson(50, 50, 0, 300, 0.01, 0), 4);
  add_probe(&r, 100.5);
  run_finish(&r, 400);
  CHECK_INT((int)r.probes[0].gauge[OUT_DRAINING] + (int)r.probes[0].gauge[OUT_READY], 1,
            "an idle-soon task finishes deregistering as soon as its requests are done");
  CHECK_ABS(r.totals.counters[OUT_ERR_502], 0, 0, "no request is lost when draining works");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);

  /* alb.idle_connection_close 60 s: the idle target's kept-alive connections
   * hold its deregistration (and its bill) for 60 s after its last request. */
  base_cfg(&c, 1, 2, 2);
  c.alb.idle_close_s = 60;
  add_schedule(&c, 100, -1, 1);
  run_start(&r, &c, poisson(50, 50, 0, 300, 0.01, 0), 4);
  add_probe(&r, 155);
  add_probe(&r, 161);
  run_finish(&r, 400);
  CHECK_INT((int)r.probes[0].gauge[OUT_DRAINING], 1,
            "idle_connection_close 60 s: still deregistering 55 s after the scale-in");
  CHECK_INT((int)r.probes[1].gauge[OUT_DRAINING], 0, "... and gone 60 s after its last request");
  CHECK_ABS(r.totals.counters[OUT_ERR_502], 0, 0, "... without losing a request");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* ALB slow start (spec §9.4): a new target's share rises linearly. Two tasks
 * serve 10 requests/s that never finish; a third joins (launch 40 s, healthy
 * by its first check at 40-70 s) and is killed at 400 s (deregistration delay
 * and stop timeout 0): its 502s count what it received. With a 900 s slow
 * start it gets w / (2 + w) of the requests, w = (t - healthy) / 900:
 * 9000 * (w1 - 2 ln(1 + w1 / 2)) = 274 to 319 requests for w1 = 0.367 to 0.4;
 * without, a third: 10 x (400 - healthy) / 3 = 1100 to 1200. */
static void test_slow_start(void) {
  double killed[2];
  for (int slow = 0; slow <= 1; slow++) {
    ecs_cfg c;
    base_cfg(&c, 2, 3, 2);
    c.launch.median_s = c.launch.p95_s = 40;
    c.alb.idle_timeout_s = 4000;
    c.alb.deregistration_delay_s = 0;
    c.stop_timeout_s = 0;
    if (slow) c.alb.slow_start_s = 900;
    add_schedule(&c, 0, 3, -1);
    add_schedule(&c, 400, 2, 2);
    run r;
    run_start(&r, &c, poisson(10, 10, 0, 500, 0, 5000), 20);
    run_finish(&r, 500);
    killed[slow] = r.totals.counters[OUT_ERR_502];
    run_free(&r);
    cfg_free(&ecs_cfg_schema, &c);
  }
  CHECK(killed[0] > 1000 && killed[0] < 1300,
        "without slow start the new target takes a third of the requests (%g)", killed[0]);
  CHECK(killed[1] > 0.8 * 274 && killed[1] < 1.2 * 319,
        "slow start 900 s: the new target's share rises linearly from 0 (%g, expected "
        "274-319)", killed[1]);
}

static void test_idle_timeout(void) {
  ecs_cfg c;
  base_cfg(&c, 1, 1, 1);
  run r;
  run_start(&r, &c, poisson(1, 1, 0, 100, 0, 90), 5); /* each request waits 90 s */
  run_finish(&r, 400);
  CHECK(r.totals.counters[OUT_ARRIVALS] > 50, "requests arrived");
  CHECK_ABS(r.totals.counters[OUT_ERR_504], r.totals.counters[OUT_ARRIVALS], 0,
            "a request without a response for the 60 s idle timeout gets 504");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* Overload with the default task.backlog (unbounded): an ALB does not refuse
 * a busy target, so requests beyond max_concurrency wait in the task and the
 * only errors are the idle timeout's 504s, never 503. With a bounded backlog
 * the task answers 503 once it is full. One task of 1 vCPU serving 5 at once,
 * 4 requests/s of 0.5 s CPU (2 vCPUs of demand) for 3 minutes. */
static void test_overload_queues(void) {
  for (int bounded = 0; bounded <= 1; bounded++) {
    ecs_cfg c;
    base_cfg(&c, 1, 1, 1);
    c.task.max_concurrency = 5;
    if (bounded) c.task.backlog = 10;
    else CHECK_INT(c.task.backlog, -1, "task.backlog defaults to unbounded");
    run r;
    run_start(&r, &c, poisson(4, 4, 0, 180, 0.5, 0), 19);
    add_probe(&r, 90);
    run_finish(&r, 600);
    const out_totals *t = &r.totals;
    double arrivals = t->counters[OUT_ARRIVALS];
    double done = t->counters[OUT_COMPLETIONS], e503 = t->counters[OUT_ERR_503],
           e504 = t->counters[OUT_ERR_504];
    CHECK_ABS(done + e503 + e504, arrivals, 0, "every request completes or fails (%s)",
              bounded ? "backlog 10" : "default backlog");
    if (!bounded) {
      CHECK_ABS(e503, 0, 0, "default backlog: no 503 from a busy task");
      CHECK(r.probes[0].gauge[OUT_QUEUED] > 50, "default backlog: requests wait (%g queued)",
            r.probes[0].gauge[OUT_QUEUED]);
      CHECK(e504 > 0, "default backlog: those waiting past the 60 s idle timeout get 504 (%g)",
            e504);
    } else {
      CHECK(e503 > 0.3 * arrivals, "backlog 10: a full task answers 503 (%g of %g)", e503,
            arrivals);
      CHECK_ABS(e504, 0, 0, "backlog 10: nobody waits long enough for a 504");
      CHECK(r.probes[0].gauge[OUT_QUEUED] <= 10, "backlog 10: at most 10 wait");
    }
    run_free(&r);
    cfg_free(&ecs_cfg_schema, &c);
  }
}

/* No healthy target: 503 (min 0, no tasks). */
static void test_no_target(void) {
  ecs_cfg c;
  base_cfg(&c, 0, 1, 0);
  run r;
  run_start(&r, &c, poisson(5, 5, 0, 60, 0.01, 0), 6);
  run_finish(&r, 100);
  CHECK(r.totals.counters[OUT_ARRIVALS] > 100, "requests arrived");
  CHECK_ABS(r.totals.counters[OUT_ERR_503], r.totals.counters[OUT_ARRIVALS], 0,
            "with no healthy target every request gets 503");
  CHECK_ABS(r.totals.counters[OUT_COST_USD], 0, 0, "no task, no cost");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* Target tracking on ALBRequestCountPerTarget wakes a service from 0 after one
 * datapoint (spec §5.3); CPU target tracking cannot (no datapoint at 0 tasks). */
static void test_scale_from_zero(void) {
  for (int alb = 0; alb <= 1; alb++) {
    ecs_cfg c;
    base_cfg(&c, 0, 10, 0);
    add_tt(&c, NULL, alb ? ECS_TT_ALB_REQUESTS : ECS_TT_CPU, alb ? 1000 : 50);
    run r;
    run_start(&r, &c, poisson(5, 5, 0, 600, 0.01, 0), 8);
    run_finish(&r, 600);
    int up = find_row(&r, scale_out);
    if (alb) {
      CHECK_ABS(row_t(&r, up), 60 + 120, 1e-9,
                "ALB request count wakes the service after its first datapoint");
      CHECK(up >= 0 && atoi(r.rows[up][C_NEW]) == 1,
            "scale from zero by the minimum possible amount: 1 task");
    } else {
      CHECK(up < 0, "CPU target tracking cannot scale out from 0 tasks (no datapoints)");
    }
    run_free(&r);
    cfg_free(&ecs_cfg_schema, &c);
  }
}

/* After a scale from zero, target tracking resumes from the running count
 * (ECS-AS, spec §5.3) — inside the wake-up's scale-out cooldown too — and the
 * scale-out it makes then sets the cooldown's base, so the stale datapoints
 * that follow do not add more. The ALB's metrics keep their 60 s pipeline
 * (2 x 60 s delay) when ECS's metrics are at 20 s (spec §3.3). 1200 requests a
 * minute on a target of 300 per target: ceil(1 x 1200 / 300) = 4 tasks. */
static void test_resume_after_zero(void) {
  for (int high_res = 0; high_res <= 1; high_res++) {
    ecs_cfg c;
    base_cfg(&c, 0, 10, 0);
    c.launch.median_s = c.launch.p95_s = 40;
    if (high_res) c.metrics.period_s = 20;
    add_tt(&c, NULL, ECS_TT_ALB_REQUESTS, 300);
    run r;
    run_start(&r, &c, poisson(20, 20, 0, 900, 0.01, 0), 18);
    run_finish(&r, 900);
    const char *mode = high_res ? "20 s ECS metrics" : "60 s metrics";
    int wake = find_row(&r, scale_out);
    CHECK_ABS(row_t(&r, wake), 60 + 120, 1e-9,
              "%s: the first ALB datapoint wakes the service 60 s + 2 x 60 s in", mode);
    int next = find_row(&r, from(scale_out, row_t(&r, wake) + 1));
    CHECK_ABS(row_t(&r, next), 3 * 60 + 120, 1e-9,
              "%s: AlarmHigh (3 datapoints) scales out inside the wake-up's cooldown", mode);
    CHECK(next >= 0 && atoi(r.rows[next][C_OLD]) == 1 && atoi(r.rows[next][C_NEW]) >= 4 &&
              atoi(r.rows[next][C_NEW]) <= 5,
          "%s: ... from the 1 running task: ceil(1 x ~1200 / 300) (%s -> %s)", mode,
          next >= 0 ? r.rows[next][C_OLD] : "?", next >= 0 ? r.rows[next][C_NEW] : "?");
    int more = find_row(&r, from(scale_out, row_t(&r, next) + 1));
    CHECK(more < 0 || row_t(&r, more) >= row_t(&r, wake) + 300,
          "%s: the datapoints measured on 1 task add nothing more in the cooldown", mode);
    run_free(&r);
    cfg_free(&ecs_cfg_schema, &c);
  }
}

/* OC-METRIC 4: with task-level CPU (Fargate) utilisation never exceeds 100 %. */
static void test_cpu_ceiling(void) {
  ecs_cfg c;
  base_cfg(&c, 2, 2, 2);
  c.task.backlog = -1;
  add_tt(&c, NULL, ECS_TT_CPU, 50);
  run r;
  run_start(&r, &c, poisson(300, 300, 0, 600, 0.01, 0), 9); /* 3 vCPUs of demand on 2 */
  run_finish(&r, 600);
  double max = -1;
  int n = 0;
  for (int i = 0; i < r.n_rows; i++)
    if (!strcmp(r.rows[i][C_METRIC], "CPUUtilization") ||
        !strcmp(r.rows[i][C_METRIC], "ECSServiceAverageCPUUtilization")) {
      max = fmax(max, atof(r.rows[i][C_VALUE]));
      n++;
    }
  CHECK(n > 0, "CPU datapoints were logged");
  CHECK(max <= 100 + 1e-9 && max > 99, "OC-METRIC 4: saturated tasks report 100 %%, not more (%g)",
        max);
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* OC-COST end to end: 2 tasks of 1 vCPU / 2 GB for one hour, x86 and ARM. */
static void test_cost(void) {
  for (int arm = 0; arm <= 1; arm++) {
    ecs_cfg c;
    base_cfg(&c, 2, 2, 2);
    c.task.architecture = arm;
    run r;
    run_start(&r, &c, poisson(1, 1, 0, 3600, 0.01, 0), 10);
    run_finish(&r, 3600);
    double want = arm ? 2 * (0.03238 + 2 * 0.00356) : 2 * (0.04048 + 2 * 0.004445);
    CHECK_REL(r.totals.counters[OUT_COST_USD], want, 1e-9,
              "2 tasks x 1 h x (vCPU + 2 GB) %s", arm ? "ARM" : "x86");
    run_free(&r);
    cfg_free(&ecs_cfg_schema, &c);
  }
}

/* Fargate Spot: interrupted tasks get the notice and are replaced. */
static void test_spot(void) {
  ecs_cfg c;
  base_cfg(&c, 6, 6, 6);
  c.spot.on_demand_base = 2;
  c.spot.spot_weight = 1;
  c.spot.on_demand_weight = 0;
  c.spot.interruptions_per_task_hour = 2;
  run r;
  run_start(&r, &c, poisson(50, 50, 0, 3600, 0.01, 0), 12);
  add_probe(&r, 3599);
  run_finish(&r, 3600);
  int notices = count_rows(&r, (row_filter){.status = "TerminationNotice"}, NULL);
  CHECK(notices >= 3, "Spot tasks are interrupted (%d notices)", notices);
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], notices,
            "each interruption launches one replacement");
  CHECK_INT((int)(r.probes[0].gauge[OUT_READY] + r.probes[0].gauge[OUT_STARTING] +
                  r.probes[0].gauge[OUT_PROVISIONING]),
            6, "the service stays at its desired count");
  /* 2 on demand + 4 Spot: cost below 6 on-demand tasks. */
  double od = 6 * (0.04048 + 2 * 0.004445);
  CHECK(r.totals.counters[OUT_COST_USD] < 0.7 * od, "Spot tasks bill at the Spot factor");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* OC-HEALTH with failing checks (alb.health_check.fail_when_saturated): a
 * task busy with its one slot fails checks every 5 s, is unhealthy after 2
 * (OC-HEALTH 4 with a 5 s interval), gets a replacement, and — as the only
 * target — still receives traffic (ALB fail open, OC-HEALTH 5); once idle it
 * recovers after healthy_threshold passes and the replacement is cancelled. */
static void test_health_failures(void) {
  ecs_cfg c;
  base_cfg(&c, 1, 1, 1);
  c.task.max_concurrency = 1;
  c.alb.health_check.fail_when_saturated = true;
  c.alb.health_check.interval_s = 5;
  c.alb.health_check.timeout_s = 2;
  c.alb.health_check.healthy_threshold = 10;
  c.launch.median_s = c.launch.p95_s = 200;
  static const double reqs[][2] = {{1, 50}, {70, 1}};
  run r;
  run_start(&r, &c, (load){.end_s = 1000, .list = reqs, .n = 2}, 13);
  add_probe(&r, 0.5);
  add_probe(&r, 12.01);
  add_probe(&r, 60);
  add_probe(&r, 150);
  run_finish(&r, 300);
  const probe *p = r.probes;
  CHECK_INT((int)p[0].gauge[OUT_PROVISIONING], 0, "a healthy idle task needs no replacement");
  CHECK_INT((int)p[1].gauge[OUT_PROVISIONING], 1,
            "OC-HEALTH 4: unhealthy after 2 failed checks (<= 1 + 2 x 5 s): replaced");
  CHECK_INT((int)p[2].gauge[OUT_READY], 1, "the unhealthy task stays registered meanwhile");
  CHECK_ABS(r.totals.counters[OUT_COMPLETIONS], 2, 0,
            "OC-HEALTH 5: with every target unhealthy the ALB fails open and serves");
  CHECK_ABS(r.totals.counters[OUT_ERR_503], 0, 0, "OC-HEALTH 5: no 503 while failing open");
  CHECK_INT((int)p[3].gauge[OUT_PROVISIONING], 0,
            "recovered after 10 passing checks: the replacement is cancelled");
  CHECK_INT((int)p[3].gauge[OUT_READY], 1, "one task serves again");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* RequestCountPerTarget counts the targets that received the requests: while
 * the ALB fails open to unhealthy targets they are the denominator too (spec
 * §3.2 [I]). Two tasks of one slot each take a 500 s request at once, fail
 * their checks (every 5 s, 2 failures) and are unhealthy from ~10 s on;
 * 2 requests/s keep arriving and are routed to them (fail open). A step
 * policy on the metric logs each minute's datapoint: about 120 / 2 = 60 per
 * target, not 120 / (the ~0.3 healthy targets of the first minute). */
/* A step policy that only logs RequestCountPerTarget every minute (>= 0,
 * adjustment 0). */
static void add_request_count_logger(ecs_cfg *c) {
  ecs_policy_cfg *p = add_policy(c, ECS_KIND_STEP_SCALING, NULL);
  ecs_step_cfg *step = list_append(&p->steps, sizeof *step);
  *step = (ecs_step_cfg){.lower = 0, .upper = NAN, .adjustment = 0};
  p->alarm.metric = ECS_METRIC_REQUESTS;
  p->alarm.statistic = ECS_STAT_SUM;
  p->alarm.threshold = 0;
  p->alarm.comparison = ECS_CMP_GE;
}

/* The logged values of the policy rows at or after from_s: how many, and the
 * largest and smallest. */
static int logged_values(const run *r, double from_s, double *lo, double *hi) {
  int n = 0;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (int i = 0; i < r->n_rows; i++)
    if (!strcmp(r->rows[i][C_EVENT], "policy") && atof(r->rows[i][C_T]) >= from_s) {
      n++;
      *lo = fmin(*lo, atof(r->rows[i][C_VALUE]));
      *hi = fmax(*hi, atof(r->rows[i][C_VALUE]));
    }
  return n;
}

static void test_request_count_fail_open(void) {
  ecs_cfg c;
  base_cfg(&c, 2, 2, 2);
  c.task.max_concurrency = 1;
  c.alb.idle_timeout_s = 4000;
  c.alb.health_check.fail_when_saturated = true;
  c.alb.health_check.interval_s = 5;
  c.alb.health_check.timeout_s = 2;
  c.launch.median_s = c.launch.p95_s = 3000; /* replacements never arrive */
  add_request_count_logger(&c);
  run r;
  run_start(&r, &c, poisson(2, 2, 0, 300, 0, 500), 21);
  run_finish(&r, 300);
  double lo, hi;
  int n = logged_values(&r, 0, &lo, &hi);
  CHECK(n >= 3, "the step policy logged the minutes' datapoints (%d)", n);
  CHECK(hi > 30 && hi < 90,
        "failing open, RequestCountPerTarget divides by the targets routed to (max %g, "
        "expected ~60)", hi);
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* metrics.alb_targets (spec §3.2, §12.8 [I]): two tasks serve 2 requests/s
 * that last 1000 s; a scheduled Max 1 at 30 s deregisters one, which drains
 * (300 s) with its requests. From then on all 120 requests a minute go to the
 * healthy task: 120 per target counting healthy targets, 60 counting the
 * registered ones (the draining target is still registered). */
static void test_request_count_registered(void) {
  for (int registered = 0; registered <= 1; registered++) {
    ecs_cfg c;
    base_cfg(&c, 1, 2, 2);
    c.alb.idle_timeout_s = 4000;
    c.metrics.alb_targets = registered ? ECS_ALB_TARGETS_REGISTERED : ECS_ALB_TARGETS_HEALTHY;
    add_request_count_logger(&c);
    add_schedule(&c, 30, -1, 1);
    run r;
    run_start(&r, &c, poisson(2, 2, 0, 300, 0, 1000), 23);
    run_finish(&r, 300);
    double lo, hi, want = registered ? 60 : 120;
    /* minutes [60, 120) to [180, 240): published at 240 to 360 s */
    int n = logged_values(&r, 240, &lo, &hi);
    CHECK(n >= 1 && lo > 0.7 * want && hi < 1.3 * want,
          "alb_targets %s: %g to %g requests per target, expected ~%g",
          registered ? "registered" : "healthy", lo, hi, want);
    run_free(&r);
    cfg_free(&ecs_cfg_schema, &c);
  }
}

/* Rolling deployments (spec §9.6, OC-DEPLOY): with the defaults (100 %/200 %)
 * all new tasks start before old ones stop; with 50 %/100 % two old tasks stop
 * at once; 100 %/125 % of 3 cannot move (Failed). */
static void add_deployment(ecs_cfg *c, double at, int min_pct, int max_pct) {
  c->deployment = (ecs_deployment_cfg){min_pct, max_pct};
  ecs_deploy_event_cfg *e = list_append(&c->deployments, sizeof *e);
  e->at_s = at;
}

/* How many deployment rows have status. */
static int count_deployments(const run *r, const char *status) {
  return count_rows(r, (row_filter){.event = "deployment", .status = status}, NULL);
}

static void test_deployments(void) {
  ecs_cfg c;
  base_cfg(&c, 1, 10, 4);
  c.launch.median_s = c.launch.p95_s = 40;
  add_deployment(&c, 100, 100, 200);
  run r;
  run_start(&r, &c, poisson(50, 50, 0, 600, 0.01, 0), 14);
  add_probe(&r, 100.5);
  add_probe(&r, 300);
  run_finish(&r, 600);
  CHECK_INT((int)r.probes[0].gauge[OUT_PROVISIONING], 4,
            "OC-DEPLOY 3: maximumPercent 200 starts all 4 new tasks first");
  CHECK_INT((int)r.probes[0].gauge[OUT_READY], 4, "... while the 4 old ones keep serving");
  CHECK_INT((int)r.probes[1].gauge[OUT_READY], 4, "after the rollout 4 tasks serve");
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 4, "4 tasks were launched");
  CHECK_INT(count_deployments(&r, "Successful"), 1, "the deployment completes");
  CHECK_ABS(r.totals.counters[OUT_ERR_503] + r.totals.counters[OUT_ERR_502], 0, 0,
            "a rolling update with draining loses no request");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);

  base_cfg(&c, 1, 10, 4);
  c.launch.median_s = c.launch.p95_s = 40;
  add_deployment(&c, 100, 50, 100);
  run_start(&r, &c, poisson(50, 50, 0, 600, 0.01, 0), 15);
  add_probe(&r, 100.5);
  run_finish(&r, 600);
  CHECK_INT((int)r.probes[0].gauge[OUT_READY], 2,
            "OC-DEPLOY 1: minimumHealthyPercent 50 of 4: 2 old tasks stop before new ones start");
  CHECK_INT((int)r.probes[0].gauge[OUT_PROVISIONING], 2, "... and 2 new ones launch");
  CHECK_INT(count_deployments(&r, "Successful"), 1, "that deployment completes too");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);

  base_cfg(&c, 1, 10, 3);
  add_deployment(&c, 100, 100, 125);
  run_start(&r, &c, poisson(50, 50, 0, 300, 0.01, 0), 16);
  run_finish(&r, 300);
  CHECK_INT(count_deployments(&r, "Failed"), 1,
            "OC-DEPLOY 4 with 100 %%: floor(3.75) = 3 leaves no room: the deployment fails");
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 0, "no task was launched");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);

  /* A deployment whose old tasks are all still launching replaces them at once
   * but completes (and lifts the scale-in pause) only when the new ones serve:
   * launched at 50 s, RUNNING 200 s later, healthy within 30 s more. */
  base_cfg(&c, 0, 10, 0);
  c.launch.median_s = c.launch.p95_s = 200;
  add_deployment(&c, 50, 100, 200);
  add_schedule(&c, 10, 2, -1);
  run_start(&r, &c, poisson(5, 5, 0, 400, 0.01, 0), 22);
  run_finish(&r, 400);
  int complete = find_row(&r, (row_filter){.event = "deployment", .status = "Successful"});
  CHECK(complete >= 0 && row_t(&r, complete) >= 250 && row_t(&r, complete) <= 280,
        "the deployment completes when its new tasks serve (%g s), not when launched",
        row_t(&r, complete));
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);

  /* Scale-in pauses during a long deployment (ECS-AS): 10 tasks at 20 %. */
  base_cfg(&c, 1, 20, 10);
  c.launch.median_s = c.launch.p95_s = 1500;
  add_tt(&c, NULL, ECS_TT_CPU, 50);
  add_deployment(&c, 100, 100, 200);
  run_start(&r, &c, poisson(200, 200, 0, 2400, 0.01, 0), 17);
  run_finish(&r, 2400);
  row_filter pause = {.event = "policy", .status = "NotScaled",
                      .reason = "ScaleInPausedDuringDeployment"};
  int paused = find_row(&r, pause);
  CHECK_ABS(row_t(&r, paused), 15 * 60 + 120, 1e-9,
            "AlarmLow's scale-in is refused while the deployment runs");
  int done = find_row(&r, (row_filter){.event = "deployment", .status = "Successful"});
  int in = find_row(&r, scale_in);
  CHECK(done >= 0 && in >= 0 && row_t(&r, in) >= row_t(&r, done),
        "the scale-in comes after the deployment completes");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

int main(void) {
  check_init();
  test_scale_out_timing();
  test_scale_in(300, true);
  test_scale_in(0, false);
  test_stop_path();
  test_idle_timeout();
  test_slow_start();
  test_overload_queues();
  test_no_target();
  test_scale_from_zero();
  test_resume_after_zero();
  test_cpu_ceiling();
  test_cost();
  test_spot();
  test_health_failures();
  test_request_count_fail_open();
  test_request_count_registered();
  test_deployments();
  return check_done();
}
