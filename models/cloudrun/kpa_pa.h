/* kpa_pa.h — the KPA PodAutoscaler reconciler's rules: scale bounds, initial
 * scale, the scale-to-zero gating, the PA's Active condition and the SKS mode
 * (activator in or out of the request path). After knative/serving
 * pkg/reconciler/autoscaling/kpa/{scaler,kpa}.go at commit
 * 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944 (spec cloudrun.md §B.6, §B.7).
 *
 * Pure logic over a small state: the PA's condition (Activating, Active,
 * Inactive) and since when, the SKS mode and since when, and whether the scale
 * target has been initialised. The caller runs a reconcile when the decider's
 * result changes, when a requeue it was asked for comes due, and when the
 * ready pod count changes. */
#ifndef CRUN_KPA_PA_H
#define CRUN_KPA_PA_H

#include <stdbool.h>

typedef enum kpa_pa_state {
  KPA_PA_ACTIVATING = 0, /* Active=Unknown: pods being provisioned, requests buffered */
  KPA_PA_ACTIVE,         /* Active=True */
  KPA_PA_INACTIVE        /* Active=False: scaled (or scaling) to zero */
} kpa_pa_state;

typedef enum kpa_sks_mode {
  KPA_SKS_SERVE = 0, /* requests go straight to the pods */
  KPA_SKS_PROXY      /* requests go through the activator */
} kpa_sks_mode;

/* What the reconciler reads from config-autoscaler and the revision. */
typedef struct kpa_pa_cfg {
  bool enable_scale_to_zero;    /* enable-scale-to-zero */
  double stable_window_s;       /* stable-window: the Active -> Inactive idle gate */
  double grace_period_s;        /* scale-to-zero-grace-period */
  double pod_retention_s;       /* scale-to-zero-pod-retention-period */
  double activation_timeout_s;  /* progress-deadline + buffer */
  int min_scale;                /* min-scale (ignored when unreachable) */
  int max_scale;                /* max-scale; 0 = unbounded */
  int initial_scale;            /* initial-scale */
  double target_burst_capacity; /* TBC: -1 keeps the activator in the path */
} kpa_pa_cfg;

typedef struct kpa_pa {
  kpa_pa_state state;
  double state_since_s;          /* the condition's LastTransitionTime */
  kpa_sks_mode sks_mode;
  double sks_since_s;            /* when the SKS entered its mode */
  bool scale_target_initialized; /* ScaleTargetInitialized condition */
} kpa_pa;

/* A new revision's PA at now_s: Activating, SKS in Serve mode (kpa.go creates
 * the SKS in Serve mode), scale target not initialised. */
void kpa_pa_init(kpa_pa *pa, double now_s);

/* The outcome of scaler.scale for one reconcile. */
typedef struct kpa_pa_decision {
  int want;               /* the scale the PA asks for; -1 = unknown */
  bool apply;             /* patch the deployment's replicas to `want` */
  double requeue_after_s; /* > 0: reconcile again after this long */
  bool probe_started;     /* the activator was not yet in the path: async probe */
} kpa_pa_decision;

/* scaler.scale: applies the bounds (min ignored when unreachable; initial
 * scale while the target is not initialised) and handleScaleToZero to the
 * decider's desired scale. replicas is the deployment's current replica count;
 * activator_probe_ok says whether the activator is already in the path. */
kpa_pa_decision kpa_pa_scale(const kpa_pa *pa, const kpa_pa_cfg *cfg, double now_s,
                             int desired, int replicas, bool reachable,
                             bool activator_probe_ok);

/* The SKS mode kpa.go asks for: Proxy when want is 0, when the excess burst
 * capacity is negative, or when want is unknown and the PA inactive. */
kpa_sks_mode kpa_pa_sks_mode(const kpa_pa *pa, int want, int ebc);

/* Records the SKS mode (its since-time changes only with the mode). */
void kpa_pa_set_sks_mode(kpa_pa *pa, kpa_sks_mode mode, double now_s);

/* computeActiveCondition: updates the PA's condition from want and the ready
 * pod count. */
void kpa_pa_compute_active(kpa_pa *pa, const kpa_pa_cfg *cfg, double now_s, int want,
                           int ready, bool reachable);

#endif
