/* config.h — the configuration of the `ecs` platform: plain structs read by
 * the schema in config.c (scenario keys in snake_case), and the import of real
 * AWS configurations (import.c).
 *
 * Every rule AWS documents has its documented default; every rule it does not
 * document ([I]/[O] in the spec) is a named key here with the spec's default,
 * its doc string naming the spec section. docs/models/ecs.md lists them. */
#ifndef ECS_CONFIG_H
#define ECS_CONFIG_H

#include <stdbool.h>

#include "models/ecs/billing.h"
#include "sim/cfg.h"
#include "sim/error.h"

typedef struct ecs_task_cfg {
  double vcpu;                  /* Fargate task CPU, vCPUs */
  double memory_mib;            /* Fargate task memory */
  int max_concurrency;          /* requests the application serves at once */
  int backlog;                  /* its queue beyond that: 0 none, -1 unbounded */
  double base_memory_mib;       /* memory in use when idle */
  double memory_per_request_mib;/* more per active request */
  int architecture;             /* ecs_arch */
  double speed;                 /* CPU speed factor */
  bool check_fargate_size;      /* reject CPU/memory pairs Fargate does not offer */
} ecs_task_cfg;

/* The most tasks a service may have in the model: a bound on its size and
 * memory, so that a mistyped capacity cannot exhaust the machine. */
enum { ECS_MAX_TASKS = 100000 };

/* Scheduled actions per scalable target (AAS-QUOTA, spec §8.1). */
enum { ECS_MAX_SCHEDULES = 200 };

typedef struct ecs_capacity_cfg {
  int min, max; /* MinCapacity, MaxCapacity */
  int initial;  /* the service's desiredCount before the target is registered */
} ecs_capacity_cfg;

/* One step adjustment; a bound absent from the scenario is NaN (null). */
typedef struct ecs_step_cfg {
  double lower, upper;
  int adjustment;
} ecs_step_cfg;

/* A user's CloudWatch alarm (PutMetricAlarm) for a step scaling policy. */
typedef struct ecs_alarm_def {
  char *name;
  int metric;              /* ecs_metric */
  int statistic;           /* ecs_stat */
  double period_s;
  int evaluation_periods;
  int datapoints_to_alarm; /* 0: equal to evaluation_periods */
  double threshold;
  int comparison;          /* ecs_cmp */
  int treat_missing_data;  /* ecs_missing */
} ecs_alarm_def;

enum { ECS_KIND_TARGET_TRACKING = 0, ECS_KIND_STEP_SCALING, ECS_KIND_PREDICTIVE };

typedef struct ecs_policy_cfg {
  int kind; /* ECS_KIND_* */
  char *name;
  /* target tracking */
  int metric; /* ecs_tt_metric */
  double target; /* TargetValue (target tracking and predictive) */
  double scale_out_cooldown_s, scale_in_cooldown_s;
  bool disable_scale_in;
  int max_scale_in_step;
  /* step scaling */
  int adjustment_type; /* ecs_adjustment_type */
  cfg_list steps;      /* ecs_step_cfg */
  int min_adjustment_magnitude;
  double cooldown_s;
  int metric_aggregation; /* ecs_agg */
  ecs_alarm_def alarm;
  /* predictive (PredictiveScalingPolicyConfiguration, spec §8.2) */
  int metric_pair;            /* ecs_pred_pair */
  int mode;                   /* ecs_pred_mode */
  double scheduling_buffer_s; /* SchedulingBufferTime, < 3600 s */
  int max_capacity_breach;    /* ecs_pred_breach */
  int max_capacity_buffer;    /* MaxCapacityBuffer, percent */
} ecs_policy_cfg;

/* A scheduled action (spec §8.1): either `at`/`every`, offsets from the start
 * of the run, or AWS's Schedule string with its Timezone, StartTime, EndTime
 * (models/ecs/cron.h); NULL strings are absent. */
typedef struct ecs_schedule_cfg {
  char *name;
  double at_s;    /* first time, from the start of the run (without `schedule`) */
  double every_s; /* repeat period, 0 = once */
  char *schedule; /* at(...), rate(...) or cron(...); NULL: at/every */
  char *timezone; /* IANA zone of at(...) and cron(...); NULL = UTC */
  char *start;    /* StartTime, ISO 8601 with zone */
  char *end;      /* EndTime */
  char *created;  /* CreationTime: where rate(...) counts from without a start */
  int min, max;   /* new MinCapacity / MaxCapacity, -1 = unchanged */
} ecs_schedule_cfg;

typedef struct ecs_suspend_cfg {
  bool scale_in, scale_out, scheduled; /* SuspendedState */
} ecs_suspend_cfg;

enum { ECS_TT_VALUE_LATEST = 0, ECS_TT_VALUE_WINDOW_AVERAGE };

/* Application Auto Scaling's undocumented rules. */
typedef struct ecs_aas_cfg {
  int cooldown_base;                       /* ecs_cooldown_base */
  bool scale_out_resets_scale_in_cooldown;
  int tt_metric_value;                     /* ECS_TT_VALUE_* */
  int tt_high_evaluation_periods, tt_high_datapoints;
  int tt_low_evaluation_periods, tt_low_datapoints;
  double tt_low_ratio;
  int alarm_range_extra;
  int predictive_forecast;       /* ecs_pred_method */
  int predictive_hour_statistic; /* ecs_pred_hour_stat */
  bool predictive_floor;         /* the forecast capacity holds for its hour */
  bool predictive_keep_raised_max;
  int schedule_dst_gap;          /* ecs_cron_gap */
} ecs_aas_cfg;

/* Which targets RequestCountPerTarget divides by (spec §3.2, §12.8 [I]). */
enum { ECS_ALB_TARGETS_HEALTHY = 0, ECS_ALB_TARGETS_REGISTERED };

typedef struct ecs_metrics_cfg {
  double period_s;              /* ECS CPU/memory metric period: 60 s or 20 s */
  double publish_delay_periods; /* pipeline delay, in metric periods */
  bool alb_report_when_idle;    /* RequestCountPerTarget 0 when no requests */
  int alb_targets;              /* its denominator: ECS_ALB_TARGETS_* */
} ecs_metrics_cfg;

typedef struct ecs_launch_cfg {
  double median_s, p95_s; /* launch to RUNNING, lognormal */
  double before_pull_s;   /* unbilled part of a launch (ENI before the image pull) */
  double burst;           /* launch-rate token bucket */
  double rate_per_s;
  double restart_backoff_s;     /* first wait after a task fails to start */
  double restart_backoff_max_s; /* the longest wait (15 min, spec §9.2) */
} ecs_launch_cfg;

typedef struct ecs_health_check_cfg {
  double interval_s, timeout_s;
  int healthy_threshold, unhealthy_threshold, initial_threshold;
  bool fail_when_saturated;
} ecs_health_check_cfg;

enum { ECS_ALB_ROUND_ROBIN = 0, ECS_ALB_LEAST_OUTSTANDING };

typedef struct ecs_alb_cfg {
  int algorithm; /* ECS_ALB_* */
  double idle_timeout_s;
  double registration_delay_s;
  double deregistration_delay_s;
  double idle_close_s;  /* a draining target's connections close this long after its
                           last request (0 = with it) [I] spec §9.5 */
  double slow_start_s;
  ecs_health_check_cfg health_check;
} ecs_alb_cfg;

typedef struct ecs_spot_cfg {
  int on_demand_base;
  double on_demand_weight, spot_weight;
  double interruptions_per_task_hour;
  double notice_s;
} ecs_spot_cfg;

enum { ECS_STOP_NEWEST = 0, ECS_STOP_OLDEST };

/* The service's deploymentConfiguration (spec §9.6). */
typedef struct ecs_deployment_cfg {
  int minimum_healthy_percent; /* 100 (replica services) */
  int maximum_percent;         /* 200 */
} ecs_deployment_cfg;

/* One rolling deployment of a new task definition revision. */
typedef struct ecs_deploy_event_cfg {
  double at_s;
} ecs_deploy_event_cfg;

typedef struct ecs_import_cfg {
  char *policies;          /* `aws application-autoscaling describe-scaling-policies` JSON */
  char *alarms;            /* `aws cloudwatch describe-alarms` JSON */
  char *scheduled_actions; /* `aws application-autoscaling describe-scheduled-actions` JSON */
  char *resource_id;       /* which service's, when a file holds several */
} ecs_import_cfg;

typedef struct ecs_cfg {
  ecs_task_cfg task;
  ecs_capacity_cfg capacity;
  cfg_list policies;          /* ecs_policy_cfg; imported ones appended */
  cfg_list scheduled_actions; /* ecs_schedule_cfg */
  ecs_suspend_cfg suspend;
  ecs_aas_cfg scaling;
  ecs_metrics_cfg metrics;
  ecs_launch_cfg launch;
  ecs_alb_cfg alb;
  double stop_timeout_s;
  int scale_in_selection; /* ECS_STOP_* */
  ecs_spot_cfg spot;
  ecs_prices prices;
  ecs_deployment_cfg deployment;
  cfg_list deployments; /* ecs_deploy_event_cfg */
  ecs_import_cfg import;
} ecs_cfg;

extern const cfg_schema ecs_cfg_schema;
extern const cfg_schema ecs_policy_schema;

/* Checks a whole configuration, also one built in code (cfg_defaults + edits):
 * bounds, Fargate sizes, step tables, alarms, policy/metric combinations.
 * Returns 0 or SIM_ESCENARIO with err set. */
int ecs_cfg_validate(const ecs_cfg *cfg, sim_error *err);

/* The name a policy goes by: its own, or "policy<i+1>". */
const char *ecs_policy_name(const ecs_policy_cfg *p, size_t i, char *buf, size_t len);

/* Appends the policies of a describe-scaling-policies JSON file (and, for
 * step policies, their alarms from a describe-alarms file, which may be NULL
 * when there are none) to cfg->policies. Only policies of `resource_id` are
 * taken when it is non-NULL; a file with several services needs it. Returns
 * 0, SIM_EINPUT (unreadable or malformed file, `path: what`), or
 * SIM_ESCENARIO (a policy the model cannot represent). */
int ecs_import(ecs_cfg *cfg, const char *policies_path, const char *alarms_path,
               const char *resource_id, sim_error *err);

/* Appends the scheduled actions of a describe-scheduled-actions JSON file to
 * cfg->scheduled_actions: Schedule, Timezone, StartTime, EndTime,
 * CreationTime and ScalableTargetAction map onto the keys of the same
 * meaning. Only actions of `resource_id` are taken when it is non-NULL; a
 * file with several services needs it. Returns 0, SIM_EINPUT (unreadable or
 * malformed file) or SIM_ESCENARIO (an action the model cannot represent),
 * the message `path:line:col: JSON.path: what`. */
int ecs_import_schedules(ecs_cfg *cfg, const char *path, const char *resource_id,
                         sim_error *err);

/* Checks the calendar settings of scheduled action s (cron.h's rules). On
 * error returns SIM_ESCENARIO, err without context, and the key at fault in
 * *bad_key. */
int ecs_schedule_check(const ecs_schedule_cfg *s, const char **bad_key, sim_error *err);

/* Whether scheduled action s needs the calendar time of the run's t = 0 (an
 * at(...) or cron(...), or a start, end or creation time): the key that
 * does in *key and what it is ("a cron schedule"), or NULL when it runs on
 * offsets from t = 0 alone (at/every, or a rate(...) without times). */
const char *ecs_schedule_calendar_need(const ecs_schedule_cfg *s, const char **key);

#endif
