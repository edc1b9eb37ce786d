/* step_scaling.c — step tables: validation, lookup and adjustment arithmetic
 * (spec §6.3-6.4; AAS-STEP, AAS-API `StepAdjustment`). */
#include "models/ecs/step_scaling.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

const char *const ecs_adjustment_type_names[] = {"ChangeInCapacity", "PercentChangeInCapacity",
                                                 "ExactCapacity", NULL};

/* "[lo, hi)" with null bounds written as -inf / +inf, for messages. */
static const char *interval_text(const ecs_step *s, char *buf, size_t len) {
  char lo[32], hi[32];
  if (isnan(s->lower)) snprintf(lo, sizeof lo, "-inf");
  else snprintf(lo, sizeof lo, "%g", s->lower);
  if (isnan(s->upper)) snprintf(hi, sizeof hi, "+inf");
  else snprintf(hi, sizeof hi, "%g", s->upper);
  snprintf(buf, len, "[%s, %s]", lo, hi);
  return buf;
}

/* Orders steps by lower bound, a null lower bound first. */
static int by_lower(const void *a, const void *b) {
  const ecs_step *x = a, *y = b;
  if (isnan(x->lower)) return isnan(y->lower) ? 0 : -1;
  if (isnan(y->lower)) return 1;
  return (x->lower > y->lower) - (x->lower < y->lower);
}

static int check_each(const ecs_step *steps, size_t n, ecs_adjustment_type type,
                      const char *what, sim_error *err) {
  int null_lower = 0, null_upper = 0, neg_lower = 0, pos_upper = 0;
  char b[96];
  for (size_t i = 0; i < n; i++) {
    const ecs_step *s = &steps[i];
    if (isnan(s->lower) && isnan(s->upper))
      return sim_errorf(err, SIM_ESCENARIO,
                        "%s: step %zu has neither a lower nor an upper bound", what, i + 1);
    if (!isnan(s->lower) && !isnan(s->upper) && !(s->upper > s->lower))
      return sim_errorf(err, SIM_ESCENARIO,
                        "%s: step %zu %s: the upper bound must be greater than the lower", what,
                        i + 1, interval_text(s, b, sizeof b));
    if (type == ECS_ADJ_EXACT && s->adjustment < 0)
      return sim_errorf(err, SIM_ESCENARIO,
                        "%s: step %zu: an ExactCapacity adjustment cannot be negative (%d)",
                        what, i + 1, s->adjustment);
    null_lower += isnan(s->lower);
    null_upper += isnan(s->upper);
    neg_lower += !isnan(s->lower) && s->lower < 0;
    pos_upper += !isnan(s->upper) && s->upper > 0;
  }
  if (null_lower > 1)
    return sim_errorf(err, SIM_ESCENARIO, "%s: only one step may have a null lower bound", what);
  if (null_upper > 1)
    return sim_errorf(err, SIM_ESCENARIO, "%s: only one step may have a null upper bound", what);
  if (neg_lower && !null_lower)
    return sim_errorf(err, SIM_ESCENARIO,
                      "%s: a step has a negative lower bound, so one step must have a null "
                      "lower bound (to cover everything below it)", what);
  if (pos_upper && !null_upper)
    return sim_errorf(err, SIM_ESCENARIO,
                      "%s: a step has a positive upper bound, so one step must have a null "
                      "upper bound (to cover everything above it)", what);
  return SIM_OK;
}

static int check_contiguous(const ecs_step *steps, size_t n, const char *what, sim_error *err) {
  ecs_step sorted[ECS_MAX_STEPS];
  for (size_t i = 0; i < n; i++) sorted[i] = steps[i];
  qsort(sorted, n, sizeof *sorted, by_lower);
  char a[96], b[96];
  for (size_t i = 0; i + 1 < n; i++) {
    const ecs_step *s = &sorted[i], *t = &sorted[i + 1];
    if (isnan(s->upper) || s->upper > t->lower)
      return sim_errorf(err, SIM_ESCENARIO, "%s: steps %s and %s overlap", what,
                        interval_text(s, a, sizeof a), interval_text(t, b, sizeof b));
    if (s->upper < t->lower)
      return sim_errorf(err, SIM_ESCENARIO,
                        "%s: steps %s and %s leave a gap between %g and %g", what,
                        interval_text(s, a, sizeof a), interval_text(t, b, sizeof b), s->upper,
                        t->lower);
  }
  return SIM_OK;
}

int ecs_step_validate(const ecs_step *steps, size_t n, ecs_adjustment_type type,
                      int min_adjustment_magnitude, const char *what, sim_error *err) {
  if (n < 1 || n > ECS_MAX_STEPS)
    return sim_errorf(err, SIM_ESCENARIO, "%s: a step policy needs 1 to %d steps, got %zu",
                      what, ECS_MAX_STEPS, n);
  if ((unsigned)type > ECS_ADJ_EXACT)
    return sim_errorf(err, SIM_ESCENARIO, "%s: unknown adjustment type", what);
  if (min_adjustment_magnitude < 0)
    return sim_errorf(err, SIM_ESCENARIO, "%s: min_adjustment_magnitude cannot be negative",
                      what);
  if (min_adjustment_magnitude > 0 && type != ECS_ADJ_PERCENT)
    return sim_errorf(err, SIM_ESCENARIO,
                      "%s: min_adjustment_magnitude applies only to PercentChangeInCapacity",
                      what);
  int rc = check_each(steps, n, type, what, err);
  return rc ? rc : check_contiguous(steps, n, what, err);
}

int ecs_step_find(const ecs_step *steps, size_t n, double threshold, double m,
                  bool at_threshold_above) {
  if (isnan(m)) return -1;
  bool above = m > threshold || (m == threshold && at_threshold_above);
  for (size_t i = 0; i < n; i++) {
    const ecs_step *s = &steps[i];
    /* AAS-API StepAdjustment: above the threshold lower <= m < upper, below it
     * lower < m <= upper; null bounds are infinite. */
    bool lo_ok = isnan(s->lower) ||
                 (above ? m >= threshold + s->lower : m > threshold + s->lower);
    bool hi_ok = isnan(s->upper) ||
                 (above ? m < threshold + s->upper : m <= threshold + s->upper);
    if (lo_ok && hi_ok) return (int)i;
  }
  return -1;
}

int ecs_round_percent_delta(double d) {
  if (d == floor(d)) return (int)d;
  if (d > 1) return (int)floor(d);
  if (d > 0) return 1;
  if (d > -1) return -1;
  return (int)ceil(d);
}

int ecs_step_apply(ecs_adjustment_type type, int current, int adjustment,
                   int min_adjustment_magnitude) {
  long next = current;
  switch (type) {
  case ECS_ADJ_CHANGE: next = (long)current + adjustment; break;
  case ECS_ADJ_EXACT: next = adjustment; break;
  case ECS_ADJ_PERCENT: {
    /* Exact in integers when the percentage divides evenly (10 % of 10 = 1). */
    int64_t p = (int64_t)current * adjustment;
    long delta = p % 100 == 0 ? (long)(p / 100) : ecs_round_percent_delta((double)p / 100.0);
    if (delta != 0 && labs(delta) < min_adjustment_magnitude)
      delta = delta > 0 ? min_adjustment_magnitude : -min_adjustment_magnitude;
    next = (long)current + delta;
    break;
  }
  default: SIM_ASSERT(!"unknown adjustment type");
  }
  if (next < 0) next = 0;
  if (next > INT32_MAX) next = INT32_MAX;
  return (int)next;
}

void ecs_step_propose(const ecs_step_policy *sp, const ecs_alarm_cfg *alarm, double m,
                      int base, const char *metric, ecs_proposal *out) {
  *out = (ecs_proposal){.policy = sp->name, .metric = metric, .value = m,
                        .kind = ECS_POLICY_STEP, .dir = ECS_DIR_NONE, .capacity = base,
                        .base = base,
                        .out_cooldown_s = sp->cooldown_s, .in_cooldown_s = sp->cooldown_s};
  bool upwards = alarm->cmp == ECS_CMP_GT || alarm->cmp == ECS_CMP_GE;
  int i = ecs_step_find(sp->steps, sp->n_steps, alarm->threshold, m, upwards);
  if (i < 0) {
    out->reason = "NoMatchingStepAdjustment";
    return;
  }
  int adj = sp->steps[i].adjustment;
  out->capacity = ecs_step_apply(sp->type, base, adj, sp->min_adjustment_magnitude);
  if (sp->type == ECS_ADJ_EXACT)
    out->dir = out->capacity > base ? ECS_DIR_OUT : out->capacity < base ? ECS_DIR_IN
                                                                          : ECS_DIR_NONE;
  else
    out->dir = adj > 0 ? ECS_DIR_OUT : adj < 0 ? ECS_DIR_IN : ECS_DIR_NONE;
  if (out->dir == ECS_DIR_NONE) out->reason = "AlreadyAtDesiredCapacity";
}
