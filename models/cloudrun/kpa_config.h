/* kpa_config.h — Knative's `config-autoscaler` settings and what is derived
 * from them: the metric target, the panic window and the decider's spec (spec cloudrun.md §B.2, §B.6; knative/serving
 * pkg/autoscaler/config/config.go, pkg/reconciler/autoscaling/resources/
 * {target,metric}.go, pkg/reconciler/autoscaling/kpa/{kpa,resources/decider}.go
 * at commit 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944).
 *
 * The struct is plain: config.c reads it from a scenario's `kpa:` section
 * (snake_case ConfigMap keys) and import.c from a ConfigMap. Min and max scale
 * are the Cloud Run service's min/max instances, and the container
 * concurrency is its max concurrency, so they are not repeated here. */
#ifndef CRUN_KPA_CONFIG_H
#define CRUN_KPA_CONFIG_H

#include <stdbool.h>

#include "models/cloudrun/kpa.h"
#include "sim/error.h"

/* pkg/apis/autoscaling/register.go: TargetMin, WindowMin, WindowMax. */
#define KPA_TARGET_MIN 0.01
#define KPA_WINDOW_MIN_S 6.0
#define KPA_WINDOW_MAX_S 3600.0
/* pkg/autoscaler/config/config.go: BucketSize. */
#define KPA_BUCKET_S 1.0
/* pkg/reconciler/autoscaling/kpa/scaler.go: activationTimeoutBuffer (spec §B.7). */
#define KPA_ACTIVATION_TIMEOUT_BUFFER_S 30.0

typedef struct kpa_config {
  double stable_window_s;          /* stable-window (60 s) */
  double panic_window_pct;         /* panic-window-percentage (10) */
  double panic_threshold_pct;      /* panic-threshold-percentage (200) */
  double target_utilization_pct;   /* container-concurrency-target-percentage (70) */
  double container_concurrency_target_default; /* (100) */
  double rps_target_default;       /* requests-per-second-target-default (200) */
  double target;                   /* annotation autoscaling.knative.dev/target; 0 = unset */
  double target_burst_capacity;    /* target-burst-capacity (211; -1 = unlimited) */
  double max_scale_up_rate;        /* max-scale-up-rate (1000) */
  double max_scale_down_rate;      /* max-scale-down-rate (2) */
  bool enable_scale_to_zero;       /* enable-scale-to-zero (true) */
  double scale_to_zero_grace_period_s;         /* (30 s) */
  double scale_to_zero_pod_retention_period_s; /* (0 s) */
  double scale_down_delay_s;       /* scale-down-delay (0 s) */
  int initial_scale;               /* initial-scale (1) */
  bool allow_zero_initial_scale;   /* allow-zero-initial-scale (false) */
  int activation_scale;            /* annotation activation-scale; 1 = unset */
  double activator_capacity;       /* activator-capacity (100): validated, no effect
                                      (activators are not capacity-limited here) */
  int metric;                      /* kpa_metric: metric (concurrency) */
  int aggregation;                 /* kpa_window_algo: metric-aggregation-algorithm */
  double progress_deadline_s;      /* config-deployment progress-deadline (600 s) */
} kpa_config;

/* Knative's defaults (config.go defaultConfig, spec §B.2). */
void kpa_config_defaults(kpa_config *c);

/* Checks c as config.go validate() does; on failure returns SIM_ESCENARIO with
 * err set to Knative's message. */
int kpa_config_validate(const kpa_config *c, sim_error *err);

/* The utilization target as a fraction: percentages above 1 are divided by
 * 100, values in (0, 1] are fractions already (config.go, legacy rule). */
double kpa_target_fraction(const kpa_config *c);

/* ResolveMetricTarget: *target_value = max(0.01, total * tu) and *total_value
 * = total, where total is the concurrency (or RPS) target per pod.
 * container_concurrency 0 means unlimited. */
void kpa_resolve_target(const kpa_config *c, int container_concurrency,
                        double *target_value, double *total_value);

/* MakeMetric: round(stable * pct / 100) to whole seconds, at least 1 s. */
double kpa_panic_window_s(double stable_window_s, double panic_window_pct);

/* MakeDecider: the decider's spec for a revision. */
kpa_decider_spec kpa_decider_spec_make(const kpa_config *c, int container_concurrency,
                                       bool reachable);

/* progress-deadline + the activation timeout buffer. */
double kpa_activation_timeout_s(const kpa_config *c);

#endif
