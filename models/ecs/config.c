/* config.c — the `ecs` platform's scenario keys (cfg_schema) and the checks
 * of a whole configuration (see config.h). Doc strings cite the spec section
 * (specs/ecs.md) of each rule; [I] marks what AWS does not document. */
#include "models/ecs/config.h"

#include <libfyaml.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "models/ecs/alarm.h"
#include "models/ecs/cron.h"
#include "models/ecs/metrics.h"
#include "models/ecs/predictive.h"
#include "models/ecs/scaling.h"
#include "models/ecs/step_scaling.h"
#include "models/ecs/target_tracking.h"

static const char *const kind_names[] = {"target_tracking", "step_scaling", "predictive", NULL};
static const char *const tt_value_names[] = {"latest", "window_average", NULL};
static const char *const algorithm_names[] = {"round_robin", "least_outstanding_requests", NULL};
static const char *const selection_names[] = {"newest", "oldest", NULL};
static const char *const alb_target_names[] = {"healthy", "registered", NULL};

/* --- task, capacity ------------------------------------------------------ */

#define F(type, m) offsetof(type, m)

static const cfg_field task_fields[] = {
    {.key = "vcpu", .type = CFG_NUMBER, .offset = F(ecs_task_cfg, vcpu), .def = "1",
     .min = 0.25, .max = 16, .doc = "task CPU in vCPUs (Fargate: 0.25 to 16, spec §10)"},
    {.key = "memory", .type = CFG_SIZE, .offset = F(ecs_task_cfg, memory_mib), .def = "2GiB",
     .min = 512, .max = 122880, .doc = "task memory (Fargate sizes per vCPU, spec §10)"},
    {.key = "max_concurrency", .type = CFG_INT, .offset = F(ecs_task_cfg, max_concurrency),
     .def = "100", .min = 1, .max = 100000,
     .doc = "requests the application serves at once (an application property, not AWS's)"},
    {.key = "backlog", .type = CFG_INT, .offset = F(ecs_task_cfg, backlog), .def = "-1",
     .min = -1, .max = INFINITY,
     .doc = "requests a task holds waiting beyond max_concurrency (kernel accept queue, "
            "application queue); one more gets 503. -1 unbounded: the ALB never refuses a "
            "busy target, so by default a request waits until the ALB idle timeout (504) "
            "[I] DESIGN §4"},
    {.key = "base_memory", .type = CFG_SIZE, .offset = F(ecs_task_cfg, base_memory_mib),
     .def = "0", .doc = "memory in use by an idle task (drives MemoryUtilization)"},
    {.key = "memory_per_request", .type = CFG_SIZE,
     .offset = F(ecs_task_cfg, memory_per_request_mib), .def = "0",
     .doc = "additional memory in use per active request"},
    {.key = "architecture", .type = CFG_ENUM, .offset = F(ecs_task_cfg, architecture),
     .def = "x86", .choices = ecs_arch_names,
     .doc = "Linux/X86_64 or Linux/ARM64 (Graviton): sets the price (spec §10)"},
    {.key = "speed", .type = CFG_NUMBER, .offset = F(ecs_task_cfg, speed), .def = "1",
     .min = 0.01, .max = 100, .doc = "CPU speed factor relative to the trace's CPU times"},
    {.key = "check_fargate_size", .type = CFG_BOOL,
     .offset = F(ecs_task_cfg, check_fargate_size), .def = "true",
     .doc = "reject vcpu/memory pairs Fargate does not offer (spec §10, AWS_Fargate.html)"},
    {.key = NULL}};

static const cfg_schema task_schema = {
    .name = "ecs task", .size = sizeof(ecs_task_cfg), .fields = task_fields};

static const cfg_field capacity_fields[] = {
    {.key = "min", .type = CFG_INT, .offset = F(ecs_capacity_cfg, min), .flags = CFG_REQUIRED,
     .min = 0, .max = ECS_MAX_TASKS, .doc = "MinCapacity of the scalable target (>= 0, spec §2)"},
    {.key = "max", .type = CFG_INT, .offset = F(ecs_capacity_cfg, max), .flags = CFG_REQUIRED,
     .min = 0, .max = ECS_MAX_TASKS,
     .doc = "MaxCapacity (>= min, spec §2; at most 100000, a bound on the model's size)"},
    {.key = "initial", .type = CFG_INT, .offset = F(ecs_capacity_cfg, initial), .def = "-1",
     .min = -1, .max = ECS_MAX_TASKS,
     .doc = "the service's desiredCount at the start, moved into [min, max] when the target "
            "is registered (AAS-API RegisterScalableTarget); -1 = min"},
    {.key = NULL}};

static const cfg_schema capacity_schema = {
    .name = "ecs capacity", .size = sizeof(ecs_capacity_cfg), .fields = capacity_fields};

/* --- policies ------------------------------------------------------------- */

/* Absent bounds are null (infinite): read as NaN. */
static int check_step(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  ecs_step_cfg *s = obj;
  char p[CFG_PATH_LEN];
  if (cfg_was_defaulted(ctx, cfg_path_key(p, sizeof p, path, "lower"))) s->lower = NAN;
  if (cfg_was_defaulted(ctx, cfg_path_key(p, sizeof p, path, "upper"))) s->upper = NAN;
  return SIM_OK;
}

static const cfg_field step_fields[] = {
    {.key = "lower", .type = CFG_NUMBER, .offset = F(ecs_step_cfg, lower), .min = -INFINITY,
     .max = INFINITY,
     .doc = "MetricIntervalLowerBound, relative to the alarm threshold; absent = null "
            "(-infinity) (AAS-API StepAdjustment, spec §6.3)"},
    {.key = "upper", .type = CFG_NUMBER, .offset = F(ecs_step_cfg, upper), .min = -INFINITY,
     .max = INFINITY, .doc = "MetricIntervalUpperBound; absent = null (+infinity)"},
    {.key = "adjustment", .type = CFG_INT, .offset = F(ecs_step_cfg, adjustment),
     .flags = CFG_REQUIRED, .min = -INFINITY, .max = INFINITY,
     .doc = "ScalingAdjustment, read per adjustment_type"},
    {.key = NULL}};

static const cfg_schema step_schema = {.name = "ecs step adjustment",
                                       .size = sizeof(ecs_step_cfg),
                                       .fields = step_fields,
                                       .check = check_step};

static const cfg_field alarm_fields[] = {
    {.key = "name", .type = CFG_STRING, .offset = F(ecs_alarm_def, name),
     .doc = "the alarm's name in the decision log (default: <policy>-alarm)"},
    {.key = "metric", .type = CFG_ENUM, .offset = F(ecs_alarm_def, metric),
     .def = "CPUUtilization", .choices = ecs_metric_names,
     .doc = "AWS/ECS CPUUtilization or MemoryUtilization (service), or AWS/ApplicationELB "
            "RequestCountPerTarget (spec §3)"},
    {.key = "statistic", .type = CFG_ENUM, .offset = F(ecs_alarm_def, statistic),
     .def = "Average", .choices = ecs_stat_names,
     .doc = "CloudWatch statistic (RequestCountPerTarget: Sum only, ALB-CWM)"},
    {.key = "period", .type = CFG_DURATION, .offset = F(ecs_alarm_def, period_s), .def = "60s",
     .min = 1, .max = 86400,
     .doc = "alarm period: 10, 20, 30 s or a multiple of 60 s (PutMetricAlarm), and a "
            "multiple of the metric's period (spec §4)"},
    {.key = "evaluation_periods", .type = CFG_INT,
     .offset = F(ecs_alarm_def, evaluation_periods), .def = "1", .min = 1, .max = 8640,
     .doc = "N: datapoints evaluated; N x period <= 1 day (7 days for periods of an hour "
            "or more) (CW-ALARM, spec §4)"},
    {.key = "datapoints_to_alarm", .type = CFG_INT,
     .offset = F(ecs_alarm_def, datapoints_to_alarm), .def = "0", .min = 0, .max = 8640,
     .doc = "M: breaching datapoints of N to alarm; 0 = N (CW-ALARM, spec §4)"},
    {.key = "threshold", .type = CFG_NUMBER, .offset = F(ecs_alarm_def, threshold),
     .min = -INFINITY, .max = INFINITY, .doc = "the alarm threshold (required)"},
    {.key = "comparison", .type = CFG_ENUM, .offset = F(ecs_alarm_def, comparison),
     .def = "GreaterThanOrEqualToThreshold", .choices = ecs_cmp_names,
     .doc = "ComparisonOperator (spec §4)"},
    {.key = "treat_missing_data", .type = CFG_ENUM,
     .offset = F(ecs_alarm_def, treat_missing_data), .def = "missing",
     .choices = ecs_missing_names, .doc = "TreatMissingData (spec §4)"},
    {.key = NULL}};

static const cfg_schema alarm_schema = {
    .name = "ecs alarm (step_scaling)", .size = sizeof(ecs_alarm_def), .fields = alarm_fields};

static const char *const tt_only_keys[] = {"metric", "scale_out_cooldown",
                                           "scale_in_cooldown", "disable_scale_in",
                                           "max_scale_in_step", NULL};
static const char *const step_only_keys[] = {"adjustment_type", "steps",
                                             "min_adjustment_magnitude", "cooldown",
                                             "metric_aggregation", NULL};
static const char *const pred_only_keys[] = {"metric_pair", "mode", "scheduling_buffer",
                                             "max_capacity_breach", "max_capacity_buffer",
                                             NULL};
static const char *const target_key[] = {"target", NULL};
static const char *const alarm_keys[] = {"name", "metric", "statistic", "period",
                                         "evaluation_periods", "datapoints_to_alarm",
                                         "threshold", "comparison", "treat_missing_data", NULL};

static bool given(cfg_ctx *ctx, const char *path, const char *key) {
  char p[CFG_PATH_LEN];
  return !cfg_was_defaulted(ctx, cfg_path_key(p, sizeof p, path, key));
}

/* The node of `key` in mapping node, for error locations (node if absent). */
static struct fy_node *at_key(struct fy_node *node, const char *key) {
  struct fy_node *v = fy_node_mapping_lookup_by_string(node, key, FY_NT);
  return v ? v : node;
}

static bool listed(const char *const *keys, const char *key) {
  for (; *keys; keys++)
    if (strcmp(*keys, key) == 0) return true;
  return false;
}

/* Whether a policy key means something for the policy's kind (AAS-API: each
 * PolicyType has its own configuration). The others are refused when given
 * (check_policy) and left out of the effective settings (settings.csv, the
 * report). */
static bool policy_key_applies(const void *obj, const cfg_field *f) {
  const ecs_policy_cfg *p = obj;
  const char *k = f->key;
  switch (p->kind) {
  case ECS_KIND_TARGET_TRACKING:
    return !listed(step_only_keys, k) && !listed(pred_only_keys, k) && strcmp(k, "alarm") != 0;
  case ECS_KIND_STEP_SCALING:
    return !listed(tt_only_keys, k) && !listed(pred_only_keys, k) && !listed(target_key, k);
  default:
    return !listed(tt_only_keys, k) && !listed(step_only_keys, k) && strcmp(k, "alarm") != 0;
  }
}

/* The first key given that does not apply to the policy's kind is an error
 * (the alarm, a mapping, has its own message). */
static int reject_other_kinds(cfg_ctx *ctx, struct fy_node *node, const char *path,
                              const ecs_policy_cfg *p) {
  for (const cfg_field *f = ecs_policy_schema.fields; f->key; f++)
    if (f->type != CFG_MAP && !policy_key_applies(p, f) && given(ctx, path, f->key))
      return cfg_error_at(ctx, at_key(node, f->key), path,
                          "'%s' does not apply to a policy of kind %s", f->key,
                          kind_names[p->kind]);
  return SIM_OK;
}

static bool alarm_given(cfg_ctx *ctx, const char *path) {
  char alarm_path[CFG_PATH_LEN];
  cfg_path_key(alarm_path, sizeof alarm_path, path, "alarm");
  for (const char *const *k = alarm_keys; *k; k++)
    if (given(ctx, alarm_path, *k)) return true;
  return false;
}

/* A predictive policy's keys (AAS-API PredictiveScalingPolicyConfiguration). */
static int check_predictive(cfg_ctx *ctx, struct fy_node *node, const char *path,
                            const ecs_policy_cfg *p) {
  if (alarm_given(ctx, path))
    return cfg_error_at(ctx, at_key(node, "alarm"), path,
                        "a predictive policy has no alarm: it forecasts from the metric "
                        "history (spec §8.2)");
  if (!given(ctx, path, "metric_pair"))
    return cfg_error_at(ctx, node, path, "missing required key 'metric_pair'");
  if (!given(ctx, path, "target"))
    return cfg_error_at(ctx, node, path, "missing required key 'target'");
  if (p->scheduling_buffer_s >= 3600)
    return cfg_error_at(ctx, at_key(node, "scheduling_buffer"), path,
                        "scheduling_buffer must be less than the forecast interval of 3600 s "
                        "(AAS-API SchedulingBufferTime)");
  bool increase = p->max_capacity_breach == ECS_PRED_INCREASE_MAX;
  if (increase && !given(ctx, path, "max_capacity_buffer"))
    return cfg_error_at(ctx, at_key(node, "max_capacity_breach"), path,
                        "max_capacity_buffer is required with max_capacity_breach: "
                        "IncreaseMaxCapacity (AAS-API MaxCapacityBuffer)");
  if (!increase && given(ctx, path, "max_capacity_buffer"))
    return cfg_error_at(ctx, at_key(node, "max_capacity_buffer"), path,
                        "max_capacity_buffer applies only with max_capacity_breach: "
                        "IncreaseMaxCapacity (AAS-API MaxCapacityBuffer)");
  return SIM_OK;
}

static int check_policy(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  ecs_policy_cfg *p = obj;
  char alarm_path[CFG_PATH_LEN];
  cfg_path_key(alarm_path, sizeof alarm_path, path, "alarm");
  int rc = reject_other_kinds(ctx, node, path, p);
  if (rc) return rc;
  if (p->kind == ECS_KIND_PREDICTIVE) return check_predictive(ctx, node, path, p);
  if (p->kind == ECS_KIND_TARGET_TRACKING) {
    if (alarm_given(ctx, path))
      return cfg_error_at(ctx, at_key(node, "alarm"), path,
                          "a target_tracking policy has no alarm of its own: AAS creates "
                          "AlarmHigh and AlarmLow (spec §5.1)");
    if (!given(ctx, path, "target"))
      return cfg_error_at(ctx, node, path, "missing required key 'target'");
    return SIM_OK;
  }
  if (!given(ctx, path, "adjustment_type"))
    return cfg_error_at(ctx, node, path, "missing required key 'adjustment_type'");
  if (!p->steps.n) return cfg_error_at(ctx, node, path, "missing required key 'steps'");
  if (!given(ctx, alarm_path, "threshold"))
    return cfg_error_at(ctx, at_key(node, "alarm"), alarm_path,
                        "missing required key 'threshold'");
  return SIM_OK;
}

static const cfg_field policy_fields[] = {
    {.key = "kind", .type = CFG_ENUM, .offset = F(ecs_policy_cfg, kind), .flags = CFG_REQUIRED,
     .choices = kind_names,
     .doc = "target_tracking (spec §5), step_scaling (spec §6) or predictive (spec §8.2)"},
    {.key = "name", .type = CFG_STRING, .offset = F(ecs_policy_cfg, name),
     .doc = "the policy's name in the decision log (default policy<N>)"},
    {.key = "metric", .type = CFG_ENUM, .offset = F(ecs_policy_cfg, metric),
     .def = "ECSServiceAverageCPUUtilization", .choices = ecs_tt_metric_names,
     .doc = "target_tracking: the predefined metric (AAS-TT, ECS-HR; the HighResolution "
            "types need metrics.period 20s)"},
    {.key = "target", .type = CFG_NUMBER, .offset = F(ecs_policy_cfg, target), .min = -INFINITY,
     .max = INFINITY,
     .doc = "target_tracking, predictive: TargetValue (required, > 0); predictive: of the "
            "pair's scaling metric (percent per task, or requests per task per minute)"},
    {.key = "scale_out_cooldown", .type = CFG_DURATION,
     .offset = F(ecs_policy_cfg, scale_out_cooldown_s), .def = "300s", .min = 0,
     .max = 31536000, .doc = "target_tracking: ScaleOutCooldown, 300 s for ECS (AAS-API, §5.2)"},
    {.key = "scale_in_cooldown", .type = CFG_DURATION,
     .offset = F(ecs_policy_cfg, scale_in_cooldown_s), .def = "300s", .min = 0,
     .max = 31536000, .doc = "target_tracking: ScaleInCooldown, 300 s for ECS (AAS-API, §5.2)"},
    {.key = "disable_scale_in", .type = CFG_BOOL, .offset = F(ecs_policy_cfg, disable_scale_in),
     .def = "false", .doc = "target_tracking: DisableScaleIn (AAS-API, §5.2)"},
    {.key = "max_scale_in_step", .type = CFG_INT, .offset = F(ecs_policy_cfg, max_scale_in_step),
     .def = "0", .min = 0, .max = INFINITY,
     .doc = "target_tracking: at most this many tasks removed per scale-in, 0 = no limit "
            "(a sensitivity option, spec §5.3 [I])"},
    {.key = "adjustment_type", .type = CFG_ENUM, .offset = F(ecs_policy_cfg, adjustment_type),
     .def = "ChangeInCapacity", .choices = ecs_adjustment_type_names,
     .doc = "step_scaling: AdjustmentType (required, AAS-API, spec §6.2)"},
    {.key = "steps", .type = CFG_LIST, .offset = F(ecs_policy_cfg, steps), .sub = &step_schema,
     .flags = CFG_FLOW,
     .doc = "step_scaling: StepAdjustments, 1 to 20, no gaps or overlaps (spec §6.3)"},
    {.key = "min_adjustment_magnitude", .type = CFG_INT,
     .offset = F(ecs_policy_cfg, min_adjustment_magnitude), .def = "0", .min = 0,
     .max = INFINITY,
     .doc = "step_scaling: MinAdjustmentMagnitude, PercentChangeInCapacity only; 0 = unset"},
    {.key = "cooldown", .type = CFG_DURATION, .offset = F(ecs_policy_cfg, cooldown_s),
     .def = "300s", .min = 0, .max = 31536000,
     .doc = "step_scaling: Cooldown, 300 s when not specified (AAS-API, spec §6.2, §12.12)"},
    {.key = "metric_aggregation", .type = CFG_ENUM,
     .offset = F(ecs_policy_cfg, metric_aggregation), .def = "Average",
     .choices = ecs_agg_names,
     .doc = "step_scaling: MetricAggregationType over the alarm's evaluated datapoints "
            "(AAS-API; which datapoints is [I], spec §12.11)"},
    {.key = "alarm", .type = CFG_MAP, .offset = F(ecs_policy_cfg, alarm), .sub = &alarm_schema,
     .flags = CFG_FLOW, .doc = "step_scaling: the CloudWatch alarm that invokes it (spec §6.1)"},
    {.key = "metric_pair", .type = CFG_ENUM, .offset = F(ecs_policy_cfg, metric_pair),
     .choices = ecs_pred_pair_names,
     .doc = "predictive: the predefined metric pair (required): ECSServiceCPUUtilization = "
            "load ECSServiceTotalCPUUtilization + scaling ECSServiceAverageCPUUtilization, "
            "likewise memory; ALBRequestCount = TotalALBRequestCount per minute + "
            "ALBRequestCountPerTarget (AAS-API PredictiveScalingPredefinedMetricPair"
            "Specification, spec §8.2)"},
    {.key = "mode", .type = CFG_ENUM, .offset = F(ecs_policy_cfg, mode), .def = "ForecastOnly",
     .choices = ecs_pred_mode_names,
     .doc = "predictive: Mode; ForecastOnly logs the forecast and changes nothing (AAS-API)"},
    {.key = "scheduling_buffer", .type = CFG_DURATION,
     .offset = F(ecs_policy_cfg, scheduling_buffer_s), .def = "300s", .min = 0, .max = 3600,
     .doc = "predictive: SchedulingBufferTime, how long before each hour its capacity is put "
            "in place; less than 3600 s (AAS-API)"},
    {.key = "max_capacity_breach", .type = CFG_ENUM,
     .offset = F(ecs_policy_cfg, max_capacity_breach), .def = "HonorMaxCapacity",
     .choices = ecs_pred_breach_names,
     .doc = "predictive: MaxCapacityBreachBehavior; IncreaseMaxCapacity lets the forecast raise "
            "the maximum (AAS-API)"},
    {.key = "max_capacity_buffer", .type = CFG_INT,
     .offset = F(ecs_policy_cfg, max_capacity_buffer), .def = "0", .min = 0, .max = 100,
     .doc = "predictive: MaxCapacityBuffer, percent of the forecast capacity above it that the "
            "maximum may rise to; required with IncreaseMaxCapacity, not allowed otherwise "
            "(AAS-API, OC-PRED)"},
    {.key = NULL}};

const cfg_schema ecs_policy_schema = {.name = "ecs policy",
                                      .size = sizeof(ecs_policy_cfg),
                                      .fields = policy_fields,
                                      .check = check_policy,
                                      .applies = policy_key_applies};

/* The keys of a scheduled action given as AWS's Schedule. */
static const char *const calendar_keys[] = {"schedule", "timezone", "start", "end", "created",
                                            NULL};
static const char *const offset_keys[] = {"at", "every", NULL};

/* at/every, or schedule with its times: each action one way (spec §8.1). */
static bool schedule_key_applies(const void *obj, const cfg_field *f) {
  const ecs_schedule_cfg *s = obj;
  if (listed(calendar_keys, f->key)) return s->schedule != NULL;
  if (listed(offset_keys, f->key)) return s->schedule == NULL;
  return true;
}

static int check_schedule(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  ecs_schedule_cfg *s = obj;
  bool at = given(ctx, path, "at"), every = given(ctx, path, "every");
  if (s->schedule && (at || every))
    return cfg_error_at(ctx, at_key(node, at ? "at" : "every"), path,
                        "give either at/every (offsets from the start of the run) or schedule "
                        "(AWS's at(...), rate(...) or cron(...)), not both");
  if (!s->schedule) {
    if (!at) return cfg_error_at(ctx, node, path, "missing required key 'at' or 'schedule'");
    for (const char *const *k = calendar_keys + 1; *k; k++) /* those after `schedule` */
      if (given(ctx, path, *k))
        return cfg_error_at(ctx, at_key(node, *k), path,
                            "'%s' applies to an action with a schedule (at(...), rate(...), "
                            "cron(...)), not to one with at/every", *k);
    return SIM_OK;
  }
  const char *bad;
  sim_error err = {0};
  if (ecs_schedule_check(s, &bad, &err)) {
    char p[CFG_PATH_LEN];
    return cfg_error_at(ctx, at_key(node, bad), cfg_path_key(p, sizeof p, path, bad), "%s",
                        err.msg);
  }
  return SIM_OK;
}

static const cfg_field schedule_fields[] = {
    {.key = "name", .type = CFG_STRING, .offset = F(ecs_schedule_cfg, name),
     .doc = "the action's name in the decision log (default schedule<N>)"},
    {.key = "at", .type = CFG_DURATION, .offset = F(ecs_schedule_cfg, at_s), .min = 0,
     .max = INFINITY,
     .doc = "when it first runs, from the start of the run (without `schedule`; required then)"},
    {.key = "every", .type = CFG_DURATION, .offset = F(ecs_schedule_cfg, every_s), .def = "0",
     .min = 0, .max = INFINITY, .doc = "repeat period from `at`; 0 = once"},
    {.key = "schedule", .type = CFG_STRING, .offset = F(ecs_schedule_cfg, schedule),
     .doc = "instead of at/every, AWS's Schedule: at(yyyy-mm-ddThh:mm:ss), rate(value unit) "
            "(minute(s), hour(s), day(s)) or cron(Minutes Hours Day-of-month Month "
            "Day-of-week Year) with , - * / ? L W # and JAN-DEC, SUN-SAT (AAS-API "
            "PutScheduledAction, EventBridge's cron reference, spec §8.1); at(...) and "
            "cron(...) need the calendar time of t = 0 (start_time)"},
    {.key = "timezone", .type = CFG_STRING, .offset = F(ecs_schedule_cfg, timezone),
     .def = "UTC",
     .doc = "IANA time zone of at(...) and cron(...), daylight saving time included "
            "(Timezone, AAS-API); not for rate(...)"},
    {.key = "start", .type = CFG_STRING, .offset = F(ecs_schedule_cfg, start),
     .doc = "StartTime, ISO 8601 with zone: a rate(...) or cron(...) runs at it, then by its "
            "recurrence (AAS-API, scheduled-scaling-using-cron-expressions)"},
    {.key = "end", .type = CFG_STRING, .offset = F(ecs_schedule_cfg, end),
     .doc = "EndTime, ISO 8601 with zone: a rate(...) or cron(...) stops repeating after it"},
    {.key = "created", .type = CFG_STRING, .offset = F(ecs_schedule_cfg, created),
     .doc = "CreationTime, ISO 8601 with zone: a rate(...) without start runs one period "
            "after it and every period since; default t = 0 [I] spec §8.1"},
    {.key = "min", .type = CFG_INT, .offset = F(ecs_schedule_cfg, min), .def = "-1", .min = -1,
     .max = ECS_MAX_TASKS, .doc = "new MinCapacity; -1 = unchanged (spec §8.1)"},
    {.key = "max", .type = CFG_INT, .offset = F(ecs_schedule_cfg, max), .def = "-1", .min = -1,
     .max = ECS_MAX_TASKS, .doc = "new MaxCapacity; -1 = unchanged (spec §8.1)"},
    {.key = NULL}};

static const cfg_schema schedule_schema = {.name = "ecs scheduled action",
                                           .size = sizeof(ecs_schedule_cfg),
                                           .fields = schedule_fields,
                                           .check = check_schedule,
                                           .applies = schedule_key_applies};

int ecs_schedule_check(const ecs_schedule_cfg *s, const char **bad_key, sim_error *err) {
  ecs_cron_spec spec = {.schedule = s->schedule, .timezone = s->timezone, .start = s->start,
                        .end = s->end, .created = s->created};
  ecs_cron_plan plan;
  int rc = ecs_cron_plan_init(&plan, &spec, 0, ECS_CRON_GAP_SKIP, bad_key, err);
  if (!rc) ecs_cron_plan_free(&plan);
  return rc;
}

const char *ecs_schedule_calendar_need(const ecs_schedule_cfg *s, const char **key) {
  ecs_cron_expr e;
  sim_error err = {0};
  *key = NULL;
  if (!s->schedule || ecs_cron_parse(s->schedule, &e, &err)) return NULL;
  *key = "schedule";
  if (e.kind == ECS_CRON_KIND_AT) return "an at(...) schedule";
  if (e.kind == ECS_CRON_KIND_CRON) return "a cron schedule";
  *key = s->start ? "start" : s->end ? "end" : s->created ? "created" : NULL;
  return s->start ? "a start time" : s->end ? "an end time" : s->created ? "a creation time"
                                                                        : NULL;
}

/* --- the rest ------------------------------------------------------------------ */

static const cfg_field suspend_fields[] = {
    {.key = "scale_in", .type = CFG_BOOL, .offset = F(ecs_suspend_cfg, scale_in),
     .def = "false", .doc = "DynamicScalingInSuspended (AAS-API SuspendedState, spec §2)"},
    {.key = "scale_out", .type = CFG_BOOL, .offset = F(ecs_suspend_cfg, scale_out),
     .def = "false", .doc = "DynamicScalingOutSuspended"},
    {.key = "scheduled", .type = CFG_BOOL, .offset = F(ecs_suspend_cfg, scheduled),
     .def = "false", .doc = "ScheduledScalingSuspended"},
    {.key = NULL}};

static const cfg_schema suspend_schema = {
    .name = "ecs suspend", .size = sizeof(ecs_suspend_cfg), .fields = suspend_fields};

static const cfg_field aas_fields[] = {
    {.key = "cooldown_base", .type = CFG_ENUM, .offset = F(ecs_aas_cfg, cooldown_base),
     .def = "initial", .choices = ecs_cooldown_base_names,
     .doc = "capacity a scale-out computes from during a scale-out cooldown: the initiating "
            "scale-out's base (matches AWS's example), the running count, or max(running, "
            "desired) [I] spec §5.3, §6.5, §12.6"},
    {.key = "scale_out_resets_scale_in_cooldown", .type = CFG_BOOL,
     .offset = F(ecs_aas_cfg, scale_out_resets_scale_in_cooldown), .def = "false",
     .doc = "a scale-out (re)starts the scale-in cooldown instead of ending it [I] spec §5.3, "
            "§12.5 (RM-2135)"},
    {.key = "tt_metric_value", .type = CFG_ENUM, .offset = F(ecs_aas_cfg, tt_metric_value),
     .def = "latest", .choices = tt_value_names,
     .doc = "M in the target tracking formula: the latest datapoint or the average of the "
            "alarm's window [I] spec §5.3, §12.1"},
    {.key = "tt_high_evaluation_periods", .type = CFG_INT,
     .offset = F(ecs_aas_cfg, tt_high_evaluation_periods), .def = "3", .min = 1, .max = 1440,
     .doc = "AlarmHigh EvaluationPeriods [O] spec §5.1"},
    {.key = "tt_high_datapoints", .type = CFG_INT, .offset = F(ecs_aas_cfg, tt_high_datapoints),
     .def = "3", .min = 1, .max = 1440, .doc = "AlarmHigh DatapointsToAlarm [O] spec §5.1"},
    {.key = "tt_low_evaluation_periods", .type = CFG_INT,
     .offset = F(ecs_aas_cfg, tt_low_evaluation_periods), .def = "15", .min = 1, .max = 1440,
     .doc = "AlarmLow EvaluationPeriods [O] spec §5.1"},
    {.key = "tt_low_datapoints", .type = CFG_INT, .offset = F(ecs_aas_cfg, tt_low_datapoints),
     .def = "15", .min = 1, .max = 1440, .doc = "AlarmLow DatapointsToAlarm [O] spec §5.1"},
    {.key = "tt_low_ratio", .type = CFG_NUMBER, .offset = F(ecs_aas_cfg, tt_low_ratio),
     .def = "0.9", .min = 0.01, .max = 1,
     .doc = "AlarmLow threshold / target value [O] spec §5.1, §12.2"},
    {.key = "alarm_range_extra", .type = CFG_INT, .offset = F(ecs_aas_cfg, alarm_range_extra),
     .def = "2", .min = 0, .max = 1000,
     .doc = "datapoints CloudWatch retrieves beyond EvaluationPeriods (5 for N = 3 in "
            "CW-ALARM's example) [I] spec §4"},
    {.key = "predictive_forecast", .type = CFG_ENUM,
     .offset = F(ecs_aas_cfg, predictive_forecast), .def = "daily_mean",
     .choices = ecs_pred_method_names,
     .doc = "predictive forecast of an hour's load from the same hour of the past days (up "
            "to 14): their mean, their maximum, or the most recent; AWS's method is not "
            "published [I] spec §8.2"},
    {.key = "predictive_hour_statistic", .type = CFG_ENUM,
     .offset = F(ecs_aas_cfg, predictive_hour_statistic), .def = "average",
     .choices = ecs_pred_hour_stat_names,
     .doc = "an hour's load from its load-metric datapoints: their average or maximum "
            "[I] spec §8.2"},
    {.key = "predictive_floor", .type = CFG_BOOL, .offset = F(ecs_aas_cfg, predictive_floor),
     .def = "true",
     .doc = "a ForecastAndScale forecast capacity holds as a floor until the next hour's "
            "action: dynamic policies do not scale in below it [I] spec §8.2"},
    {.key = "predictive_keep_raised_max", .type = CFG_BOOL,
     .offset = F(ecs_aas_cfg, predictive_keep_raised_max), .def = "false",
     .doc = "a maximum raised by IncreaseMaxCapacity stays raised (as EC2 Auto Scaling "
            "documents) instead of lasting for the forecast's hour [I] spec §8.2"},
    {.key = "schedule_dst_gap", .type = CFG_ENUM, .offset = F(ecs_aas_cfg, schedule_dst_gap),
     .def = "skip", .choices = ecs_cron_gap_names,
     .doc = "a cron(...) time the clocks skip when daylight saving time begins: skip it that "
            "day (EventBridge Scheduler's documented rule) or shift it by the gap (02:30 runs "
            "at 03:30); a repeated time runs once, at its first occurrence [I] spec §8.1"},
    {.key = NULL}};

static const cfg_schema aas_schema = {
    .name = "ecs scaling rules", .size = sizeof(ecs_aas_cfg), .fields = aas_fields};

static const cfg_field metrics_fields[] = {
    {.key = "period", .type = CFG_DURATION, .offset = F(ecs_metrics_cfg, period_s),
     .def = "60s", .min = 1, .max = 60,
     .doc = "period of the ECS CPU/memory datapoints: 60s, or 20s for high-resolution "
            "metrics (ECS-CWM, ECS-HR, spec §3.1); must divide 60 s"},
    {.key = "publish_delay_periods", .type = CFG_NUMBER,
     .offset = F(ecs_metrics_cfg, publish_delay_periods), .def = "2", .min = 0, .max = 60,
     .doc = "delay from the end of a period until its datapoint reaches the alarms, in "
            "periods of that metric: 2 gives 120 s at 60 s (spec §3.3 default) and 40 s at "
            "20 s, calibrated on OC-TIMING; the ALB's 60 s metrics wait that many minutes [I] "
            "spec §3.3, §12.4"},
    {.key = "alb_targets", .type = CFG_ENUM, .offset = F(ecs_metrics_cfg, alb_targets),
     .def = "healthy", .choices = alb_target_names,
     .doc = "RequestCountPerTarget's denominator: the healthy targets (the unhealthy ones "
            "while the ALB fails open to them), or every registered target (initial, "
            "healthy, unhealthy, draining) [I] spec §3.2, §12.8"},
    {.key = "alb_report_when_idle", .type = CFG_BOOL,
     .offset = F(ecs_metrics_cfg, alb_report_when_idle), .def = "true",
     .doc = "RequestCountPerTarget reports 0 in periods without requests (\"Always "
            "reported\"; AAS-TT relies on real 0s) [I] spec §3.2, §12.8"},
    {.key = NULL}};

static const cfg_schema metrics_schema = {
    .name = "ecs metrics", .size = sizeof(ecs_metrics_cfg), .fields = metrics_fields};

static const cfg_field launch_fields[] = {
    {.key = "median", .type = CFG_DURATION, .offset = F(ecs_launch_cfg, median_s),
     .def = "40s", .min = 0, .max = 86400,
     .doc = "median time from launch to RUNNING (no SLA; spec §9.2 default) [O/I]"},
    {.key = "p95", .type = CFG_DURATION, .offset = F(ecs_launch_cfg, p95_s), .def = "90s",
     .min = 0, .max = 86400,
     .doc = "its 95th percentile (lognormal); equal to median = constant [O/I] spec §9.2"},
    {.key = "before_pull", .type = CFG_DURATION, .offset = F(ecs_launch_cfg, before_pull_s),
     .def = "0s", .min = 0, .max = 86400,
     .doc = "unbilled start of a launch (ENI provisioning before the image pull; billing "
            "starts at the pull, spec §10); 0 bills the whole launch [I]"},
    {.key = "burst", .type = CFG_NUMBER, .offset = F(ecs_launch_cfg, burst), .def = "100",
     .min = 1, .max = 1e9, .doc = "Fargate launch token bucket size (throttling doc, spec §9.2)"},
    {.key = "rate", .type = CFG_RATE, .offset = F(ecs_launch_cfg, rate_per_s), .def = "20/s",
     .min = 1e-6, .max = 1e9, .doc = "its refill rate (spec §9.2)"},
    {.key = "restart_backoff", .type = CFG_DURATION, .offset = F(ecs_launch_cfg, restart_backoff_s),
     .def = "10s", .flags = CFG_POSITIVE, .max = 86400,
     .doc = "after a task fails to reach RUNNING the scheduler waits this long before launching "
            "again, doubling with each failure in a row (service throttle logic; only the cap is "
            "documented, spec §9.2) [I]"},
    {.key = "restart_backoff_max", .type = CFG_DURATION,
     .offset = F(ecs_launch_cfg, restart_backoff_max_s), .def = "15m", .flags = CFG_POSITIVE,
     .max = 86400, .doc = "the longest such wait: \"up to 15 min between attempts\" (spec §9.2)"},
    {.key = NULL}};

static const cfg_schema launch_schema = {
    .name = "ecs launch", .size = sizeof(ecs_launch_cfg), .fields = launch_fields};

static const cfg_field health_fields[] = {
    {.key = "interval", .type = CFG_DURATION, .offset = F(ecs_health_check_cfg, interval_s),
     .def = "30s", .min = 5, .max = 300, .doc = "HealthCheckIntervalSeconds (ALB-HC, spec §9.3)"},
    {.key = "timeout", .type = CFG_DURATION, .offset = F(ecs_health_check_cfg, timeout_s),
     .def = "5s", .min = 2, .max = 120,
     .doc = "HealthCheckTimeoutSeconds (shorter than the interval)"},
    {.key = "healthy_threshold", .type = CFG_INT,
     .offset = F(ecs_health_check_cfg, healthy_threshold), .def = "5", .min = 2, .max = 10,
     .doc = "HealthyThresholdCount: passes to recover from unhealthy (ALB-HC)"},
    {.key = "unhealthy_threshold", .type = CFG_INT,
     .offset = F(ecs_health_check_cfg, unhealthy_threshold), .def = "2", .min = 2, .max = 10,
     .doc = "UnhealthyThresholdCount (ALB-HC)"},
    {.key = "initial_threshold", .type = CFG_INT,
     .offset = F(ecs_health_check_cfg, initial_threshold), .def = "1", .min = 1, .max = 10,
     .doc = "passes a newly registered target needs: 1 (ALB-HC; spec §9.3, §12.7)"},
    {.key = "fail_when_saturated", .type = CFG_BOOL,
     .offset = F(ecs_health_check_cfg, fail_when_saturated), .def = "false",
     .doc = "a check fails when every max_concurrency slot of the task is busy (the check "
            "would have to wait); unhealthy tasks are replaced [I] spec §9.3"},
    {.key = NULL}};

static const cfg_schema health_schema = {
    .name = "ecs alb health_check", .size = sizeof(ecs_health_check_cfg), .fields = health_fields};

static const cfg_field alb_fields[] = {
    {.key = "algorithm", .type = CFG_ENUM, .offset = F(ecs_alb_cfg, algorithm),
     .def = "round_robin", .choices = algorithm_names,
     .doc = "load_balancing.algorithm.type (ALB-TG, spec §9.4)"},
    {.key = "idle_timeout", .type = CFG_DURATION, .offset = F(ecs_alb_cfg, idle_timeout_s),
     .def = "60s", .min = 1, .max = 4000,
     .doc = "a request without a response this long gets 504 (ALB idle timeout)"},
    {.key = "registration_delay", .type = CFG_DURATION,
     .offset = F(ecs_alb_cfg, registration_delay_s), .def = "0s", .min = 0, .max = 3600,
     .doc = "from RUNNING to registered in the target group [I] spec §9.3"},
    {.key = "deregistration_delay", .type = CFG_DURATION,
     .offset = F(ecs_alb_cfg, deregistration_delay_s), .def = "300s", .min = 0, .max = 3600,
     .doc = "deregistration_delay.timeout_seconds (ALB-TG, spec §9.5)"},
    {.key = "idle_connection_close", .type = CFG_DURATION,
     .offset = F(ecs_alb_cfg, idle_close_s), .def = "0s", .min = 0, .max = 4000,
     .doc = "a deregistering target's kept-alive connections close this long after its last "
            "request; its deregistration completes then (or at deregistration_delay) and ECS "
            "stops it. 0: they close with the request, so an idle target stops at once "
            "(ALB-TG reading); the ALB idle timeout (60 s) closes idle ones [I] spec §9.5"},
    {.key = "slow_start", .type = CFG_DURATION, .offset = F(ecs_alb_cfg, slow_start_s),
     .def = "0s", .min = 0, .max = 900,
     .doc = "slow_start.duration_seconds: 0 off, else 30-900 s; not with "
            "least_outstanding_requests (ALB-TG, spec §9.4)"},
    {.key = "health_check", .type = CFG_MAP, .offset = F(ecs_alb_cfg, health_check),
     .sub = &health_schema, .flags = CFG_FLOW, .doc = "target group health check (spec §9.3)"},
    {.key = NULL}};

static const cfg_schema alb_schema = {
    .name = "ecs alb", .size = sizeof(ecs_alb_cfg), .fields = alb_fields};

static const cfg_field spot_fields[] = {
    {.key = "on_demand_base", .type = CFG_INT, .offset = F(ecs_spot_cfg, on_demand_base),
     .def = "0", .min = 0, .max = 100000,
     .doc = "capacity provider strategy: FARGATE base (spec §9.7)"},
    {.key = "on_demand_weight", .type = CFG_NUMBER, .offset = F(ecs_spot_cfg, on_demand_weight),
     .def = "1", .min = 0, .max = 1000, .doc = "FARGATE weight"},
    {.key = "spot_weight", .type = CFG_NUMBER, .offset = F(ecs_spot_cfg, spot_weight),
     .def = "0", .min = 0, .max = 1000, .doc = "FARGATE_SPOT weight (0 = no Spot tasks)"},
    {.key = "interruptions_per_task_hour", .type = CFG_NUMBER,
     .offset = F(ecs_spot_cfg, interruptions_per_task_hour), .def = "0", .min = 0, .max = 3600,
     .doc = "Poisson rate of Spot interruptions per task (AWS publishes none) [I] spec §9.7"},
    {.key = "notice", .type = CFG_DURATION, .offset = F(ecs_spot_cfg, notice_s), .def = "120s",
     .min = 0, .max = 3600, .doc = "interruption warning: 2 minutes (spec §9.7)"},
    {.key = NULL}};

static const cfg_schema spot_schema = {
    .name = "ecs spot", .size = sizeof(ecs_spot_cfg), .fields = spot_fields};

static const cfg_field price_fields[] = {
    {.key = "x86_vcpu_hour", .type = CFG_NUMBER, .offset = F(ecs_prices, x86_vcpu_per_hour),
     .def = "0.04048", .min = 0, .max = INFINITY,
     .doc = "USD per vCPU-hour, Linux/x86 (us-east-1, spec §10)"},
    {.key = "x86_gb_hour", .type = CFG_NUMBER, .offset = F(ecs_prices, x86_gb_per_hour),
     .def = "0.004445", .min = 0, .max = INFINITY, .doc = "USD per GB-hour, Linux/x86"},
    {.key = "arm_vcpu_hour", .type = CFG_NUMBER, .offset = F(ecs_prices, arm_vcpu_per_hour),
     .def = "0.03238", .min = 0, .max = INFINITY, .doc = "USD per vCPU-hour, Linux/ARM"},
    {.key = "arm_gb_hour", .type = CFG_NUMBER, .offset = F(ecs_prices, arm_gb_per_hour),
     .def = "0.00356", .min = 0, .max = INFINITY, .doc = "USD per GB-hour, Linux/ARM"},
    {.key = "spot_factor", .type = CFG_NUMBER, .offset = F(ecs_prices, spot_factor),
     .def = "0.3", .min = 0.01, .max = 1,
     .doc = "Fargate Spot price / on-demand (\"up to 70% off\"; 0.30-0.50, spec §10)"},
    {.key = "minimum", .type = CFG_DURATION, .offset = F(ecs_prices, minimum_s), .def = "60s",
     .min = 0, .max = 86400, .doc = "minimum billed time per task (Linux: 1 minute, spec §10)"},
    {.key = NULL}};

static const cfg_schema price_schema = {
    .name = "ecs prices", .size = sizeof(ecs_prices), .fields = price_fields};

static const cfg_field deployment_fields[] = {
    {.key = "minimum_healthy_percent", .type = CFG_INT,
     .offset = F(ecs_deployment_cfg, minimum_healthy_percent), .def = "100", .min = 0,
     .max = 100,
     .doc = "minimumHealthyPercent: healthy tasks kept during a deployment, rounded up "
            "(spec §9.6)"},
    {.key = "maximum_percent", .type = CFG_INT, .offset = F(ecs_deployment_cfg, maximum_percent),
     .def = "200", .min = 100, .max = 1000,
     .doc = "maximumPercent: tasks running or pending during a deployment, rounded down "
            "(spec §9.6)"},
    {.key = NULL}};

static const cfg_schema deployment_schema = {
    .name = "ecs deployment", .size = sizeof(ecs_deployment_cfg), .fields = deployment_fields};

static const cfg_field deploy_event_fields[] = {
    {.key = "at", .type = CFG_DURATION, .offset = F(ecs_deploy_event_cfg, at_s),
     .flags = CFG_REQUIRED, .min = 0, .max = INFINITY,
     .doc = "when a rolling deployment of a new revision starts, from the start of the run"},
    {.key = NULL}};

static const cfg_schema deploy_event_schema = {
    .name = "ecs deployments", .size = sizeof(ecs_deploy_event_cfg), .fields = deploy_event_fields};

static const cfg_field import_fields[] = {
    {.key = "policies", .type = CFG_PATH, .offset = F(ecs_import_cfg, policies),
     .doc = "JSON of `aws application-autoscaling describe-scaling-policies` (relative to "
            "the working directory); its policies are added to `policies`"},
    {.key = "alarms", .type = CFG_PATH, .offset = F(ecs_import_cfg, alarms),
     .doc = "JSON of `aws cloudwatch describe-alarms`: the alarms of imported step policies"},
    {.key = "scheduled_actions", .type = CFG_PATH,
     .offset = F(ecs_import_cfg, scheduled_actions),
     .doc = "JSON of `aws application-autoscaling describe-scheduled-actions`: added to "
            "`scheduled_actions` with their Schedule, Timezone, StartTime, EndTime"},
    {.key = "resource_id", .type = CFG_STRING, .offset = F(ecs_import_cfg, resource_id),
     .doc = "take only this service's policies and scheduled actions "
            "(service/<cluster>/<service>)"},
    {.key = NULL}};

static const cfg_schema import_schema = {
    .name = "ecs import", .size = sizeof(ecs_import_cfg), .fields = import_fields};

/* Reads the import files (at load time, so that their errors are scenario
 * errors) and checks the whole configuration. */
static int check_ecs(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  ecs_cfg *c = obj;
  sim_error err = {0};
  if (c->import.policies &&
      ecs_import(c, c->import.policies, c->import.alarms, c->import.resource_id, &err)) {
    char p[CFG_PATH_LEN];
    cfg_error_at(ctx, at_key(node, "import"), cfg_path_key(p, sizeof p, path, "import"), "%s",
                 err.msg);
    /* An unreadable or malformed file is an input error, not a scenario error. */
    cfg_ctx_error(ctx)->status = err.status;
    return err.status;
  }
  if (c->import.scheduled_actions &&
      ecs_import_schedules(c, c->import.scheduled_actions, c->import.resource_id, &err)) {
    char p[CFG_PATH_LEN];
    cfg_error_at(ctx, at_key(node, "import"), cfg_path_key(p, sizeof p, path, "import"), "%s",
                 err.msg);
    cfg_ctx_error(ctx)->status = err.status;
    return err.status;
  }
  if (!c->import.policies && c->import.alarms)
    return cfg_error_at(ctx, at_key(node, "import"), path,
                        "import.alarms needs import.policies (the policies they invoke)");
  if (ecs_cfg_validate(c, &err)) return cfg_error_at(ctx, node, path, "%s", err.msg);
  return SIM_OK;
}

static const cfg_field ecs_fields[] = {
    {.key = "task", .type = CFG_MAP, .offset = F(ecs_cfg, task), .sub = &task_schema,
     .flags = CFG_FLOW, .doc = "the Fargate task definition and the application in it"},
    {.key = "capacity", .type = CFG_MAP, .offset = F(ecs_cfg, capacity),
     .sub = &capacity_schema, .flags = CFG_FLOW, .doc = "the scalable target (spec §2)"},
    {.key = "policies", .type = CFG_LIST, .offset = F(ecs_cfg, policies),
     .sub = &ecs_policy_schema, .min = 0, .max = ECS_MAX_POLICIES,
     .doc = "scaling policies, at most 50 (AAS-QUOTA); none = fixed desired count"},
    {.key = "scheduled_actions", .type = CFG_LIST, .offset = F(ecs_cfg, scheduled_actions),
     .sub = &schedule_schema, .min = 0, .max = ECS_MAX_SCHEDULES,
     .doc = "scheduled Min/Max changes, at most 200 (AAS-SCHED, AAS-QUOTA, spec §8.1): "
            "{at, every} offsets, or {schedule, timezone, start, end} as in AWS"},
    {.key = "suspend", .type = CFG_MAP, .offset = F(ecs_cfg, suspend), .sub = &suspend_schema,
     .flags = CFG_FLOW, .doc = "SuspendedState (spec §2)"},
    {.key = "scaling", .type = CFG_MAP, .offset = F(ecs_cfg, scaling), .sub = &aas_schema,
     .doc = "Application Auto Scaling rules AWS does not document (spec §5, §8.1, §8.2, §12)"},
    {.key = "metrics", .type = CFG_MAP, .offset = F(ecs_cfg, metrics), .sub = &metrics_schema,
     .flags = CFG_FLOW, .doc = "CloudWatch metrics pipeline (spec §3)"},
    {.key = "launch", .type = CFG_MAP, .offset = F(ecs_cfg, launch), .sub = &launch_schema,
     .flags = CFG_FLOW, .doc = "Fargate task launch (spec §9.2)"},
    {.key = "alb", .type = CFG_MAP, .offset = F(ecs_cfg, alb), .sub = &alb_schema,
     .doc = "the Application Load Balancer and its target group (spec §9.3-9.5)"},
    {.key = "stop_timeout", .type = CFG_DURATION, .offset = F(ecs_cfg, stop_timeout_s),
     .def = "30s", .min = 0, .max = 120,
     .doc = "stopTimeout: SIGTERM to SIGKILL, default 30 s, at most 120 s on Fargate (§9.5)"},
    {.key = "scale_in_selection", .type = CFG_ENUM, .offset = F(ecs_cfg, scale_in_selection),
     .def = "newest", .choices = selection_names,
     .doc = "which serving task a scale-in stops first, after tasks not yet serving (AZ "
            "balance is not modelled) [I] spec §9.5"},
    {.key = "spot", .type = CFG_MAP, .offset = F(ecs_cfg, spot), .sub = &spot_schema,
     .flags = CFG_FLOW, .doc = "Fargate Spot capacity provider strategy (spec §9.7)"},
    {.key = "prices", .type = CFG_MAP, .offset = F(ecs_cfg, prices), .sub = &price_schema,
     .flags = CFG_FLOW, .doc = "Fargate prices (spec §10)"},
    {.key = "deployment", .type = CFG_MAP, .offset = F(ecs_cfg, deployment),
     .sub = &deployment_schema, .flags = CFG_FLOW,
     .doc = "deploymentConfiguration of the rolling update (spec §9.6)"},
    {.key = "deployments", .type = CFG_LIST, .offset = F(ecs_cfg, deployments),
     .sub = &deploy_event_schema, .flags = CFG_FLOW,
     .doc = "rolling deployments during the run; scale-in pauses while one runs (spec §2)"},
    {.key = "import", .type = CFG_MAP, .offset = F(ecs_cfg, import), .sub = &import_schema,
     .flags = CFG_FLOW, .doc = "policies and alarms from the AWS CLI's JSON"},
    {.key = NULL}};

const cfg_schema ecs_cfg_schema = {.name = "platform (kind: ecs)",
                                   .size = sizeof(ecs_cfg),
                                   .fields = ecs_fields,
                                   .check = check_ecs};

/* --- validation ------------------------------------------------------------------ */

const char *ecs_policy_name(const ecs_policy_cfg *p, size_t i, char *buf, size_t len) {
  if (p->name && *p->name) return p->name;
  snprintf(buf, len, "policy%zu", i + 1);
  return buf;
}

/* Fargate task sizes (spec §10, AWS_Fargate.html): memory range and step per
 * vCPU, in GiB. */
static int check_fargate_size(const ecs_task_cfg *t, sim_error *err) {
  static const struct { double vcpu, lo, hi, step; const char *text; } sizes[] = {
      {0.25, 0.5, 2, 0, "0.5, 1 or 2 GiB"}, {0.5, 1, 4, 1, "1 to 4 GiB in 1 GiB steps"},
      {1, 2, 8, 1, "2 to 8 GiB in 1 GiB steps"}, {2, 4, 16, 1, "4 to 16 GiB in 1 GiB steps"},
      {4, 8, 30, 1, "8 to 30 GiB in 1 GiB steps"}, {8, 16, 60, 4, "16 to 60 GiB in 4 GiB steps"},
      {16, 32, 120, 8, "32 to 120 GiB in 8 GiB steps"}};
  double gib = t->memory_mib / 1024;
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    if (fabs(t->vcpu - sizes[i].vcpu) > 1e-9) continue;
    bool ok = gib >= sizes[i].lo - 1e-9 && gib <= sizes[i].hi + 1e-9;
    if (sizes[i].step > 0) {
      double k = (gib - sizes[i].lo) / sizes[i].step;
      ok = ok && fabs(k - round(k)) < 1e-9;
    } else {
      ok = ok && (fabs(gib - 0.5) < 1e-9 || fabs(gib - 1) < 1e-9 || fabs(gib - 2) < 1e-9);
    }
    if (ok) return SIM_OK;
    return sim_errorf(err, SIM_ESCENARIO,
                      "task: Fargate offers %g vCPU with %s of memory, not %g GiB (or set "
                      "task.check_fargate_size: false)",
                      t->vcpu, sizes[i].text, gib);
  }
  return sim_errorf(err, SIM_ESCENARIO,
                    "task: Fargate offers 0.25, 0.5, 1, 2, 4, 8 or 16 vCPU, not %g (or set "
                    "task.check_fargate_size: false)",
                    t->vcpu);
}

/* The period of a metric's datapoints: ECS metrics per metrics.period, ALB
 * metrics every 60 s (ALB-CWM). */
static double metric_period(const ecs_cfg *c, int metric) {
  return metric == ECS_METRIC_REQUESTS ? 60.0 : c->metrics.period_s;
}

static bool is_multiple(double x, double of) {
  double k = x / of;
  return k >= 1 - 1e-9 && fabs(k - round(k)) < 1e-9;
}

static int check_tt(const ecs_cfg *c, const ecs_policy_cfg *p, size_t i, const char *name,
                    sim_error *err) {
  if (!(p->target > 0) || !isfinite(p->target))
    return sim_errorf(err, SIM_ESCENARIO, "policy %s: target must be a number > 0", name);
  if ((unsigned)p->metric > ECS_TT_MEMORY_HIGH_RES)
    return sim_errorf(err, SIM_ESCENARIO, "policy %s: unknown metric", name);
  if (ecs_tt_metric_high_res(p->metric) && fabs(c->metrics.period_s - 20) > 1e-9)
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: %s needs the 20 s high-resolution metrics (metrics.period: "
                      "20s, ECS-HR)",
                      name, ecs_tt_metric_names[p->metric]);
  const ecs_policy_cfg *all = c->policies.items;
  for (size_t j = 0; j < i; j++)
    if (all[j].kind == ECS_KIND_TARGET_TRACKING && all[j].metric == p->metric)
      return sim_errorf(err, SIM_ESCENARIO,
                        "policy %s: another target tracking policy already tracks %s; each "
                        "must use a different metric (AAS-TT)",
                        name, ecs_tt_metric_names[p->metric]);
  return SIM_OK;
}

static int check_alarm_def(const ecs_cfg *c, const ecs_alarm_def *a, const char *name,
                           sim_error *err) {
  if ((unsigned)a->metric >= ECS_METRIC_COUNT || (unsigned)a->statistic > ECS_STAT_SAMPLE_COUNT)
    return sim_errorf(err, SIM_ESCENARIO, "policy %s: alarm: unknown metric or statistic", name);
  if (a->metric == ECS_METRIC_REQUESTS && a->statistic != ECS_STAT_SUM)
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: alarm: RequestCountPerTarget's only valid statistic is Sum "
                      "(ALB-CWM)", name);
  double mp = metric_period(c, a->metric);
  if (!is_multiple(a->period_s, mp))
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: alarm: period %gs must be a multiple of the %s period (%gs)",
                      name, a->period_s, ecs_metric_names[a->metric], mp);
  /* PutMetricAlarm: "Valid values are 10, 20, 30, and any multiple of 60";
   * evaluation_periods x period at most one day below an hour's period, else
   * seven days (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
   * spec §4). */
  if (!is_multiple(a->period_s, 60) && fabs(a->period_s - 10) > 1e-9 &&
      fabs(a->period_s - 20) > 1e-9 && fabs(a->period_s - 30) > 1e-9)
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: alarm: period %gs: CloudWatch accepts 10, 20, 30 s or a "
                      "multiple of 60 s", name, a->period_s);
  double range_max_s = a->period_s < 3600 ? 86400 : 7 * 86400;
  if (a->period_s * a->evaluation_periods > range_max_s + 1e-9)
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: alarm: evaluation_periods x period may not exceed %s "
                      "(CW-ALARM)", name, a->period_s < 3600 ? "one day" : "seven days");
  ecs_alarm_cfg ac = {.cmp = (ecs_cmp)a->comparison, .threshold = a->threshold,
                      .evaluation_periods = a->evaluation_periods,
                      .datapoints_to_alarm =
                          a->datapoints_to_alarm ? a->datapoints_to_alarm : a->evaluation_periods,
                      .missing = (ecs_missing)a->treat_missing_data,
                      .range_extra = c->scaling.alarm_range_extra};
  char what[160];
  snprintf(what, sizeof what, "policy %s: alarm", name);
  return ecs_alarm_cfg_check(&ac, what, err);
}

static int check_step_policy(const ecs_cfg *c, const ecs_policy_cfg *p, const char *name,
                             sim_error *err) {
  if (p->steps.n > ECS_MAX_STEPS)
    return sim_errorf(err, SIM_ESCENARIO, "policy %s: a step policy needs 1 to %d steps, got %zu",
                      name, ECS_MAX_STEPS, p->steps.n);
  ecs_step steps[ECS_MAX_STEPS];
  const ecs_step_cfg *sc = p->steps.items;
  for (size_t k = 0; k < p->steps.n; k++)
    steps[k] = (ecs_step){sc[k].lower, sc[k].upper, sc[k].adjustment};
  char what[160];
  snprintf(what, sizeof what, "policy %s", name);
  int rc = ecs_step_validate(steps, p->steps.n, (ecs_adjustment_type)p->adjustment_type,
                             p->min_adjustment_magnitude, what, err);
  if (rc) return rc;
  if ((unsigned)p->metric_aggregation > ECS_AGG_MAXIMUM)
    return sim_errorf(err, SIM_ESCENARIO, "policy %s: unknown metric_aggregation", name);
  return check_alarm_def(c, &p->alarm, name, err);
}

/* A predictive policy (AAS-API PredictiveScalingPolicyConfiguration). */
static int check_pred(const ecs_cfg *c, const ecs_policy_cfg *p, size_t i, const char *name,
                      sim_error *err) {
  if (!(p->target > 0) || !isfinite(p->target))
    return sim_errorf(err, SIM_ESCENARIO, "policy %s: target must be a number > 0", name);
  if ((unsigned)p->metric_pair > ECS_PRED_PAIR_ALB_REQUESTS ||
      (unsigned)p->mode > ECS_PRED_FORECAST_AND_SCALE ||
      (unsigned)p->max_capacity_breach > ECS_PRED_INCREASE_MAX)
    return sim_errorf(err, SIM_ESCENARIO, "policy %s: unknown metric_pair, mode or "
                      "max_capacity_breach", name);
  if (!(p->scheduling_buffer_s >= 0 && p->scheduling_buffer_s < 3600))
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: scheduling_buffer must be at least 0 and less than 3600 s "
                      "(AAS-API SchedulingBufferTime)", name);
  if (p->max_capacity_buffer < 0 || p->max_capacity_buffer > 100)
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: max_capacity_buffer must be 0 to 100 (AAS-API)", name);
  if (p->max_capacity_breach == ECS_PRED_HONOR_MAX && p->max_capacity_buffer != 0)
    return sim_errorf(err, SIM_ESCENARIO,
                      "policy %s: max_capacity_buffer applies only with max_capacity_breach: "
                      "IncreaseMaxCapacity (AAS-API MaxCapacityBuffer)", name);
  /* "You can create multiple predictive scaling policies ... but only one of
   * the policies can be used for active scaling" (EC2 Auto Scaling,
   * predictive-scaling-create-policy; AAS does not say, the model follows). */
  const ecs_policy_cfg *all = c->policies.items;
  for (size_t j = 0; j < i && p->mode == ECS_PRED_FORECAST_AND_SCALE; j++)
    if (all[j].kind == ECS_KIND_PREDICTIVE && all[j].mode == ECS_PRED_FORECAST_AND_SCALE)
      return sim_errorf(err, SIM_ESCENARIO,
                        "policy %s: only one predictive policy may be in ForecastAndScale "
                        "mode; make the others ForecastOnly", name);
  return SIM_OK;
}

static int check_policies(const ecs_cfg *c, sim_error *err) {
  if (c->policies.n > ECS_MAX_POLICIES)
    return sim_errorf(err, SIM_ESCENARIO,
                      "at most %d scaling policies per scalable target (AAS-QUOTA), got %zu",
                      ECS_MAX_POLICIES, c->policies.n);
  const ecs_policy_cfg *all = c->policies.items;
  char buf[32];
  for (size_t i = 0; i < c->policies.n; i++) {
    const ecs_policy_cfg *p = &all[i];
    const char *name = ecs_policy_name(p, i, buf, sizeof buf);
    int rc = p->kind == ECS_KIND_TARGET_TRACKING ? check_tt(c, p, i, name, err)
             : p->kind == ECS_KIND_STEP_SCALING  ? check_step_policy(c, p, name, err)
             : p->kind == ECS_KIND_PREDICTIVE    ? check_pred(c, p, i, name, err)
                                                 : sim_errorf(err, SIM_ESCENARIO,
                                                              "policy %s: unknown kind", name);
    if (rc) return rc;
    if (!(p->scale_out_cooldown_s >= 0 && p->scale_in_cooldown_s >= 0 && p->cooldown_s >= 0))
      return sim_errorf(err, SIM_ESCENARIO, "policy %s: cooldowns must be >= 0", name);
  }
  return SIM_OK;
}

static int check_schedules(const ecs_cfg *c, sim_error *err) {
  if (c->scheduled_actions.n > ECS_MAX_SCHEDULES)
    return sim_errorf(err, SIM_ESCENARIO,
                      "at most %d scheduled actions per scalable target (AAS-QUOTA), got %zu",
                      ECS_MAX_SCHEDULES, c->scheduled_actions.n);
  const ecs_schedule_cfg *s = c->scheduled_actions.items;
  for (size_t i = 0; i < c->scheduled_actions.n; i++) {
    if (!(s[i].at_s >= 0) || !(s[i].every_s >= 0) || s[i].min < -1 || s[i].max < -1 ||
        s[i].min > ECS_MAX_TASKS || s[i].max > ECS_MAX_TASKS)
      return sim_errorf(err, SIM_ESCENARIO,
                        "scheduled_actions[%zu]: at and every must be >= 0, min and max "
                        "between -1 and %d", i, ECS_MAX_TASKS);
    if (s[i].min < 0 && s[i].max < 0)
      return sim_errorf(err, SIM_ESCENARIO,
                        "scheduled_actions[%zu]: set min, max or both (spec §8.1)", i);
    if (s[i].min >= 0 && s[i].max >= 0 && s[i].min > s[i].max)
      return sim_errorf(err, SIM_ESCENARIO, "scheduled_actions[%zu]: min %d exceeds max %d", i,
                        s[i].min, s[i].max);
    if (s[i].every_s > 0 && s[i].every_s < 60)
      return sim_errorf(err, SIM_ESCENARIO,
                        "scheduled_actions[%zu]: every must be at least 1 minute (AAS-SCHED)",
                        i);
    const char *bad;
    if (s[i].schedule && ecs_schedule_check(&s[i], &bad, err))
      return sim_error_prefix(err, "scheduled_actions[%zu].%s: ", i, bad);
  }
  return SIM_OK;
}

static int check_alb_and_launch(const ecs_cfg *c, sim_error *err) {
  const ecs_alb_cfg *a = &c->alb;
  if (a->slow_start_s > 0 && (a->slow_start_s < 30 || a->slow_start_s > 900))
    return sim_errorf(err, SIM_ESCENARIO, "alb.slow_start: 0 (off) or 30s to 900s (ALB-TG)");
  if (a->slow_start_s > 0 && a->algorithm == ECS_ALB_LEAST_OUTSTANDING)
    return sim_errorf(err, SIM_ESCENARIO,
                      "alb.slow_start cannot be combined with least_outstanding_requests "
                      "(ALB-TG)");
  const ecs_health_check_cfg *h = &a->health_check;
  if (!(h->interval_s > 0) || !(h->timeout_s > 0) || h->timeout_s >= h->interval_s)
    return sim_errorf(err, SIM_ESCENARIO,
                      "alb.health_check: the timeout must be shorter than the interval (ALB-HC)");
  if (h->healthy_threshold < 1 || h->unhealthy_threshold < 1 || h->initial_threshold < 1)
    return sim_errorf(err, SIM_ESCENARIO, "alb.health_check: thresholds must be >= 1");
  if (!(a->idle_timeout_s > 0) || !(a->deregistration_delay_s >= 0) ||
      !(a->registration_delay_s >= 0))
    return sim_errorf(err, SIM_ESCENARIO, "alb: timeouts and delays must be >= 0");
  const ecs_launch_cfg *l = &c->launch;
  if (!(l->median_s >= 0) || !(l->p95_s >= 0) || (l->p95_s > 0 && l->p95_s < l->median_s))
    return sim_errorf(err, SIM_ESCENARIO, "launch: p95 must be >= median >= 0");
  if (!(l->burst >= 1) || !(l->rate_per_s > 0) || !(l->before_pull_s >= 0))
    return sim_errorf(err, SIM_ESCENARIO, "launch: burst >= 1, rate > 0, before_pull >= 0");
  if (!(l->restart_backoff_s > 0) || !(l->restart_backoff_max_s >= l->restart_backoff_s))
    return sim_errorf(err, SIM_ESCENARIO,
                      "launch: restart_backoff_max >= restart_backoff > 0");
  return SIM_OK;
}

static int check_rest(const ecs_cfg *c, sim_error *err) {
  if (!(c->metrics.period_s > 0) || !is_multiple(60, c->metrics.period_s) ||
      c->metrics.period_s > 60)
    return sim_errorf(err, SIM_ESCENARIO,
                      "metrics.period must divide 60 s (60s standard, 20s high resolution)");
  if (!(c->metrics.publish_delay_periods >= 0))
    return sim_errorf(err, SIM_ESCENARIO, "metrics.publish_delay_periods must be >= 0");
  if (!(c->stop_timeout_s >= 0 && c->stop_timeout_s <= 120))
    return sim_errorf(err, SIM_ESCENARIO, "stop_timeout: 0 to 120 s on Fargate (spec §9.5)");
  const ecs_spot_cfg *s = &c->spot;
  if (!(s->on_demand_weight >= 0) || !(s->spot_weight >= 0) ||
      !(s->on_demand_weight + s->spot_weight > 0) || s->on_demand_base < 0)
    return sim_errorf(err, SIM_ESCENARIO,
                      "spot: weights must be >= 0 and not both 0, on_demand_base >= 0");
  if (!(s->interruptions_per_task_hour >= 0) || !(s->notice_s >= 0))
    return sim_errorf(err, SIM_ESCENARIO, "spot: rates and notice must be >= 0");
  const ecs_deployment_cfg *d = &c->deployment;
  if (d->minimum_healthy_percent < 0 || d->minimum_healthy_percent > 100 ||
      d->maximum_percent < 100 ||
      (d->minimum_healthy_percent == 100 && d->maximum_percent == 100))
    return sim_errorf(err, SIM_ESCENARIO,
                      "deployment: minimum_healthy_percent 0-100 and maximum_percent >= 100, "
                      "not both 100 (a deployment could not replace any task)");
  const ecs_deploy_event_cfg *de = c->deployments.items;
  for (size_t i = 0; i < c->deployments.n; i++)
    if (!(de[i].at_s >= 0))
      return sim_errorf(err, SIM_ESCENARIO, "deployments[%zu]: at must be >= 0", i);
  const ecs_prices *p = &c->prices;
  if (!(p->x86_vcpu_per_hour >= 0 && p->x86_gb_per_hour >= 0 && p->arm_vcpu_per_hour >= 0 &&
        p->arm_gb_per_hour >= 0 && p->spot_factor > 0 && p->spot_factor <= 1 &&
        p->minimum_s >= 0))
    return sim_errorf(err, SIM_ESCENARIO, "prices must be >= 0 and spot_factor in (0, 1]");
  const ecs_aas_cfg *a = &c->scaling;
  if ((unsigned)a->schedule_dst_gap > ECS_CRON_GAP_SHIFT)
    return sim_errorf(err, SIM_ESCENARIO, "scaling.schedule_dst_gap: skip or shift");
  if (a->tt_high_datapoints > a->tt_high_evaluation_periods ||
      a->tt_low_datapoints > a->tt_low_evaluation_periods || a->tt_high_datapoints < 1 ||
      a->tt_low_datapoints < 1 || a->alarm_range_extra < 0 || !(a->tt_low_ratio > 0))
    return sim_errorf(err, SIM_ESCENARIO,
                      "scaling: target tracking datapoints must be between 1 and their "
                      "evaluation periods, tt_low_ratio > 0");
  return SIM_OK;
}

int ecs_cfg_validate(const ecs_cfg *c, sim_error *err) {
  const ecs_task_cfg *t = &c->task;
  if (!(t->vcpu > 0) || !(t->memory_mib > 0) || t->max_concurrency < 1 || t->backlog < -1 ||
      !(t->speed > 0) || !(t->base_memory_mib >= 0) || !(t->memory_per_request_mib >= 0))
    return sim_errorf(err, SIM_ESCENARIO,
                      "task: vcpu, memory and speed must be > 0, max_concurrency >= 1, "
                      "backlog >= -1");
  if (t->check_fargate_size && check_fargate_size(t, err)) return SIM_ESCENARIO;
  const ecs_capacity_cfg *cap = &c->capacity;
  if (cap->min < 0 || cap->max < cap->min || cap->max > ECS_MAX_TASKS ||
      cap->initial > ECS_MAX_TASKS)
    return sim_errorf(err, SIM_ESCENARIO,
                      "capacity: need 0 <= min <= max <= %d, got min %d max %d", ECS_MAX_TASKS,
                      cap->min, cap->max);
  int rc;
  if ((rc = check_policies(c, err)) || (rc = check_schedules(c, err)) ||
      (rc = check_alb_and_launch(c, err)) || (rc = check_rest(c, err)))
    return rc;
  return SIM_OK;
}
