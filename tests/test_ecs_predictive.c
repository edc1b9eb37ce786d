/* test_ecs_predictive.c — predictive scaling (spec §8.2): the forecaster
 * (models/ecs/predictive.c) on synthetic daily patterns, its 24-hour threshold
 * and 14-day window; OC-PRED; the scaler's predictive action (scaling.c): it
 * never scales in, ForecastOnly changes nothing, the largest capacity wins
 * with target tracking and the forecast holds as a floor for its hour; and
 * the service (service.c) over simulated days: a forecast every 6 hours from
 * the first with 24 hours of data, capacity in place SchedulingBufferTime
 * before the hour, the floor against a target tracking scale-in, and target
 * tracking alone against target tracking with ForecastAndScale on three days
 * of a daily shape with a steep morning ramp. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/ecs/predictive.h"
#include "models/ecs/scaling.h"
#include "models/ecs/target_tracking.h"
#include "tests/check.h"
#include "tests/ecs_harness.h"

/* --- the forecaster ------------------------------------------------------------- */

static double pattern(int hour) { return 20 + 7 * hour - 0.25 * hour * hour; }
static double double_pattern(int hour) { return 2 * pattern(hour); }

/* One day of datapoints every minute: hour h's are f(h) -+ jitter in turn,
 * so the hour's average is f(h) and its maximum f(h) + jitter. */
static void feed_day(ecs_pred_history *h, int day, double (*f)(int), double jitter) {
  for (int hour = 0; hour < 24; hour++)
    for (int m = 0; m < 60; m++)
      ecs_pred_observe(h, (day * 24 + hour) * 3600.0 + m * 60.0,
                       f(hour) + (m % 2 ? jitter : -jitter));
}

static void test_daily_pattern(void) {
  double out[ECS_PRED_HORIZON_HOURS];
  for (int m = ECS_PRED_DAILY_MEAN; m <= ECS_PRED_LAST_DAY; m++) {
    ecs_pred_history *h = ecs_pred_history_alloc(ECS_PRED_HOUR_AVERAGE);
    feed_day(h, 0, pattern, 3);
    feed_day(h, 1, pattern, 3);
    CHECK_INT(ecs_pred_forecast(h, 48, (ecs_pred_method)m, out), 48,
              "%s: two days are 48 hours of data", ecs_pred_method_names[m]);
    int bad = 0;
    for (int i = 0; i < ECS_PRED_HORIZON_HOURS; i++)
      bad += fabs(out[i] - pattern(i % 24)) > 1e-9;
    CHECK_INT(bad, 0, "%s: after two days of a pattern the forecast of days 3 and 4 is it",
              ecs_pred_method_names[m]);
    ecs_pred_history_free(h);
  }
  ecs_pred_history *h = ecs_pred_history_alloc(ECS_PRED_HOUR_MAXIMUM);
  feed_day(h, 0, pattern, 3);
  feed_day(h, 1, pattern, 3);
  ecs_pred_forecast(h, 48, ECS_PRED_DAILY_MEAN, out);
  CHECK_REL(out[9], pattern(9) + 3, 1e-12, "hour statistic maximum: the hour's largest datapoint");
  ecs_pred_history_free(h);

  h = ecs_pred_history_alloc(ECS_PRED_HOUR_AVERAGE);
  feed_day(h, 0, pattern, 0);
  feed_day(h, 1, double_pattern, 0);
  ecs_pred_forecast(h, 48, ECS_PRED_DAILY_MEAN, out);
  CHECK_REL(out[14], 1.5 * pattern(14), 1e-12, "daily_mean: the mean of the two days");
  ecs_pred_forecast(h, 48, ECS_PRED_DAILY_MAX, out);
  CHECK_REL(out[14], 2 * pattern(14), 1e-12, "daily_max: the larger day");
  ecs_pred_forecast(h, 48, ECS_PRED_LAST_DAY, out);
  CHECK_REL(out[14], 2 * pattern(14), 1e-12, "last_day: the most recent day");
  /* A refresh at hour 54 forecasts from hour 6 of the day on. */
  ecs_pred_forecast(h, 54, ECS_PRED_LAST_DAY, out);
  CHECK_REL(out[0], 2 * pattern(6), 1e-12, "a forecast at hour 54 starts with hour 6 of a day");
  ecs_pred_history_free(h);
}

static void test_threshold(void) {
  ecs_pred_history *h = ecs_pred_history_alloc(ECS_PRED_HOUR_AVERAGE);
  for (int hour = 0; hour < 23; hour++) ecs_pred_observe(h, hour * 3600.0 + 30, pattern(hour));
  double out[ECS_PRED_HORIZON_HOURS];
  for (int i = 0; i < ECS_PRED_HORIZON_HOURS; i++) out[i] = -7;
  CHECK_INT(ecs_pred_forecast(h, 23, ECS_PRED_DAILY_MEAN, out), 23,
            "23 hours of data are counted");
  CHECK(out[0] == -7 && out[47] == -7, "AAS-PRED: no forecast before 24 hours of data");
  CHECK_INT(ecs_pred_forecast(h, 30, ECS_PRED_DAILY_MEAN, out), 23,
            "hours without data do not count towards the 24");
  CHECK(out[0] == -7, "still no forecast with a gap");
  ecs_pred_observe(h, 23 * 3600.0 + 59 * 60, pattern(23));
  CHECK_INT(ecs_pred_forecast(h, 24, ECS_PRED_DAILY_MEAN, out), 24, "24 hours of data");
  CHECK_REL(out[0], pattern(0), 1e-12, "the first forecast: hour 24 from hour 0");
  CHECK_REL(out[23], pattern(23), 1e-12, "hour 47 from hour 23");
  CHECK_REL(out[47], pattern(23), 1e-12, "hour 71 from hour 23 too (hour 47 is to come)");
  ecs_pred_history_free(h);

  /* A missing hour of the day leaves its forecast empty. */
  h = ecs_pred_history_alloc(ECS_PRED_HOUR_AVERAGE);
  for (int hour = 0; hour < 48; hour++)
    if (hour % 24 != 5) ecs_pred_observe(h, hour * 3600.0, pattern(hour % 24));
  CHECK_INT(ecs_pred_forecast(h, 48, ECS_PRED_DAILY_MEAN, out), 46, "46 hours of data");
  CHECK(isnan(out[5]) && isnan(out[29]) && !isnan(out[6]),
        "an hour of the day never seen has no forecast (NaN)");
  CHECK_INT(ecs_pred_capacity(out[5], 10), -1, "and no capacity");
  ecs_pred_history_free(h);
}

/* Days of constant load d (day d): 14 days are looked at, older ones dropped. */
static void test_window(void) {
  ecs_pred_history *h = ecs_pred_history_alloc(ECS_PRED_HOUR_AVERAGE);
  for (int day = 0; day < 20; day++)
    for (int hour = 0; hour < 24; hour++) ecs_pred_observe(h, (day * 24 + hour) * 3600.0, day);
  double out[ECS_PRED_HORIZON_HOURS];
  CHECK_INT(ecs_pred_forecast(h, 480, ECS_PRED_DAILY_MEAN, out), ECS_PRED_HISTORY_HOURS,
            "AAS-PRED: at most 14 days of history");
  CHECK_REL(out[0], (6 + 19) / 2.0, 1e-12, "the mean of days 6 to 19");
  CHECK(isnan(ecs_pred_hour_load(h, 0)), "day 0 is no longer kept (ring of 336 hours)");
  ecs_pred_observe(h, 100, 1e6); /* a datapoint 20 days late */
  ecs_pred_forecast(h, 480, ECS_PRED_DAILY_MEAN, out);
  CHECK_REL(out[0], 12.5, 1e-12, "a datapoint older than the window is dropped");
  ecs_pred_observe(h, 470 * 3600.0 + 10, 19); /* late, but within the hour kept */
  CHECK_REL(ecs_pred_hour_load(h, 470), 19, 1e-12, "a late datapoint joins its hour");
  ecs_pred_history_free(h);
  ecs_pred_history_free(NULL);
}

static void test_arithmetic(void) {
  CHECK_INT(ecs_pred_max_capacity(50, 40, ECS_PRED_INCREASE_MAX, 10), 55,
            "OC-PRED: IncreaseMaxCapacity, buffer 10, forecast 50, max 40 -> effective max 55");
  CHECK_INT(ecs_pred_max_capacity(50, 40, ECS_PRED_HONOR_MAX, 0), 40,
            "HonorMaxCapacity keeps the maximum");
  CHECK_INT(ecs_pred_max_capacity(20, 40, ECS_PRED_INCREASE_MAX, 10), 40,
            "a forecast well below the maximum leaves it");
  CHECK_INT(ecs_pred_max_capacity(50, 40, ECS_PRED_INCREASE_MAX, 0), 50,
            "buffer 0: the maximum rises to the forecast");
  CHECK_INT(ecs_pred_max_capacity(7, 2, ECS_PRED_INCREASE_MAX, 10), 8,
            "7 x 1.1 = 7.7 rounds up to 8");
  CHECK_INT(ecs_pred_capacity(480, 60), 8, "load 480 / target 60 = 8 tasks");
  CHECK_INT(ecs_pred_capacity(480 * (1 + 1e-13), 60), 8,
            "floating-point dust above a whole number does not add a task");
  CHECK_INT(ecs_pred_capacity(481, 60), 9, "481 / 60 rounds up to 9");
  CHECK_INT(ecs_pred_capacity(0, 60), 0, "no load, no capacity");
  CHECK_INT(ecs_pred_capacity(1e300, 1e-300), 1000000000, "an overflowing quotient is bounded");
}

/* --- the scaler's predictive action --------------------------------------------- */

typedef struct log_book {
  char status[24], reason[96], event[16];
  int old_d, new_d, n;
} log_book;

static void record(void *arg, double t, const ecs_activity *a) {
  log_book *b = arg;
  snprintf(b->status, sizeof b->status, "%s", a->status);
  snprintf(b->reason, sizeof b->reason, "%s", a->reason);
  snprintf(b->event, sizeof b->event, "%s", a->event);
  b->old_d = a->old_desired;
  b->new_d = a->new_desired;
  b->n++;
}

static int forecast(ecs_scaler *s, double t, int capacity, int max_capacity, bool scale) {
  ecs_forecast_action a = {.policy = "pred", .metric = "ECSServiceTotalCPUUtilization",
                           .load = capacity * 50.0, .hour = (long)(t / 3600) + 1,
                           .capacity = capacity, .max_capacity = max_capacity, .scale = scale};
  return ecs_scaler_forecast(s, t, &a);
}

/* A target tracking proposal asking for `capacity` (out when above desired). */
static int tt(ecs_scaler *s, double t, int capacity) {
  ecs_dir dir = capacity > s->desired ? ECS_DIR_OUT : ECS_DIR_IN;
  ecs_proposal p = {.policy = "cpu50", .metric = "CPUUtilization", .value = 40,
                    .kind = ECS_POLICY_TARGET_TRACKING, .dir = dir, .capacity = capacity,
                    .base = s->desired, .scale_in_enabled = true, .out_cooldown_s = 300,
                    .in_cooldown_s = 300};
  return ecs_scaler_decide(s, t, s->desired, &p, 1);
}

static void test_scaler(void) {
  log_book b = {0};
  ecs_scaler_cfg cfg = {.min_capacity = 1, .max_capacity = 40, .forecast_floor = true};
  ecs_scaler s;
  ecs_scaler_init(&s, &cfg, 10, record, &b);
  int max = ecs_pred_max_capacity(50, 40, ECS_PRED_INCREASE_MAX, 10);
  CHECK_INT(forecast(&s, 0, 50, max, true), 50,
            "OC-PRED: IncreaseMaxCapacity scales out to the forecast 50 above Max 40");
  CHECK_INT(ecs_scaler_upper(&s), 55, "OC-PRED: the effective maximum is 55");
  CHECK_STR(b.event, "predictive", "logged as event predictive");
  CHECK_STR(b.status, "Successful", "a successful activity");
  CHECK_INT(tt(&s, 60, 70), 55, "target tracking may use the raised maximum, up to 55");
  ecs_scaler_init(&s, &cfg, 10, record, &b);
  CHECK_INT(forecast(&s, 0, 50, 40, true), 40, "HonorMaxCapacity: capped at Max 40");
  CHECK_CONTAINS(b.reason, "capped", "the log says it was capped");

  ecs_scaler_init(&s, &cfg, 8, record, &b);
  CHECK_INT(forecast(&s, 0, 5, 40, true), 8, "AAS-PRED: a lower forecast does not scale in");
  CHECK_STR(b.reason, "ForecastBelowDesiredCapacity", "and says why");

  ecs_scaler_init(&s, &cfg, 2, record, &b);
  CHECK_INT(forecast(&s, 0, 6, 40, false), 2, "ForecastOnly changes nothing");
  CHECK_STR(b.status, "ForecastOnly", "ForecastOnly is logged");
  CHECK_CONTAINS(b.reason, "would scale out to 6", "with what it would have done");
  CHECK(b.old_d == 2 && b.new_d == 2, "its row keeps the desired count");
  CHECK_INT(ecs_scaler_lower(&s), 1, "ForecastOnly sets no floor");

  /* Largest capacity wins; the forecast holds as a floor for its hour. */
  ecs_scaler_init(&s, &cfg, 2, record, &b);
  CHECK_INT(forecast(&s, 0, 6, 40, true), 6, "the forecast raises 2 to 6");
  CHECK_INT(tt(&s, 60, 9), 9, "target tracking asking for 9 wins over the forecast's 6");
  CHECK_INT(tt(&s, 1000, 3), 6, "a target tracking scale-in to 3 stops at the forecast's 6");
  CHECK_INT(tt(&s, 1400, 3), 6, "and again after the cooldown");
  CHECK_STR(b.reason, "ForecastCapacityFloor", "refused because of the floor");
  CHECK_INT(forecast(&s, 3300, 4, 40, true), 6, "the next hour's lower forecast keeps 6");
  CHECK_INT(tt(&s, 3400, 3), 4, "and lowers the floor to 4");
  ecs_scaler_forecast_release(&s);
  CHECK_INT(tt(&s, 3800, 3), 3, "no forecast for the hour: no floor");

  cfg.forecast_floor = false;
  ecs_scaler_init(&s, &cfg, 2, record, &b);
  forecast(&s, 0, 6, 40, true);
  CHECK_INT(tt(&s, 60, 3), 3, "scaling.predictive_floor false: target tracking scales in");

  cfg.forecast_keeps_max = true;
  ecs_scaler_init(&s, &cfg, 10, record, &b);
  forecast(&s, 0, 50, 55, true);
  ecs_scaler_forecast_release(&s);
  CHECK_INT(s.cfg.max_capacity, 55, "scaling.predictive_keep_raised_max: Max stays 55");
}

/* --- the service over days ------------------------------------------------------ */

/* Defaults with capacity Min to Max, starting at Min, and a constant launch
 * time of 40 s. */
static void days_cfg(ecs_cfg *c, int min, int max) {
  base_cfg(c, min, max, -1);
  c->launch.median_s = c->launch.p95_s = 40;
}

/* Runs r to the end of its load and reads its errors per minute too. */
static void run_to_end(run *r) {
  run_finish(r, r->ld.end_s);
  read_errors(r);
}

static ecs_policy_cfg *add_pred(ecs_cfg *c, int pair, double target, int mode,
                                double buffer_s) {
  ecs_policy_cfg *p = add_policy(c, ECS_KIND_PREDICTIVE, "forecast");
  p->metric_pair = pair;
  p->target = target;
  p->mode = mode;
  p->scheduling_buffer_s = buffer_s;
  return p;
}

/* The predictive policy's rows with status from from_s on. */
static row_filter forecast_rows(const char *status, double from_s) {
  return (row_filter){.from_s = from_s, .source = "forecast", .event = "predictive",
                      .status = status};
}

/* The target tracking policy's rows with status from from_s on. */
static row_filter tt_rows(const char *status, double from_s) {
  return (row_filter){.from_s = from_s, .source = "cpu50", .event = "policy", .status = status};
}

/* 2 requests/s from 8 h to 18 h, 0.5/s otherwise. With ALBRequestCount and
 * target 35 the forecast capacity is ceil(120 / 35) = 4 by day, 1 at night. */
static const double office[24] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2, 2, 2, 2,
                                  2,   2,   2,   2,   2,   2,   0.5, 0.5, 0.5, 0.5, 0.5, 0.5};

/* Forecasts: none before 24 hours of data (4 refreshes say so), then one
 * every 6 hours; ForecastOnly only logs. */
static void test_refresh(void) {
  ecs_cfg c;
  days_cfg(&c, 1, 10);
  add_pred(&c, ECS_PRED_PAIR_CPU, 50, ECS_PRED_FORECAST_ONLY, 300);
  run r;
  run_start(&r, &c, poisson_hourly(office, 49 * 3600.0, 0.05), 3);
  run_to_end(&r);
  int first = -1;
  int none = count_rows(&r, forecast_rows("NoForecast", 0), &first);
  CHECK_INT(none, 4, "AAS-PRED: refreshes at 0, 6, 12, 18 h have no forecast (< 24 h of data)");
  CHECK_ABS(row_t(&r, first), 0, 1e-9, "the first attempt when the policy is created");
  int n = count_rows(&r, forecast_rows("ForecastUpdated", 0), &first);
  CHECK_INT(n, 5, "forecasts at 24, 30, 36, 42 and 48 h: every 6 h (AAS-PRED)");
  CHECK_ABS(row_t(&r, first), 24 * 3600.0, 1e-9, "the first forecast once 24 h of data exist");
  CHECK_CONTAINS(first >= 0 ? r.rows[first][C_REASON] : "", "from 24 h of data",
                 "the first forecast uses 24 h of data");
  bool aligned = true;
  for (int i = 0; i < r.n_rows; i++)
    if (!strcmp(r.rows[i][C_EVENT], "predictive") &&
        (!strcmp(r.rows[i][C_STATUS], "ForecastUpdated") ||
         !strcmp(r.rows[i][C_STATUS], "NoForecast")))
      aligned = aligned && fmod(atof(r.rows[i][C_T]), 6 * 3600.0) == 0;
  CHECK(aligned, "every forecast is made at a multiple of 6 h");
  int only = count_rows(&r, forecast_rows("ForecastOnly", 0), &first);
  CHECK_INT(only, 26,
            "ForecastOnly: one row per hour from hour 24 to 49 (49's at 49 h - 300 s, in the run)");
  int changed = 0;
  for (int i = 0; i < r.n_rows; i++) changed += strcmp(r.rows[i][C_OLD], r.rows[i][C_NEW]) != 0;
  CHECK_INT(changed, 0, "ForecastOnly never changes the desired count");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* ForecastAndScale with a 600 s buffer: hour 32 (8 h on day 2) gets its 4
 * tasks at 32 h - 600 s, not at 32 h; the evening's lower forecast does not
 * scale in. ForecastOnly: the same row says what it would have done. */
static void test_scale_ahead(int mode) {
  const double buffer = 600, h32 = 32 * 3600.0;
  ecs_cfg c;
  days_cfg(&c, 1, 10);
  add_pred(&c, ECS_PRED_PAIR_ALB_REQUESTS, 35, mode, buffer);
  run r;
  run_start(&r, &c, poisson_hourly(office, 47 * 3600.0, 0.05), 5);
  add_probe(&r, h32 - buffer - 1);
  add_probe(&r, h32 - buffer + 1);
  add_probe(&r, h32);
  add_probe(&r, 46 * 3600.0);
  run_to_end(&r);
  const char *m = ecs_pred_mode_names[mode];
  int i = -1;
  for (int k = 0; k < r.n_rows && i < 0; k++)
    if (!strcmp(r.rows[k][C_EVENT], "predictive") &&
        fabs(atof(r.rows[k][C_T]) - (h32 - buffer)) < 1e-6)
      i = k;
  CHECK(i >= 0, "%s: an action at hour 32 - SchedulingBufferTime", m);
  if (i < 0) goto done;
  CHECK_INT(ecs_pred_capacity(atof(r.rows[i][C_VALUE]), 35), 4,
            "%s: the forecast load of hour 32 (~120 requests/min) is 4 tasks at 35", m);
  if (mode == ECS_PRED_FORECAST_AND_SCALE) {
    CHECK(!strcmp(r.rows[i][C_STATUS], "Successful") && atoi(r.rows[i][C_OLD]) == 1 &&
              atoi(r.rows[i][C_NEW]) == 4,
          "the action scales 1 -> 4 at 32 h - 600 s");
    CHECK_INT((int)r.probes[0].gauge[OUT_DESIRED], 1,
              "one second before, the desired count is 1");
    CHECK_INT((int)r.probes[1].gauge[OUT_DESIRED], 4, "one second after, 4");
    CHECK_INT((int)r.probes[2].gauge[OUT_READY], 4, "the 4 tasks serve when hour 32 starts");
    CHECK_INT((int)r.probes[3].gauge[OUT_DESIRED], 4,
              "AAS-PRED: the evening's lower forecast does not scale in");
    int in = find_row(&r, forecast_rows("NotScaled", 42 * 3600.0 - buffer));
    CHECK_STR(in >= 0 ? r.rows[in][C_REASON] : "", "ForecastBelowDesiredCapacity",
              "the evening's action is refused: it would scale in");
  } else {
    CHECK_STR(r.rows[i][C_STATUS], "ForecastOnly", "ForecastOnly rows");
    CHECK_CONTAINS(r.rows[i][C_REASON], "would scale out to 4", "saying what it would do");
    CHECK_INT((int)r.probes[1].gauge[OUT_DESIRED], 1,
              "ForecastOnly leaves the desired count alone");
    CHECK_INT((int)r.probes[2].gauge[OUT_READY], 1, "and the tasks");
  }
done:
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* ForecastAndScale on requests with target tracking on CPU: the requests are
 * so light that target tracking wants 1 task all day (AlarmLow in ALARM); the
 * forecast's 4 tasks hold for their hours, then target tracking scales in. */
static void test_floor_with_tt(void) {
  const double buffer = 300;
  ecs_cfg c;
  days_cfg(&c, 1, 10);
  add_tt(&c, "cpu50", ECS_TT_CPU, 50);
  add_pred(&c, ECS_PRED_PAIR_ALB_REQUESTS, 35, ECS_PRED_FORECAST_AND_SCALE, buffer);
  run r;
  run_start(&r, &c, poisson_hourly(office, 43 * 3600.0, 0.01), 9);
  add_probe(&r, 33 * 3600.0);
  add_probe(&r, 41 * 3600.0 + 3000);
  add_probe(&r, 42 * 3600.0);
  run_to_end(&r);
  int held = count_rows(&r, tt_rows("NotScaled", 32 * 3600.0 - buffer), NULL);
  int floor_rows = 0;
  for (int i = 0; i < r.n_rows; i++)
    floor_rows += !strcmp(r.rows[i][C_SOURCE], "cpu50") &&
                  !strcmp(r.rows[i][C_REASON], "ForecastCapacityFloor") &&
                  atof(r.rows[i][C_T]) < 42 * 3600.0 - buffer;
  CHECK(held > 0 && floor_rows > 60,
        "target tracking's scale-ins are refused by the forecast's floor (%d times)", floor_rows);
  CHECK_INT((int)r.probes[0].gauge[OUT_DESIRED], 4, "the forecast's 4 tasks hold at 33 h");
  CHECK_INT((int)r.probes[1].gauge[OUT_DESIRED], 4, "and until the next hour's action");
  CHECK_INT((int)r.probes[2].gauge[OUT_DESIRED], 1,
            "then the night's forecast of 1 lowers the floor and target tracking scales in");
  int in = find_row(&r, tt_rows("Successful", 42 * 3600.0 - buffer));
  CHECK(in >= 0 && atoi(r.rows[in][C_NEW]) < 4 && row_t(&r, in) < 42 * 3600.0,
        "the scale-in follows the lower floor within minutes");
  run_free(&r);
  cfg_free(&ecs_cfg_schema, &c);
}

/* Three days of a daily shape with a steep morning ramp (0.5 -> 4 requests/s
 * of 1 s CPU at 8 h: 4 vCPU, 8 tasks at 50 %), target tracking alone against
 * target tracking + ForecastAndScale on the CPU pair. On day 3 the predictive
 * run has its capacity in place when the ramp comes. */
static const double ramp_day[24] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 4,   4,   4,   4,
                                    4,   4,   4,   4,   4,   4,   1.5, 1.5, 1.5, 1.5, 0.5, 0.5};

static void run_ramp(run *r, bool predictive) {
  ecs_cfg c;
  days_cfg(&c, 1, 20);
  add_tt(&c, "cpu50", ECS_TT_CPU, 50);
  if (predictive) add_pred(&c, ECS_PRED_PAIR_CPU, 50, ECS_PRED_FORECAST_AND_SCALE, 300);
  run_start(r, &c, poisson_hourly(ramp_day, 72 * 3600.0, 1.0), 42);
  add_probe(r, 56 * 3600.0);
  run_to_end(r);
  cfg_free(&ecs_cfg_schema, &c);
}

static void test_end_to_end(void) {
  const double ramp = 56 * 3600.0;
  run tt_only, pred;
  run_ramp(&tt_only, false);
  run_ramp(&pred, true);
  double e_tt = errors_between(&tt_only, ramp, ramp + 3600);
  double e_pred = errors_between(&pred, ramp, ramp + 3600);
  CHECK((int)tt_only.probes[0].gauge[OUT_READY] <= 2,
        "day 3, 8 h: target tracking alone serves with the night's tasks (%g)",
        tt_only.probes[0].gauge[OUT_READY]);
  CHECK((int)pred.probes[0].gauge[OUT_READY] >= 6,
        "day 3, 8 h: with predictive scaling the day's tasks already serve (%g)",
        pred.probes[0].gauge[OUT_READY]);
  int act = find_row(&pred, forecast_rows("Successful", ramp - 300));
  CHECK_ABS(row_t(&pred, act), ramp - 300, 1e-6,
            "they were launched at 8 h - SchedulingBufferTime (300 s)");
  CHECK(e_tt > 100, "the ramp overloads target tracking alone: %g 5xx in its first hour", e_tt);
  CHECK(e_pred * 10 <= e_tt,
        "predictive scaling: at most a tenth of those errors (%g against %g)", e_pred, e_tt);
  run_free(&tt_only);
  run_free(&pred);
}

int main(void) {
  check_init();
  test_daily_pattern();
  test_threshold();
  test_window();
  test_arithmetic();
  test_scaler();
  test_refresh();
  test_scale_ahead(ECS_PRED_FORECAST_AND_SCALE);
  test_scale_ahead(ECS_PRED_FORECAST_ONLY);
  test_floor_with_tt();
  test_end_to_end();
  return check_done();
}
