/* kpa.c — the KPA decider (see kpa.h), after knative/serving
 * pkg/autoscaler/scaling/autoscaler.go, Scale(), statement by statement. */
#include "models/cloudrun/kpa.h"

#include <math.h>

#include "models/cloudrun/kpa_max_window.h"
#include "sim/error.h"

struct kpa_decider {
  kpa_decider_spec spec;
  bool panicking;       /* !panicTime.IsZero() */
  double panic_time_s;  /* panicTime */
  int max_panic_pods;   /* maxPanicPods */
  kpa_max_window *delay; /* delayWindow, NULL without a scale-down delay */
};

kpa_decider *kpa_decider_alloc(const kpa_decider_spec *spec, double now_s, int ready_pods) {
  kpa_decider *d = sim_xcalloc(1, sizeof *d);
  d->spec = *spec;
  if (spec->scale_down_delay_s > 0)
    d->delay = kpa_max_window_alloc_time(spec->scale_down_delay_s, (int)KPA_TICK_INTERVAL_S);
  /* newAutoscaler: an unreadable count is 0; over one pod starts in panic. */
  int cur = ready_pods < 0 ? 0 : ready_pods;
  if (cur > 1) {
    d->panicking = true;
    d->panic_time_s = now_s;
  }
  d->max_panic_pods = cur;
  return d;
}

void kpa_decider_free(kpa_decider *d) {
  if (!d) return;
  kpa_max_window_free(d->delay);
  free(d);
}

void kpa_decider_update(kpa_decider *d, const kpa_decider_spec *spec) { d->spec = *spec; }

bool kpa_decider_panicking(const kpa_decider *d) { return d->panicking; }
double kpa_decider_panic_time_s(const kpa_decider *d) { return d->panic_time_s; }
int kpa_decider_max_panic_pods(const kpa_decider *d) { return d->max_panic_pods; }

/* Panic entry, extension and exit for this tick. */
static void update_panic(kpa_decider *d, double now_s, bool over_threshold) {
  const kpa_decider_spec *s = &d->spec;
  if (over_threshold) {
    d->panicking = true; /* begin, or extend, panicking */
    d->panic_time_s = now_s;
  } else if (d->panicking && d->panic_time_s + s->stable_window_s < now_s) {
    /* The surge has made its way into the stable metric. */
    d->panicking = false;
    d->max_panic_pods = 0;
  }
}

/* ExcessBurstCapacity = floor(TotCapacity - TargetBurstCapacity - panic). */
static int excess_burst_capacity(const kpa_decider_spec *s, int original_ready, double panic) {
  if (s->target_burst_capacity == 0) return 0;
  if (s->target_burst_capacity > 0)
    return (int)floor((double)original_ready * s->total_value - s->target_burst_capacity - panic);
  return -1;
}

kpa_scale_result kpa_decider_scale(kpa_decider *d, double now_s, int ready_pods,
                                   double stable, double panic, bool metrics_ok) {
  kpa_scale_result r = {.desired = 0, .valid = false, .stable = stable, .panic = panic};
  const kpa_decider_spec *s = &d->spec;
  if (ready_pods < 0 || !metrics_ok) return r; /* invalidSR */
  double ready = fmax(1, ready_pods); /* use 1 if there are zero current pods */

  /* Rate limits; ceil/floor keep at least one pod of movement either way. */
  double max_up = ceil(s->max_scale_up_rate * ready);
  double max_down = s->reachable ? floor(ready / s->max_scale_down_rate) : 0;
  double dspc = ceil(stable / s->target_value);
  double dppc = ceil(panic / s->target_value);
  int want_stable = (int)fmin(fmax(dspc, max_down), max_up);
  int want_panic = (int)fmin(fmax(dppc, max_down), max_up);
  if (s->activation_scale > 1) {
    if (dspc > 0 && s->activation_scale > want_stable) want_stable = s->activation_scale;
    if (dppc > 0 && s->activation_scale > want_panic) want_panic = s->activation_scale;
  }

  /* The panic test uses the unclamped panic pod count. */
  update_panic(d, now_s, dppc / ready >= s->panic_threshold);

  int desired = want_stable;
  if (d->panicking) {
    /* Provision for the larger of the two, and never scale down in panic. */
    if (desired < want_panic) desired = want_panic;
    if (desired > d->max_panic_pods) d->max_panic_pods = desired;
    desired = d->max_panic_pods;
  }
  if (s->reachable && d->delay) {
    kpa_max_window_record(d->delay, now_s, desired);
    desired = (int)kpa_max_window_current(d->delay);
  }

  r.desired = desired;
  r.ebc = excess_burst_capacity(s, ready_pods, panic);
  r.valid = true;
  r.desired_stable = want_stable;
  r.desired_panic = want_panic;
  r.panicking = d->panicking;
  return r;
}

int kpa_initial_ebc(const kpa_decider_spec *spec) {
  double tbc = spec->target_burst_capacity;
  if (tbc == -1 || tbc == 0) return (int)tbc;
  return (int)(spec->initial_scale * spec->total_value - tbc);
}

bool kpa_poke_ticks_now(int latest_desired, double stat_concurrency) {
  return latest_desired == 0 && stat_concurrency != 0;
}
