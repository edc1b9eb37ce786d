/* scaling.h — the scalable target: bounds, cooldowns, the vote between
 * policies, scheduled actions, and the activity log (spec §2, §5.3, §6.5, §7,
 * §8.1).
 *
 * Each time alarms are evaluated, the owner turns every invoked policy into a
 * proposal (a desired capacity it computed) and asks the scaler to decide.
 * Rules, each with its source:
 *  - capacity calculations start from the RUNNING task count, not the desired
 *    count (ECS-AS); during a scale-out cooldown the capacity added by the
 *    initiating scale-out counts as already there (AAS-TT, AAS-STEP), see
 *    ecs_cooldown_base;
 *  - a scale-out never lowers and a scale-in never raises the desired count;
 *    results are clamped to [Min, Max]; a desired count outside the bounds is
 *    moved to the bound only by a policy pulling in that direction (ECS-AS,
 *    OC-CLAMP);
 *  - any policy may scale out; target tracking scales in only when every
 *    target tracking policy with scale-in enabled is ready to (AAS-TT); step
 *    scale-ins are not blocked by target tracking (AAS-TT); among simultaneous
 *    instructions the largest capacity wins (AAS-API PutScalingPolicy,
 *    OC-MULTI, OC-TT-MULTI);
 *  - scale-out cooldown: another scale-out only if larger; scale-in cooldown:
 *    scale-ins blocked, a scale-out ends it (AAS-TT, AAS-STEP, OC-COOLDOWN-*);
 *    whether a scale-out also starts a scale-in cooldown is undocumented [I];
 *  - scheduled actions set Min/Max, move the desired count into them and
 *    ignore cooldowns (AAS-SCHED, OC-CLAMP);
 *  - a predictive scaling action (predictive.h) raises the desired count to
 *    the forecast capacity of an hour and never lowers it (AAS-PRED); the
 *    larger of it and what the dynamic policies ask for wins (spec §7, §8.2),
 *    and the forecast capacity holds as a floor until the next hour's action,
 *    so that a scale-in does not undo it [I] (spec §8.2's suggestion);
 *    IncreaseMaxCapacity raises the effective MaxCapacity for that time
 *    (AAS-API). Predictive actions neither wait for nor start cooldowns and
 *    SuspendedState does not stop them: AAS-API names only target tracking
 *    and step scaling for the dynamic flags [I];
 *  - every invocation is logged with AWS's activity status and not-scaled
 *    reason codes (AAS-ACT). */
#ifndef ECS_SCALING_H
#define ECS_SCALING_H

#include <stdbool.h>
#include <stddef.h>

/* The most scaling policies one scalable target may have (AAS-QUOTA, spec §2). */
enum { ECS_MAX_POLICIES = 50 };

typedef enum ecs_dir { ECS_DIR_NONE = 0, ECS_DIR_OUT, ECS_DIR_IN } ecs_dir;

typedef enum ecs_policy_kind { ECS_POLICY_TARGET_TRACKING = 0, ECS_POLICY_STEP } ecs_policy_kind;

/* The capacity a scale-out computes from while a scale-out cooldown is in
 * effect (spec §5.3, §6.5, §12.6; undocumented in detail [I]):
 *  - INITIAL: the base the initiating scale-out used, so that "the capacity
 *    added by the initiating scale-out activity is calculated as part of the
 *    desired capacity for the next scale-out" whether or not its tasks run yet
 *    (matches AWS's example OC-COOLDOWN-STEP exactly) — the default. A
 *    target tracking scale-out from 0 tasks gives no base to compute from
 *    (ceil(0 * M / T) = 0): target tracking then "resumes scaling based on
 *    the actual running task count" (ECS-AS, spec §5.3; ecs_tt_propose), and
 *    the first scale-out it makes sets the base for the rest of the cooldown;
 *  - RUNNING: the running count, as outside a cooldown;
 *  - DESIRED: max(running, desired), the spec's §12.6 wording. */
typedef enum ecs_cooldown_base {
  ECS_BASE_INITIAL = 0,
  ECS_BASE_RUNNING,
  ECS_BASE_DESIRED
} ecs_cooldown_base;
extern const char *const ecs_cooldown_base_names[]; /* "initial", "running", "desired" */

typedef struct ecs_scaler_cfg {
  int min_capacity, max_capacity;          /* MinCapacity >= 0, MaxCapacity >= Min */
  ecs_cooldown_base out_cooldown_base;
  bool scale_out_resets_scale_in_cooldown; /* RM-2135, default false [I] */
  bool suspend_scale_in;                   /* DynamicScalingInSuspended */
  bool suspend_scale_out;                  /* DynamicScalingOutSuspended */
  bool suspend_scheduled;                  /* ScheduledScalingSuspended */
  bool forecast_floor;      /* a forecast capacity holds as a floor for its hour [I] */
  bool forecast_keeps_max;  /* a raised MaxCapacity stays raised (as EC2 Auto
                               Scaling documents for its groups) [I] */
} ecs_scaler_cfg;

/* One policy's part in an evaluation. Entries with dir NONE and no reason are
 * policies not invoked (their alarms are not in ALARM): they only take part in
 * the target tracking scale-in vote and are not logged. */
typedef struct ecs_proposal {
  const char *policy;     /* name, borrowed */
  const char *metric;     /* metric name for the log, borrowed */
  double value;           /* the metric value the policy used (NaN if none) */
  ecs_policy_kind kind;
  ecs_dir dir;            /* what the policy asks for */
  int capacity;           /* its computed desired capacity (unclamped) */
  int base;               /* the capacity it computed from */
  const char *reason;     /* the policy's own not-scaled reason, or NULL */
  bool scale_in_enabled;  /* target tracking: DisableScaleIn is false */
  double out_cooldown_s;  /* ScaleOutCooldown (TT) or Cooldown (step) */
  double in_cooldown_s;   /* ScaleInCooldown (TT) or Cooldown (step) */
  /* Target tracking policies whose alarms were not evaluated at this instant
   * (a different period): they only vote on scale-in with their alarms'
   * current states and are neither invoked nor logged. */
  bool vote_only;
} ecs_proposal;

/* One logged activity (decision log row). */
typedef struct ecs_activity {
  const char *source;  /* policy or scheduled action name */
  const char *event;   /* "policy", "schedule" or "predictive" */
  const char *metric;  /* "" when none */
  double value;        /* NaN when none */
  int old_desired, new_desired;
  const char *status;  /* "Successful", "NotScaled", "Overridden", "ForecastOnly" */
  const char *reason;  /* AWS reason code or a short explanation; "" when none */
} ecs_activity;

typedef void (*ecs_activity_fn)(void *arg, double t_s, const ecs_activity *a);

typedef struct ecs_scaler {
  ecs_scaler_cfg cfg;       /* min/max change with scheduled actions */
  int desired;              /* the service's desiredCount */
  double out_cooldown_end_s;/* scale-out cooldown in effect while t < this */
  double in_cooldown_end_s; /* scale-in cooldown in effect while t < this */
  int out_cooldown_base;    /* the base of the scale-out that started it */
  bool scale_in_paused;     /* an ECS deployment is in progress (ECS-AS, spec §2) */
  int forecast_floor;       /* predictive scaling's floor for this hour, 0 = none */
  int forecast_max;         /* its raised MaxCapacity for this hour, 0 = none */
  ecs_activity_fn log;      /* may be NULL */
  void *log_arg;
} ecs_scaler;

/* Registers the scalable target (RegisterScalableTarget): cfg bounds, the
 * service's current desired count moved into them (AAS-API, OC-CLAMP).
 * No cooldown is in effect. */
void ecs_scaler_init(ecs_scaler *s, const ecs_scaler_cfg *cfg, int desired,
                     ecs_activity_fn log, void *log_arg);

/* A desired count set by hand (UpdateService), not clamped (ECS-AS). */
void ecs_scaler_set_desired(ecs_scaler *s, int desired);

/* RegisterScalableTarget update with new bounds: moves the desired count into
 * them (AAS-API). Returns the new desired count. */
int ecs_scaler_register(ecs_scaler *s, int min_capacity, int max_capacity);

/* True while the scale-out / scale-in cooldown is in effect at t. */
bool ecs_scaler_in_out_cooldown(const ecs_scaler *s, double t_s);
bool ecs_scaler_in_in_cooldown(const ecs_scaler *s, double t_s);

/* The capacity a policy computes from at t when asking for `dir`: the running
 * count, or during a scale-out cooldown the base of ecs_cooldown_base. */
int ecs_scaler_base(const ecs_scaler *s, double t_s, int running, ecs_dir dir);

/* Decides one evaluation: the proposals of every policy at time t. Logs each
 * invoked proposal, changes the desired count and cooldowns, and returns the
 * new desired count. */
int ecs_scaler_decide(ecs_scaler *s, double t_s, int running, const ecs_proposal *p,
                      size_t n);

/* A scheduled action named `name` sets MinCapacity and/or MaxCapacity (a
 * negative value keeps the current one) and moves the desired count into the
 * new bounds, ignoring cooldowns (AAS-SCHED). If the new bounds cross, the one
 * this action set wins and the other moves to it. Logged. Returns the new
 * desired count. */
int ecs_scaler_schedule(ecs_scaler *s, double t_s, const char *name, int min_capacity,
                        int max_capacity);

/* One hour's predictive scaling action (spec §8.2): at the hour's start less
 * SchedulingBufferTime. */
typedef struct ecs_forecast_action {
  const char *policy; /* name, borrowed */
  const char *metric; /* the load metric's name, borrowed */
  double load;        /* the hour's forecast load */
  long hour;          /* the hour it is for (from the start of the run) */
  int capacity;       /* forecast capacity, >= 0, not clamped */
  int max_capacity;   /* effective MaxCapacity for the hour (ecs_pred_max_capacity) */
  bool scale;         /* ForecastAndScale; false (ForecastOnly): only logged */
} ecs_forecast_action;

/* Applies a predictive action at t (see the rules above): with `scale`, the
 * forecast capacity, clamped to the effective maximum, becomes the floor and
 * the desired count rises to it if below; the effective maximum holds until
 * the next action or ecs_scaler_forecast_release. Without `scale` nothing
 * changes. Logged either way (event "predictive"; ForecastOnly rows say what
 * it would have done). Returns the new desired count. */
int ecs_scaler_forecast(ecs_scaler *s, double t_s, const ecs_forecast_action *a);

/* No forecast for the hour: the floor and raised maximum of the last action
 * end. Not logged. */
void ecs_scaler_forecast_release(ecs_scaler *s);

/* The bounds a policy's capacity is clamped to now: [max(Min, forecast
 * floor), max(Max, raised maximum)]. */
int ecs_scaler_lower(const ecs_scaler *s);
int ecs_scaler_upper(const ecs_scaler *s);

#endif
