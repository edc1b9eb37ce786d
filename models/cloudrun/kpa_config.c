/* kpa_config.c — config-autoscaler defaults, validation and derived values
 * (see kpa_config.h). Messages follow knative/serving
 * pkg/autoscaler/config/config.go validate(). */
#include "models/cloudrun/kpa_config.h"

#include <math.h>

#include "models/cloudrun/kpa_window.h"

void kpa_config_defaults(kpa_config *c) {
  *c = (kpa_config){
      .stable_window_s = 60,
      .panic_window_pct = 10,
      .panic_threshold_pct = 200,
      .target_utilization_pct = 70,
      .container_concurrency_target_default = 100,
      .rps_target_default = 200,
      .target = 0,
      .target_burst_capacity = 211,
      .max_scale_up_rate = 1000,
      .max_scale_down_rate = 2,
      .enable_scale_to_zero = true,
      .scale_to_zero_grace_period_s = 30,
      .scale_to_zero_pod_retention_period_s = 0,
      .scale_down_delay_s = 0,
      .initial_scale = 1,
      .allow_zero_initial_scale = false,
      .activation_scale = 1,
      .activator_capacity = 100,
      .metric = KPA_METRIC_CONCURRENCY,
      .aggregation = KPA_WINDOW_LINEAR,
      .progress_deadline_s = 600,
  };
}

double kpa_target_fraction(const kpa_config *c) {
  double f = c->target_utilization_pct;
  return f > 1.0 ? f / 100.0 : f;
}

static bool whole_seconds(double s) { return s == round(s); }

/* The targets: what a pod should carry, and the burst capacity. */
static int validate_targets(const kpa_config *c, sim_error *err) {
  double tu = kpa_target_fraction(c);
  if (c->target_burst_capacity < 0 && c->target_burst_capacity != -1)
    return sim_errorf(err, SIM_ESCENARIO,
                      "target-burst-capacity must be either non-negative or -1 (for "
                      "unlimited), was: %g",
                      c->target_burst_capacity);
  if (tu <= 0 || tu > 1)
    return sim_errorf(err, SIM_ESCENARIO,
                      "container-concurrency-target-percentage = %g is outside of valid "
                      "range of (0, 100]",
                      c->target_utilization_pct);
  if (tu * c->container_concurrency_target_default < KPA_TARGET_MIN)
    return sim_errorf(err, SIM_ESCENARIO,
                      "container-concurrency-target-percentage and "
                      "container-concurrency-target-default yield target concurrency of "
                      "%g, can't be less than %g",
                      tu * c->container_concurrency_target_default, KPA_TARGET_MIN);
  if (c->rps_target_default < KPA_TARGET_MIN)
    return sim_errorf(err, SIM_ESCENARIO,
                      "requests-per-second-target-default must be at least %g, was: %g",
                      KPA_TARGET_MIN, c->rps_target_default);
  if (c->target != 0 && c->target < KPA_TARGET_MIN)
    return sim_errorf(err, SIM_ESCENARIO, "target = %g, must be at least %g", c->target,
                      KPA_TARGET_MIN);
  if (c->activator_capacity < 1)
    return sim_errorf(err, SIM_ESCENARIO, "activator-capacity = %g, must be at least 1",
                      c->activator_capacity);
  return SIM_OK;
}

/* The windows and rates of the decider. */
static int validate_rates(const kpa_config *c, sim_error *err) {
  if (c->max_scale_up_rate <= 1.0)
    return sim_errorf(err, SIM_ESCENARIO, "max-scale-up-rate = %g, must be greater than 1.0",
                      c->max_scale_up_rate);
  if (c->max_scale_down_rate <= 1.0)
    return sim_errorf(err, SIM_ESCENARIO, "max-scale-down-rate = %g, must be greater than 1.0",
                      c->max_scale_down_rate);
  if (c->stable_window_s < KPA_WINDOW_MIN_S || c->stable_window_s > KPA_WINDOW_MAX_S ||
      !whole_seconds(c->stable_window_s))
    return sim_errorf(err, SIM_ESCENARIO,
                      "stable-window = %gs, must be whole seconds in [6s; 1h] range",
                      c->stable_window_s);
  if (c->panic_window_pct < 1 || c->panic_window_pct > 100)
    return sim_errorf(err, SIM_ESCENARIO,
                      "panic-window-percentage = %g, must be in [1, 100] interval",
                      c->panic_window_pct);
  if (c->panic_threshold_pct < 110 || c->panic_threshold_pct > 1000)
    return sim_errorf(err, SIM_ESCENARIO,
                      "panic-threshold-percentage = %g, must be in [110, 1000] interval",
                      c->panic_threshold_pct);
  if (c->scale_down_delay_s < 0 || !whole_seconds(c->scale_down_delay_s))
    return sim_errorf(err, SIM_ESCENARIO,
                      "scale-down-delay = %gs, must be non-negative whole seconds",
                      c->scale_down_delay_s);
  return SIM_OK;
}

/* Scale to zero and the initial scale. */
static int validate_zero(const kpa_config *c, sim_error *err) {
  if (c->scale_to_zero_grace_period_s <= 0)
    return sim_errorf(err, SIM_ESCENARIO, "scale-to-zero-grace-period must be positive, was: %gs",
                      c->scale_to_zero_grace_period_s);
  if (c->scale_to_zero_pod_retention_period_s < 0)
    return sim_errorf(err, SIM_ESCENARIO,
                      "scale-to-zero-pod-retention-period cannot be negative, was: %gs",
                      c->scale_to_zero_pod_retention_period_s);
  if (c->initial_scale < 0 || (c->initial_scale == 0 && !c->allow_zero_initial_scale))
    return sim_errorf(err, SIM_ESCENARIO,
                      "initial-scale = %d, must be at least 0 (or at least 1 when "
                      "allow-zero-initial-scale is false)",
                      c->initial_scale);
  if (c->activation_scale < 1)
    return sim_errorf(err, SIM_ESCENARIO, "activation-scale = %d, must be at least 1",
                      c->activation_scale);
  return SIM_OK;
}

int kpa_config_validate(const kpa_config *c, sim_error *err) {
  int rc = validate_targets(c, err);
  if (!rc) rc = validate_rates(c, err);
  if (!rc) rc = validate_zero(c, err);
  return rc;
}

void kpa_resolve_target(const kpa_config *c, int container_concurrency,
                        double *target_value, double *total_value) {
  double total, tu = kpa_target_fraction(c);
  if (c->metric == KPA_METRIC_RPS) {
    total = c->rps_target_default;
  } else {
    total = container_concurrency > 0 ? container_concurrency
                                      : c->container_concurrency_target_default;
  }
  if (c->target > 0) {
    total = c->target;
    if (c->metric == KPA_METRIC_CONCURRENCY && container_concurrency != 0)
      total = fmin(c->target, container_concurrency);
  }
  *target_value = fmax(KPA_TARGET_MIN, total * tu);
  *total_value = total;
}

double kpa_panic_window_s(double stable_window_s, double panic_window_pct) {
  double w = round(stable_window_s * panic_window_pct / 100.0);
  return w < KPA_BUCKET_S ? KPA_BUCKET_S : w;
}

kpa_decider_spec kpa_decider_spec_make(const kpa_config *c, int container_concurrency,
                                       bool reachable) {
  kpa_decider_spec s = {
      .metric = c->metric,
      .target_burst_capacity = c->target_burst_capacity,
      .panic_threshold = c->panic_threshold_pct / 100.0,
      .max_scale_up_rate = c->max_scale_up_rate,
      .max_scale_down_rate = c->max_scale_down_rate,
      .stable_window_s = c->stable_window_s,
      .scale_down_delay_s = c->scale_down_delay_s,
      .reachable = reachable,
      .activation_scale = c->activation_scale,
      .initial_scale = c->initial_scale,
  };
  kpa_resolve_target(c, container_concurrency, &s.target_value, &s.total_value);
  return s;
}

double kpa_activation_timeout_s(const kpa_config *c) {
  return c->progress_deadline_s + KPA_ACTIVATION_TIMEOUT_BUFFER_S;
}
