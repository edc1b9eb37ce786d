/* kpa_pa.c — the PodAutoscaler reconciler's rules (see kpa_pa.h), after
 * knative/serving pkg/reconciler/autoscaling/kpa/scaler.go (scale,
 * handleScaleToZero, applyBounds) and kpa.go (SKS mode, computeActiveCondition,
 * activeThreshold). */
#include "models/cloudrun/kpa_pa.h"

void kpa_pa_init(kpa_pa *pa, double now_s) {
  *pa = (kpa_pa){.state = KPA_PA_ACTIVATING, .state_since_s = now_s,
                 .sks_mode = KPA_SKS_SERVE, .sks_since_s = now_s};
}

static void set_state(kpa_pa *pa, kpa_pa_state s, double now_s) {
  if (pa->state != s) {
    pa->state = s;
    pa->state_since_s = now_s;
  }
}

/* PodAutoscaler.ScaleBounds: min-scale does not apply to an unreachable
 * revision. */
static int min_bound(const kpa_pa_cfg *cfg, bool reachable) {
  return reachable ? cfg->min_scale : 0;
}

/* applyBounds (pre: 0 <= min, max 0 = unbounded). */
static int apply_bounds(int min, int max, int x) {
  if (x < min) return min;
  if (max != 0 && x > max) return max;
  return x;
}

static kpa_pa_decision keep(int want, double requeue_s) {
  return (kpa_pa_decision){.want = want, .apply = false, .requeue_after_s = requeue_s};
}

static kpa_pa_decision go(int want, double requeue_s) {
  return (kpa_pa_decision){.want = want, .apply = true, .requeue_after_s = requeue_s};
}

/* handleScaleToZero; the returned apply flag is "shouldApplyScale". */
static kpa_pa_decision handle_scale_to_zero(const kpa_pa *pa, const kpa_pa_cfg *cfg,
                                            double now_s, int desired, bool reachable,
                                            bool probe_ok) {
  if (desired != 0) return go(desired, 0);
  if (!cfg->enable_scale_to_zero) return go(1, 0);
  double since = now_s - pa->state_since_s;
  switch (pa->state) {
  case KPA_PA_ACTIVATING:
    /* Stuck activating past the progress deadline: give up and scale to 0. */
    if (since > cfg->activation_timeout_s) return go(0, 0);
    return keep(-1, cfg->activation_timeout_s);
  case KPA_PA_ACTIVE:
    /* Active for a stable window: mark Inactive (the SKS goes to Proxy)
     * without scaling yet; before that keep at most one pod. */
    if (since >= cfg->stable_window_s) return keep(0, 0);
    return go(1, cfg->stable_window_s - since);
  case KPA_PA_INACTIVE:
    break;
  }
  if (cfg->target_burst_capacity != -1 && !probe_ok) {
    kpa_pa_decision d = keep(0, 0);
    d.probe_started = true; /* the activator is not in the path yet */
    return d;
  }
  double last_pod = reachable ? cfg->pod_retention_s : 0;
  double grace = cfg->grace_period_s;
  if (since >= (grace > last_pod ? grace : last_pod)) return go(0, 0);
  if (last_pod > 0 && since < last_pod) return keep(0, last_pod - since);
  double proxy_for = pa->sks_mode == KPA_SKS_PROXY ? now_s - pa->sks_since_s : 0;
  if (proxy_for >= grace) return go(0, 0); /* fast path: activator in path long enough */
  return keep(0, grace - proxy_for);
}

kpa_pa_decision kpa_pa_scale(const kpa_pa *pa, const kpa_pa_cfg *cfg, double now_s,
                             int desired, int replicas, bool reachable,
                             bool activator_probe_ok) {
  if (desired < 0 && pa->state != KPA_PA_ACTIVATING) return keep(desired, 0);
  int min = min_bound(cfg, reachable);
  if (cfg->initial_scale > 1 && !pa->scale_target_initialized && reachable &&
      cfg->initial_scale > min)
    min = cfg->initial_scale;
  desired = apply_bounds(min, cfg->max_scale, desired);
  kpa_pa_decision d =
      handle_scale_to_zero(pa, cfg, now_s, desired, reachable, activator_probe_ok);
  d.apply = d.apply && d.want != replicas;
  return d;
}

kpa_sks_mode kpa_pa_sks_mode(const kpa_pa *pa, int want, int ebc) {
  if (want == 0 || ebc < 0 || (want == -1 && pa->state == KPA_PA_INACTIVE)) return KPA_SKS_PROXY;
  return KPA_SKS_SERVE;
}

void kpa_pa_set_sks_mode(kpa_pa *pa, kpa_sks_mode mode, double now_s) {
  if (pa->sks_mode != mode) {
    pa->sks_mode = mode;
    pa->sks_since_s = now_s;
  }
}

/* activeThreshold: the ready pods needed to be Active. */
static int active_threshold(const kpa_pa *pa, const kpa_pa_cfg *cfg, bool reachable) {
  int min = min_bound(cfg, reachable);
  if (!pa->scale_target_initialized) return min > cfg->initial_scale ? min : cfg->initial_scale;
  return min > 1 ? min : 1;
}

void kpa_pa_compute_active(kpa_pa *pa, const kpa_pa_cfg *cfg, double now_s, int want,
                           int ready, bool reachable) {
  int min_ready = active_threshold(pa, cfg, reachable);
  if (ready >= min_ready) pa->scale_target_initialized = true;
  if (want == 0 || min_ready == 0) {
    set_state(pa, KPA_PA_INACTIVE, now_s); /* NoTraffic, or TimedOut while activating */
  } else if (ready < min_ready) {
    if (want > 0 || pa->state != KPA_PA_INACTIVE) set_state(pa, KPA_PA_ACTIVATING, now_s);
    else set_state(pa, KPA_PA_INACTIVE, now_s);
  } else if (want > 0 || pa->state != KPA_PA_INACTIVE) {
    set_state(pa, KPA_PA_ACTIVE, now_s);
  }
}
