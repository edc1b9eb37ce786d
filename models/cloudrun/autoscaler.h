/* autoscaler.h — Cloud Run's metrics-based instance autoscaler (spec
 * cloudrun.md §A.2, §A.7).
 *
 * Two scaling drivers each recommend an instance count from averages over the
 * last minute, and the larger recommendation wins, bounded by min and max
 * instances (https://docs.cloud.google.com/run/docs/about-instance-autoscaling):
 *   CPU driver:          ceil((mean CPU-seconds per second / vCPUs per instance)
 *                             / cpu_target)
 *   concurrency driver:  ceil(mean requests in flight
 *                             / (max concurrency x concurrency_target))  [derived]
 * Targets default to 60% (https://docs.cloud.google.com/run/docs/configuring/
 * scaling-controls); a target of 0 disables its driver (REST RevisionScaling:
 * "0 = driver disabled"). The averaging window (1 minute) is not configurable
 * on Cloud Run; the evaluation period ("every 5 seconds" in older page
 * versions) is a parameter.
 *
 * The averages are exact time averages: the caller supplies the cumulative
 * integrals (request-seconds in flight, CPU-seconds consumed) at each
 * evaluation, and the autoscaler differences them against the snapshot one
 * window ago. O(1) per evaluation, memory bounded by window / period. */
#ifndef CRUN_AUTOSCALER_H
#define CRUN_AUTOSCALER_H

typedef struct crun_autoscaler_cfg {
  double concurrency_target; /* fraction of max concurrency, 0.1..0.95; 0 = off */
  double cpu_target;         /* fraction of the vCPUs, 0.1..0.9 (0.95); 0 = off */
  double window_s;           /* averaging window (60 s) */
  double eval_period_s;      /* time between evaluations (5 s) */
  int max_concurrency;       /* per instance */
  double vcpu;               /* vCPUs per instance */
  int min_instances;         /* lower bound of the result */
  int max_instances;         /* upper bound of the result */
} crun_autoscaler_cfg;

/* One evaluation: both drivers' recommendations and the result. */
typedef struct crun_recommendation {
  double window_s;        /* length the averages cover (< window_s at the start) */
  double concurrency_avg; /* mean requests in flight over the window */
  double cpu_avg;         /* mean CPU-seconds per second over the window */
  int n_concurrency;      /* concurrency driver's count (0 when disabled) */
  int n_cpu;              /* CPU driver's count (0 when disabled) */
  int desired;            /* clamp(max(n_concurrency, n_cpu), min, max) */
  const char *reason;     /* which rule set `desired`: "concurrency", "cpu",
                             "min_instances", "max_instances" or "idle" */
} crun_recommendation;

typedef struct crun_autoscaler crun_autoscaler;

/* Creates the autoscaler at now_s with the integrals' values at that time
 * (both usually 0). The config is copied. */
crun_autoscaler *crun_autoscaler_alloc(const crun_autoscaler_cfg *cfg, double now_s,
                                       double inflight_integral, double cpu_seconds);
void crun_autoscaler_free(crun_autoscaler *a);

/* Evaluates at now_s (non-decreasing) given the cumulative integral of
 * requests in flight (request-seconds) and the cumulative CPU-seconds
 * consumed. The averages cover [max(t0, now - window), now] where t0 is the
 * oldest snapshot in that span (exactly one window when the window is a
 * multiple of the evaluation period). */
crun_recommendation crun_autoscaler_evaluate(crun_autoscaler *a, double now_s,
                                             double inflight_integral, double cpu_seconds);

#endif
