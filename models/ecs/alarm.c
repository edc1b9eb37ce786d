/* alarm.c — CloudWatch alarm evaluation: M of N with missing data (spec §4).
 *
 * The evaluation rule, from CW-ALARM ("How CloudWatch alarms treat missing
 * data", spec §4 and its tables A and B, oracle OC-CW):
 *   1. at least N real datapoints in the evaluation range: evaluate the most
 *      recent N real ones; the missing-data treatment is not used;
 *   2. fewer than N real ones: fill the N slots with the real points first and
 *      treated missing points as few times as possible, then
 *        breaching     - fillers breach;
 *        notBreaching  - fillers do not breach;
 *        missing/ignore- fillers decide nothing: ALARM if the real points alone
 *                        have M breaches, OK if some real point does not breach
 *                        (CloudWatch's tables return OK there, e.g. "0 - X - -"
 *                        with M = 2), else INSUFFICIENT_DATA (`missing`) or the
 *                        current state (`ignore`).
 *   Then "if fewer than Datapoints to Alarm are breaching the state is OK,
 *   otherwise ALARM". This reproduces every row of the documentation's tables. */
#include "models/ecs/alarm.h"

#include <math.h>

const char *const ecs_cmp_names[] = {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
                                     "LessThanThreshold", "LessThanOrEqualToThreshold", NULL};
const char *const ecs_missing_names[] = {"missing", "ignore", "breaching", "notBreaching",
                                         NULL};
const char *const ecs_agg_names[] = {"Average", "Minimum", "Maximum", NULL};

const char *ecs_alarm_state_name(ecs_alarm_state s) {
  switch (s) {
  case ECS_ALARM_OK: return "OK";
  case ECS_ALARM_ALARM: return "ALARM";
  case ECS_ALARM_INSUFFICIENT_DATA: return "INSUFFICIENT_DATA";
  }
  return "?";
}

int ecs_alarm_cfg_check(const ecs_alarm_cfg *cfg, const char *what, sim_error *err) {
  if (cfg->evaluation_periods < 1)
    return sim_errorf(err, SIM_ESCENARIO, "%s: evaluation_periods must be >= 1, got %d", what,
                      cfg->evaluation_periods);
  if (cfg->datapoints_to_alarm < 1 || cfg->datapoints_to_alarm > cfg->evaluation_periods)
    return sim_errorf(err, SIM_ESCENARIO,
                      "%s: datapoints_to_alarm must be between 1 and evaluation_periods (%d), "
                      "got %d",
                      what, cfg->evaluation_periods, cfg->datapoints_to_alarm);
  if (cfg->range_extra < 0)
    return sim_errorf(err, SIM_ESCENARIO, "%s: the evaluation range cannot be shorter than "
                      "evaluation_periods", what);
  if (!isfinite(cfg->threshold))
    return sim_errorf(err, SIM_ESCENARIO, "%s: the threshold must be a finite number", what);
  if ((unsigned)cfg->cmp > ECS_CMP_LE || (unsigned)cfg->missing > ECS_MISSING_NOT_BREACHING)
    return sim_errorf(err, SIM_ESCENARIO, "%s: unknown comparison or missing-data treatment",
                      what);
  return SIM_OK;
}

bool ecs_alarm_breaching(const ecs_alarm_cfg *cfg, double v) {
  if (isnan(v)) return false;
  switch (cfg->cmp) {
  case ECS_CMP_GT: return v > cfg->threshold;
  case ECS_CMP_GE: return v >= cfg->threshold;
  case ECS_CMP_LT: return v < cfg->threshold;
  case ECS_CMP_LE: return v <= cfg->threshold;
  }
  SIM_ASSERT(!"unknown comparison operator");
  return false;
}

ecs_alarm_state ecs_alarm_evaluate(const ecs_alarm_cfg *cfg, const double *range, int n,
                                   ecs_alarm_state current) {
  const int N = cfg->evaluation_periods, M = cfg->datapoints_to_alarm;
  int real = 0, breaching = 0;
  /* Newest first, stopping after N real points (rule 1 / rule 2 of CW-ALARM). */
  for (int i = n - 1; i >= 0 && real < N; i--) {
    if (isnan(range[i])) continue;
    real++;
    if (ecs_alarm_breaching(cfg, range[i])) breaching++;
  }
  if (real >= N) return breaching >= M ? ECS_ALARM_ALARM : ECS_ALARM_OK;
  int fillers = N - real;
  switch (cfg->missing) {
  case ECS_MISSING_BREACHING:
    return breaching + fillers >= M ? ECS_ALARM_ALARM : ECS_ALARM_OK;
  case ECS_MISSING_NOT_BREACHING:
    return breaching >= M ? ECS_ALARM_ALARM : ECS_ALARM_OK;
  case ECS_MISSING_MISSING:
  case ECS_MISSING_IGNORE:
    if (breaching >= M) return ECS_ALARM_ALARM;
    if (real > breaching) return ECS_ALARM_OK;
    return cfg->missing == ECS_MISSING_IGNORE ? current : ECS_ALARM_INSUFFICIENT_DATA;
  }
  SIM_ASSERT(!"unknown missing-data treatment");
  return current;
}

struct ecs_alarm {
  ecs_alarm_cfg cfg;
  ecs_alarm_state state;
  int len;      /* evaluation range length, N + range_extra */
  int head;     /* index of the oldest datapoint in the ring */
  double *ring; /* the range, oldest at head; NaN = missing */
  double *tmp;  /* the range unrolled oldest first, for ecs_alarm_evaluate */
};

ecs_alarm *ecs_alarm_alloc(const ecs_alarm_cfg *cfg) {
  ecs_alarm *a = sim_xcalloc(1, sizeof *a);
  a->cfg = *cfg;
  a->state = ECS_ALARM_INSUFFICIENT_DATA;
  a->len = cfg->evaluation_periods + cfg->range_extra;
  SIM_ASSERT(a->len >= 1);
  a->ring = sim_xmalloc((size_t)a->len * sizeof *a->ring);
  a->tmp = sim_xmalloc((size_t)a->len * sizeof *a->tmp);
  for (int i = 0; i < a->len; i++) a->ring[i] = NAN;
  return a;
}

void ecs_alarm_free(ecs_alarm *a) {
  if (!a) return;
  free(a->ring);
  free(a->tmp);
  free(a);
}

const ecs_alarm_cfg *ecs_alarm_config(const ecs_alarm *a) { return &a->cfg; }
ecs_alarm_state ecs_alarm_get_state(const ecs_alarm *a) { return a->state; }

/* The i-th datapoint of the range, 0 = oldest. */
static double at(const ecs_alarm *a, int i) { return a->ring[(a->head + i) % a->len]; }

ecs_alarm_state ecs_alarm_push(ecs_alarm *a, double value) {
  a->ring[a->head] = value; /* overwrite the oldest: it becomes the newest */
  a->head = (a->head + 1) % a->len;
  for (int i = 0; i < a->len; i++) a->tmp[i] = at(a, i);
  a->state = ecs_alarm_evaluate(&a->cfg, a->tmp, a->len, a->state);
  return a->state;
}

double ecs_alarm_latest(const ecs_alarm *a) { return at(a, a->len - 1); }

double ecs_alarm_window(const ecs_alarm *a, ecs_agg agg) {
  double sum = 0, lo = INFINITY, hi = -INFINITY;
  int real = 0;
  for (int i = a->len - 1; i >= 0 && real < a->cfg.evaluation_periods; i--) {
    double v = at(a, i);
    if (isnan(v)) continue;
    real++;
    sum += v;
    lo = fmin(lo, v);
    hi = fmax(hi, v);
  }
  if (!real) return NAN;
  switch (agg) {
  case ECS_AGG_AVERAGE: return sum / real;
  case ECS_AGG_MINIMUM: return lo;
  case ECS_AGG_MAXIMUM: return hi;
  }
  SIM_ASSERT(!"unknown aggregation");
  return NAN;
}
