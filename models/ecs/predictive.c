/* predictive.c — the predictive scaling forecaster and its arithmetic (spec
 * §8.2; see predictive.h for the rules and their sources). */
#include "models/ecs/predictive.h"

#include <math.h>
#include <stdlib.h>

#include "sim/error.h"

const char *const ecs_pred_pair_names[] = {"ECSServiceCPUUtilization",
                                           "ECSServiceMemoryUtilization", "ALBRequestCount",
                                           NULL};
const char *const ecs_pred_load_names[] = {"ECSServiceTotalCPUUtilization",
                                           "ECSServiceTotalMemoryUtilization",
                                           "TotalALBRequestCount", NULL};
const char *const ecs_pred_scaling_names[] = {"ECSServiceAverageCPUUtilization",
                                              "ECSServiceAverageMemoryUtilization",
                                              "ALBRequestCountPerTarget", NULL};
const char *const ecs_pred_mode_names[] = {"ForecastOnly", "ForecastAndScale", NULL};
const char *const ecs_pred_breach_names[] = {"HonorMaxCapacity", "IncreaseMaxCapacity", NULL};
const char *const ecs_pred_method_names[] = {"daily_mean", "daily_max", "last_day", NULL};
const char *const ecs_pred_hour_stat_names[] = {"average", "maximum", NULL};

/* One hour's datapoints. */
typedef struct hour_slot {
  long hour; /* which hour the slot holds; -1 none */
  double sum, max;
  long n;
} hour_slot;

struct ecs_pred_history {
  ecs_pred_hour_stat stat;
  hour_slot slot[ECS_PRED_HISTORY_HOURS]; /* hour h in slot h mod 336 */
};

ecs_pred_history *ecs_pred_history_alloc(ecs_pred_hour_stat stat) {
  ecs_pred_history *h = sim_xcalloc(1, sizeof *h);
  h->stat = stat;
  for (int i = 0; i < ECS_PRED_HISTORY_HOURS; i++) h->slot[i].hour = -1;
  return h;
}

void ecs_pred_history_free(ecs_pred_history *h) { free(h); }

static hour_slot *slot_of(ecs_pred_history *h, long hour) {
  return &h->slot[hour % ECS_PRED_HISTORY_HOURS];
}

void ecs_pred_observe(ecs_pred_history *h, double t_s, double load) {
  SIM_ASSERT(t_s >= 0 && isfinite(load));
  long hour = (long)floor(t_s / 3600);
  hour_slot *s = slot_of(h, hour);
  if (s->hour > hour) return; /* older than the 14 days kept */
  if (s->hour < hour) *s = (hour_slot){.hour = hour, .max = -INFINITY};
  s->sum += load;
  s->max = fmax(s->max, load);
  s->n++;
}

double ecs_pred_hour_load(const ecs_pred_history *h, long hour) {
  if (hour < 0) return NAN;
  const hour_slot *s = &h->slot[hour % ECS_PRED_HISTORY_HOURS];
  if (s->hour != hour || s->n == 0) return NAN;
  return h->stat == ECS_PRED_HOUR_MAXIMUM ? s->max : s->sum / (double)s->n;
}

int ecs_pred_hours_of_data(const ecs_pred_history *h, long now_hour) {
  int n = 0;
  for (long k = 1; k <= ECS_PRED_HISTORY_HOURS; k++)
    if (!isnan(ecs_pred_hour_load(h, now_hour - k))) n++;
  return n;
}

/* The forecast of hour `hour` from the same hour of the days before
 * now_hour, back to ECS_PRED_HISTORY_HOURS before it. */
static double forecast_hour(const ecs_pred_history *h, long now_hour, long hour,
                            ecs_pred_method method) {
  double sum = 0, max = -INFINITY;
  int n = 0;
  for (long past = hour - 24; past >= now_hour - ECS_PRED_HISTORY_HOURS; past -= 24) {
    if (past >= now_hour) continue; /* the same hour of a day still to come */
    double v = ecs_pred_hour_load(h, past);
    if (isnan(v)) continue;
    if (method == ECS_PRED_LAST_DAY) return v; /* the most recent comes first */
    sum += v;
    max = fmax(max, v);
    n++;
  }
  if (n == 0) return NAN;
  return method == ECS_PRED_DAILY_MAX ? max : sum / n;
}

int ecs_pred_forecast(const ecs_pred_history *h, long now_hour, ecs_pred_method method,
                      double out[ECS_PRED_HORIZON_HOURS]) {
  int hours = ecs_pred_hours_of_data(h, now_hour);
  if (hours < ECS_PRED_MIN_HOURS) return hours;
  for (int i = 0; i < ECS_PRED_HORIZON_HOURS; i++)
    out[i] = forecast_hour(h, now_hour, now_hour + i, method);
  return hours;
}

int ecs_pred_capacity(double load, double target) {
  SIM_ASSERT(target > 0);
  if (isnan(load)) return -1;
  if (load <= 0) return 0;
  double tasks = load / target;
  if (!(tasks < 1e9)) return 1000000000; /* beyond any service (and infinity) */
  return (int)ceil(tasks - 1e-9 * fmax(1.0, tasks));
}

int ecs_pred_max_capacity(int capacity, int max_capacity, ecs_pred_breach behavior,
                          int buffer_pct) {
  SIM_ASSERT(capacity >= 0 && max_capacity >= 0 && buffer_pct >= 0 && buffer_pct <= 100);
  if (behavior == ECS_PRED_HONOR_MAX) return max_capacity;
  long long raised = ((long long)capacity * (100 + buffer_pct) + 99) / 100;
  if (raised > 1000000000) raised = 1000000000;
  return raised > max_capacity ? (int)raised : max_capacity;
}
