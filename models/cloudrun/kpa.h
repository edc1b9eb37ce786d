/* kpa.h — the Knative Pod Autoscaler's decider, exactly as knative/serving
 * pkg/autoscaler/scaling/autoscaler.go (commit
 * 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944; spec cloudrun.md §B.4).
 *
 * Every tick (2 s) the decider turns the stable- and panic-window averages of
 * the revision-wide metric into a desired pod count: ceil(value / target),
 * clamped by the scale-up and scale-down rates around the ready count; panic
 * mode (entered when the panic value needs >= PanicThreshold x the ready pods)
 * never scales down and lasts until a stable window passes without the
 * threshold being crossed; an optional scale-down delay keeps the maximum of
 * the decisions of the last `scale-down-delay`; and the excess burst capacity
 * (EBC) says whether the activator must stay in the request path.
 *
 * The decider is pure logic over its inputs: the caller supplies the ready pod
 * count and the two window averages (see kpa_stats.h for where they come
 * from). */
#ifndef CRUN_KPA_H
#define CRUN_KPA_H

#include <stdbool.h>

/* pkg/autoscaler/scaling/multiscaler.go: tickInterval. */
#define KPA_TICK_INTERVAL_S 2.0
/* pkg/reconciler/autoscaling/kpa/scaler.go: scaleUnknown, the decider's
 * DesiredScale before its first valid tick (multiscaler.go Create). */
#define KPA_SCALE_UNKNOWN (-1)

typedef enum kpa_metric { KPA_METRIC_CONCURRENCY = 0, KPA_METRIC_RPS } kpa_metric;

/* DeciderSpec (pkg/autoscaler/scaling/multiscaler.go), as built by
 * pkg/reconciler/autoscaling/kpa/resources/decider.go. */
typedef struct kpa_decider_spec {
  int metric;                   /* kpa_metric: ScalingMetric */
  double target_value;          /* TargetValue: per-pod target of the metric */
  double total_value;           /* TotalValue: per-pod capacity, for the EBC */
  double target_burst_capacity; /* TargetBurstCapacity: -1 unlimited, 0 none */
  double panic_threshold;       /* PanicThreshold: ratio (percentage / 100) */
  double max_scale_up_rate;     /* MaxScaleUpRate (> 1) */
  double max_scale_down_rate;   /* MaxScaleDownRate (> 1) */
  double stable_window_s;       /* StableWindow */
  double scale_down_delay_s;    /* ScaleDownDelay; 0 = no delay window */
  bool reachable;               /* Reachable: the revision receives traffic */
  int activation_scale;         /* ActivationScale; <= 1 = none */
  int initial_scale;            /* InitialScale */
} kpa_decider_spec;

/* ScaleResult, plus what the decision was made from (for the decision log). */
typedef struct kpa_scale_result {
  int desired;        /* DesiredPodCount */
  int ebc;            /* ExcessBurstCapacity (-1 when TBC is -1) */
  bool valid;         /* ScaleValid: false leaves the previous decision */
  double stable;      /* observed stable-window value */
  double panic;       /* observed panic-window value */
  int desired_stable; /* rate-limited ceil(stable / target) */
  int desired_panic;  /* rate-limited ceil(panic / target) */
  bool panicking;     /* in panic mode after this tick */
} kpa_scale_result;

typedef struct kpa_decider kpa_decider;

/* Creates a decider at now_s seeing ready_pods ready pods (negative: the count
 * could not be read, taken as 0). With more than one ready pod it starts in
 * panic mode, so that a restart does not scale down (newAutoscaler). The spec
 * is copied; a scale-down delay window is created when its delay is > 0. */
kpa_decider *kpa_decider_alloc(const kpa_decider_spec *spec, double now_s, int ready_pods);
void kpa_decider_free(kpa_decider *d);

/* Replaces the spec (Update); the panic state and delay window are kept. */
void kpa_decider_update(kpa_decider *d, const kpa_decider_spec *spec);

/* One tick at now_s (Scale). ready_pods < 0 means the count could not be read
 * and metrics_ok false means the metric could not be read (e.g. no data):
 * both give an invalid result and change nothing. stable and panic are the
 * revision-wide window averages of the spec's metric. */
kpa_scale_result kpa_decider_scale(kpa_decider *d, double now_s, int ready_pods,
                                   double stable, double panic, bool metrics_ok);

/* Panic state, for tests and reporting. */
bool kpa_decider_panicking(const kpa_decider *d);
double kpa_decider_panic_time_s(const kpa_decider *d); /* valid while panicking */
int kpa_decider_max_panic_pods(const kpa_decider *d);

/* The decider's status before its first tick: DesiredScale -1 and this EBC
 * (TBC when it is -1 or 0, else InitialScale * TotalValue - TBC)
 * (pkg/autoscaler/scaling/multiscaler.go, Create). */
int kpa_initial_ebc(const kpa_decider_spec *spec);

/* Poke: a stat arriving while the latest desired scale is 0 ticks the decider
 * at once if its concurrency is not 0 (multiscaler.go Poke). */
bool kpa_poke_ticks_now(int latest_desired, double stat_concurrency);

#endif
