/* scaling.c — the scalable target's decisions (spec §2, §5.3, §6.5, §7, §8.1,
 * §8.2; see scaling.h for the rules and their sources). */
#include "models/ecs/scaling.h"

#include <math.h>
#include <stdio.h>

#include "sim/error.h"

const char *const ecs_cooldown_base_names[] = {"initial", "running", "desired", NULL};

int ecs_scaler_lower(const ecs_scaler *s) {
  return s->forecast_floor > s->cfg.min_capacity ? s->forecast_floor : s->cfg.min_capacity;
}

int ecs_scaler_upper(const ecs_scaler *s) {
  return s->forecast_max > s->cfg.max_capacity ? s->forecast_max : s->cfg.max_capacity;
}

/* Into [lower, upper]; the upper bound wins should a scheduled action have
 * lowered MaxCapacity below a forecast floor. */
static int clamp(const ecs_scaler *s, int c) {
  int lo = ecs_scaler_lower(s), hi = ecs_scaler_upper(s);
  if (c < lo) c = lo;
  if (c > hi) c = hi;
  return c;
}

void ecs_scaler_set_desired(ecs_scaler *s, int desired) {
  SIM_ASSERT(desired >= 0);
  s->desired = desired;
}

int ecs_scaler_register(ecs_scaler *s, int min_capacity, int max_capacity) {
  SIM_ASSERT(min_capacity >= 0 && max_capacity >= min_capacity);
  s->cfg.min_capacity = min_capacity;
  s->cfg.max_capacity = max_capacity;
  s->desired = clamp(s, s->desired);
  return s->desired;
}

void ecs_scaler_init(ecs_scaler *s, const ecs_scaler_cfg *cfg, int desired,
                     ecs_activity_fn log, void *log_arg) {
  *s = (ecs_scaler){.cfg = *cfg,
                    .out_cooldown_end_s = -INFINITY,
                    .in_cooldown_end_s = -INFINITY,
                    .log = log,
                    .log_arg = log_arg};
  ecs_scaler_set_desired(s, desired);
  ecs_scaler_register(s, cfg->min_capacity, cfg->max_capacity);
}

bool ecs_scaler_in_out_cooldown(const ecs_scaler *s, double t) {
  return t < s->out_cooldown_end_s;
}
bool ecs_scaler_in_in_cooldown(const ecs_scaler *s, double t) {
  return t < s->in_cooldown_end_s;
}

int ecs_scaler_base(const ecs_scaler *s, double t, int running, ecs_dir dir) {
  if (dir != ECS_DIR_OUT || !ecs_scaler_in_out_cooldown(s, t)) return running;
  switch (s->cfg.out_cooldown_base) {
  case ECS_BASE_INITIAL: return s->out_cooldown_base;
  case ECS_BASE_RUNNING: return running;
  case ECS_BASE_DESIRED: return running > s->desired ? running : s->desired;
  }
  SIM_ASSERT(!"unknown cooldown base");
  return running;
}

static void emit(const ecs_scaler *s, double t, const ecs_proposal *p, int old_d, int new_d,
                 const char *status, const char *reason) {
  if (!s->log) return;
  ecs_activity a = {.source = p->policy,
                    .event = "policy",
                    .metric = p->metric ? p->metric : "",
                    .value = p->value,
                    .old_desired = old_d,
                    .new_desired = new_d,
                    .status = status,
                    .reason = reason ? reason : ""};
  s->log(s->log_arg, t, &a);
}

/* Why a proposal may not take part in the vote, or NULL when it may. */
static const char *blocked(const ecs_scaler *s, const ecs_proposal *p, bool tt_in_blocked) {
  if (p->dir == ECS_DIR_OUT && s->cfg.suspend_scale_out) return "DynamicScalingOutSuspended";
  if (p->dir == ECS_DIR_IN) {
    if (s->cfg.suspend_scale_in) return "DynamicScalingInSuspended";
    /* ECS-AS: AAS turns off scale-in while a deployment is in progress. */
    if (s->scale_in_paused) return "ScaleInPausedDuringDeployment";
    /* AAS-TT: target tracking scales in only when all its policies with
     * scale-in enabled are ready to; step scale-ins are independent. */
    if (p->kind == ECS_POLICY_TARGET_TRACKING && tt_in_blocked)
      return "WaitingForOtherTargetTrackingPolicies";
  }
  return NULL;
}

/* The desired count a proposal would leave: a scale-out never lowers it and a
 * scale-in never raises it (ECS-AS, OC-CLAMP); a policy that declined (its own
 * reason set) votes to keep it. */
static int effective(const ecs_scaler *s, const ecs_proposal *p) {
  if (p->reason) return s->desired;
  int c = clamp(s, p->capacity);
  if (p->dir == ECS_DIR_OUT) return c > s->desired ? c : s->desired;
  if (p->dir == ECS_DIR_IN) return c < s->desired ? c : s->desired;
  return s->desired;
}

/* The reason a proposal changed nothing. */
static const char *unchanged_reason(const ecs_scaler *s, const ecs_proposal *p, double t) {
  if (p->reason) return p->reason;
  if (p->dir == ECS_DIR_OUT) {
    if (s->desired >= ecs_scaler_upper(s)) return "AlreadyAtMaxCapacity";
    if (ecs_scaler_in_out_cooldown(s, t)) return "ScaleOutCooldown";
  }
  if (p->dir == ECS_DIR_IN && s->desired <= s->cfg.min_capacity) return "AlreadyAtMinCapacity";
  if (p->dir == ECS_DIR_IN && s->desired <= s->forecast_floor) return "ForecastCapacityFloor";
  return "AlreadyAtDesiredCapacity";
}

static void start_cooldowns(ecs_scaler *s, double t, const ecs_proposal *w, int running) {
  if (w->dir == ECS_DIR_OUT) {
    /* The initiating scale-out's base; a scale from zero sets none, so the
     * first scale-out after it does (scaling.h, ecs_cooldown_base). */
    if (!ecs_scaler_in_out_cooldown(s, t) || s->out_cooldown_base == 0)
      s->out_cooldown_base = w->base;
    s->out_cooldown_end_s = t + w->out_cooldown_s;
    /* AAS-TT: a scale-out during the scale-in cooldown ends it; RM-2135 reports
     * that it (re)starts it instead [I]. */
    s->in_cooldown_end_s = s->cfg.scale_out_resets_scale_in_cooldown ? t + w->in_cooldown_s : t;
  } else {
    s->in_cooldown_end_s = t + w->in_cooldown_s;
  }
}

/* What happened to one invoked proposal, worked out before the desired count
 * changes so that reasons describe the state the policy saw. */
typedef struct verdict {
  const char *blocked;   /* may not vote, or NULL */
  const char *unchanged; /* reason if it would leave the count as it is */
  int effective;         /* the count it would leave */
} verdict;

int ecs_scaler_decide(ecs_scaler *s, double t, int running, const ecs_proposal *p, size_t n) {
  SIM_ASSERT(n <= ECS_MAX_POLICIES);
  bool tt_in_blocked = false;
  for (size_t i = 0; i < n; i++)
    if (p[i].kind == ECS_POLICY_TARGET_TRACKING && p[i].scale_in_enabled &&
        p[i].dir != ECS_DIR_IN)
      tt_in_blocked = true;

  const int old = s->desired;
  verdict v[ECS_MAX_POLICIES];
  int target = -1;
  size_t winner = n;
  for (size_t i = 0; i < n; i++) {
    if (p[i].dir == ECS_DIR_NONE || p[i].vote_only) continue;
    v[i].blocked = blocked(s, &p[i], tt_in_blocked);
    v[i].effective = effective(s, &p[i]);
    v[i].unchanged = unchanged_reason(s, &p[i], t);
    if (!v[i].blocked && v[i].effective > target) { /* the largest capacity wins */
      target = v[i].effective;
      winner = i;
    }
  }
  bool cooled = target >= 0 && target < old && ecs_scaler_in_in_cooldown(s, t);
  bool change = target >= 0 && target != old && !cooled;
  if (change) {
    s->desired = target;
    start_cooldowns(s, t, &p[winner], running);
  }

  for (size_t i = 0; i < n; i++) {
    if (p[i].vote_only) continue;
    if (p[i].dir == ECS_DIR_NONE) {
      if (p[i].reason) emit(s, t, &p[i], old, old, "NotScaled", p[i].reason);
    } else if (v[i].blocked) {
      emit(s, t, &p[i], old, old, "NotScaled", v[i].blocked);
    } else if (change && i == winner) {
      emit(s, t, &p[i], old, s->desired, "Successful", p[i].reason);
    } else if (v[i].effective == old) {
      emit(s, t, &p[i], old, s->desired, "NotScaled", v[i].unchanged);
    } else if (cooled) {
      emit(s, t, &p[i], old, old, "NotScaled", "ScaleInCooldown");
    } else {
      emit(s, t, &p[i], old, s->desired, "Overridden", "LargerCapacityFromAnotherPolicy");
    }
  }
  return s->desired;
}

int ecs_scaler_schedule(ecs_scaler *s, double t, const char *name, int min_capacity,
                        int max_capacity) {
  int old = s->desired;
  ecs_activity a = {.source = name, .event = "schedule", .metric = "", .value = NAN,
                    .old_desired = old};
  if (s->cfg.suspend_scheduled) {
    a.new_desired = old;
    a.status = "NotScaled";
    a.reason = "ScheduledScalingSuspended";
  } else {
    if (min_capacity >= 0) s->cfg.min_capacity = min_capacity;
    if (max_capacity >= 0) s->cfg.max_capacity = max_capacity;
    if (s->cfg.min_capacity > s->cfg.max_capacity) {
      if (min_capacity >= 0) s->cfg.max_capacity = s->cfg.min_capacity;
      else s->cfg.min_capacity = s->cfg.max_capacity;
    }
    s->desired = clamp(s, s->desired); /* no cooldown applies (AAS-SCHED) */
    a.new_desired = s->desired;
    a.status = "Successful";
    a.reason = s->desired > old   ? "ScheduledMinCapacity"
               : s->desired < old ? "ScheduledMaxCapacity"
                                  : "WithinScheduledBounds";
  }
  if (s->log) s->log(s->log_arg, t, &a);
  return s->desired;
}

/* Sets predictive scaling's hold: the floor (when it is modelled) and the
 * raised maximum, which either lasts for the hour or becomes MaxCapacity. */
static void hold(ecs_scaler *s, int floor, int max_capacity) {
  s->forecast_floor = s->cfg.forecast_floor ? floor : 0;
  if (s->cfg.forecast_keeps_max && max_capacity > s->cfg.max_capacity)
    s->cfg.max_capacity = max_capacity;
  s->forecast_max = max_capacity > s->cfg.max_capacity ? max_capacity : 0;
}

void ecs_scaler_forecast_release(ecs_scaler *s) {
  s->forecast_floor = 0;
  s->forecast_max = 0;
}

int ecs_scaler_forecast(ecs_scaler *s, double t, const ecs_forecast_action *a) {
  SIM_ASSERT(a->capacity >= 0 && a->max_capacity >= 0);
  const int old = s->desired;
  int max = a->max_capacity > s->cfg.max_capacity ? a->max_capacity : s->cfg.max_capacity;
  int cap = a->capacity < max ? a->capacity : max;
  char reason[160];
  ecs_activity act = {.source = a->policy, .event = "predictive",
                      .metric = a->metric ? a->metric : "", .value = a->load,
                      .old_desired = old, .new_desired = old, .reason = reason};
  if (!a->scale) { /* ForecastOnly: what it would have done (AAS-PRED) */
    act.status = "ForecastOnly";
    snprintf(reason, sizeof reason, "would %s %d (forecast capacity %d for hour %ld)",
             cap > old ? "scale out to" : "keep", cap > old ? cap : old, a->capacity, a->hour);
  } else {
    hold(s, cap, max);
    if (cap > old) s->desired = cap; /* it never scales in (AAS-PRED) */
    act.new_desired = s->desired;
    if (s->desired != old) {
      act.status = "Successful";
      snprintf(reason, sizeof reason, "forecast capacity %d for hour %ld%s", a->capacity,
               a->hour, a->capacity > max ? ", capped at the maximum" : "");
    } else {
      act.status = "NotScaled";
      snprintf(reason, sizeof reason, "%s",
               a->capacity > old && old >= max ? "AlreadyAtMaxCapacity"
               : cap < old                     ? "ForecastBelowDesiredCapacity"
                                               : "AlreadyAtDesiredCapacity");
    }
  }
  if (s->log) s->log(s->log_arg, t, &act);
  return s->desired;
}
