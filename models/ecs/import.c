/* import.c — scaling policies and alarms from the AWS CLI's JSON, so that a
 * user models what they actually run (see ecs_import in config.h).
 *
 * `aws application-autoscaling describe-scaling-policies` prints
 *   {"ScalingPolicies": [{"PolicyName", "PolicyARN", "ServiceNamespace",
 *     "ResourceId", "PolicyType", "StepScalingPolicyConfiguration" |
 *     "TargetTrackingScalingPolicyConfiguration" |
 *     "PredictiveScalingPolicyConfiguration", "Alarms": [{"AlarmName"}]}]}
 * and `aws cloudwatch describe-alarms` prints
 *   {"MetricAlarms": [{"AlarmName", "AlarmActions", "Namespace", "MetricName",
 *     "Statistic", "Period", "EvaluationPeriods", "DatapointsToAlarm",
 *     "Threshold", "ComparisonOperator", "TreatMissingData"}]}
 * (shapes per AAS-API and the CloudWatch API; libfyaml reads JSON). Target
 * tracking alarms are AAS's own and are recreated by the model (spec §5.1);
 * a step policy takes the alarms that invoke it, one model policy per alarm;
 * a predictive policy is its metric pair (or the load and scaling metrics of
 * one pair), target and settings. `aws application-autoscaling
 * describe-scheduled-actions` prints
 *   {"ScheduledActions": [{"ScheduledActionName", "ServiceNamespace",
 *     "Schedule", "Timezone", "ResourceId", "ScalableDimension", "StartTime",
 *     "EndTime", "ScalableTargetAction": {"MinCapacity", "MaxCapacity"},
 *     "CreationTime"}]}
 * and each action keeps its Schedule string and times as they are. What the model cannot represent
 * (customized or math metrics, a predictive load metric of one pair with the
 * scaling metric of another, percentile statistics, anomaly bands) is an
 * error naming it. */
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/ecs/alarm.h"
#include "models/ecs/config.h"
#include "models/ecs/metrics.h"
#include "models/ecs/predictive.h"
#include "models/ecs/step_scaling.h"
#include "models/ecs/target_tracking.h"
#include "sim/calendar.h"
#include "sim/file.h"
#include "workloads/tstamp.h"

/* One JSON file being read; errors go through cfg_error_at, so they read
 * `file:line:col: JSON.path: message`. */
typedef struct json_file {
  cfg_ctx *ctx;
  struct fy_document *doc;
  struct fy_node *root;
} json_file;

static void json_close(json_file *j) {
  fy_document_destroy(j->doc);
  cfg_ctx_free(j->ctx);
  *j = (json_file){0};
}


/* Checks that text can be the CLI's JSON before YAML parsing sees it: an
 * object, in UTF-8 (RFC 8259 §8.1), with no line starting with '%' (a YAML
 * directive, never JSON). This keeps YAML-only syntax away from the parser. */
static int check_json_text(const char *text, size_t len, const char *path, sim_error *err) {
  const unsigned char *u = (const unsigned char *)text;
  size_t i = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
    i++;
  if (i >= len || text[i] != '{')
    return sim_errorf(err, SIM_EINPUT,
                      "%s: expected a JSON object (the AWS CLI's output with --output json)",
                      path);
  long bad = cfg_utf8_invalid_line(text, len);
  if (bad) return sim_errorf(err, SIM_EINPUT, "%s:%ld: invalid UTF-8 (JSON is UTF-8)", path, bad);
  long line = 1;
  for (; i < len; i++) {
    if (u[i] != '\n') continue;
    line++;
    if (i + 1 < len && u[i + 1] == '%')
      return sim_errorf(err, SIM_EINPUT, "%s:%ld: '%%' starts a line: not JSON", path, line);
  }
  return SIM_OK;
}

static int json_open(const char *path, json_file *j, sim_error *err) {
  char *text = NULL;
  size_t len = 0;
  int rc = sim_read_file(path, &text, &len, err);
  if (rc) return rc;
  if ((rc = check_json_text(text, len, path, err))) {
    free(text);
    return rc;
  }
  j->ctx = cfg_ctx_alloc(path);
  rc = cfg_parse(j->ctx, text, len, &j->doc);
  free(text);
  if (!rc) {
    j->root = fy_document_root(j->doc);
    if (!j->root || fy_node_get_type(j->root) != FYNT_MAPPING)
      rc = cfg_error_at(j->ctx, j->root, "", "expected a JSON object");
  }
  if (rc) {
    sim_errorf(err, SIM_EINPUT, "%s", cfg_ctx_error(j->ctx)->msg);
    json_close(j);
    return SIM_EINPUT;
  }
  return SIM_OK;
}

/* Reports an error at node and copies it into err with `status`. */
static int json_error(json_file *j, sim_error *err, int status, struct fy_node *node,
                      const char *path, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int json_error(json_file *j, sim_error *err, int status, struct fy_node *node,
                      const char *path, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cfg_error_at(j->ctx, node, path, "%s", msg);
  return sim_errorf(err, status, "%s", cfg_ctx_error(j->ctx)->msg);
}

static struct fy_node *get(struct fy_node *obj, const char *key) {
  return obj && fy_node_get_type(obj) == FYNT_MAPPING
             ? fy_node_mapping_lookup_by_string(obj, key, FY_NT)
             : NULL;
}

static const char *text_of(struct fy_node *obj, const char *key) {
  struct fy_node *n = get(obj, key);
  return n ? cfg_scalar(n) : NULL;
}

/* A number field: 1 found, 0 absent, -1 present but not a number. */
static int number_of(struct fy_node *obj, const char *key, double *out) {
  const char *s = text_of(obj, key);
  if (!s) return get(obj, key) ? -1 : 0;
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || !isfinite(v)) return -1;
  *out = v;
  return 1;
}

static int index_of(const char *const *names, const char *s) {
  for (int i = 0; s && names[i]; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

/* Reads number `key` of obj (at path) into *out; absent keeps *out unless
 * required. */
static int want_number(json_file *j, struct fy_node *obj, const char *path, const char *key,
                       bool required, double *out, sim_error *err) {
  char p[CFG_PATH_LEN];
  cfg_path_key(p, sizeof p, path, key);
  int got = number_of(obj, key, out);
  if (got < 0) return json_error(j, err, SIM_EINPUT, get(obj, key), p, "expected a number");
  if (!got && required)
    return json_error(j, err, SIM_EINPUT, obj, path, "missing required key '%s'", key);
  return SIM_OK;
}

/* An integer field (AWS's Integer shapes): as want_number, and whole and
 * within +-1e9 (wider values are no configuration, and would not fit). */
static int want_int(json_file *j, struct fy_node *obj, const char *path, const char *key,
                    bool required, int *out, sim_error *err) {
  double v = *out;
  int rc = want_number(j, obj, path, key, required, &v, err);
  if (rc) return rc;
  if (v != floor(v) || fabs(v) > 1e9) {
    char p[CFG_PATH_LEN];
    cfg_path_key(p, sizeof p, path, key);
    return json_error(j, err, SIM_EINPUT, get(obj, key), p, "expected an integer, got %g", v);
  }
  *out = (int)v;
  return SIM_OK;
}

/* --- target tracking ------------------------------------------------------ */

static int read_tt(json_file *j, struct fy_node *c, const char *path, ecs_policy_cfg *p,
                   sim_error *err) {
  int rc;
  if (get(c, "CustomizedMetricSpecification"))
    return json_error(j, err, SIM_ESCENARIO, get(c, "CustomizedMetricSpecification"), path,
                      "customized metrics are not modelled; use a predefined metric");
  struct fy_node *spec = get(c, "PredefinedMetricSpecification");
  const char *type = text_of(spec, "PredefinedMetricType");
  p->metric = index_of(ecs_tt_metric_names, type);
  if (p->metric < 0)
    return json_error(j, err, SIM_ESCENARIO, spec ? spec : c, path,
                      "predefined metric '%s' is not one the model publishes for ECS",
                      type ? type : "(none)");
  p->scale_out_cooldown_s = p->scale_in_cooldown_s = 300; /* AAS-API defaults for ECS */
  if ((rc = want_number(j, c, path, "TargetValue", true, &p->target, err)) ||
      (rc = want_number(j, c, path, "ScaleOutCooldown", false, &p->scale_out_cooldown_s, err)) ||
      (rc = want_number(j, c, path, "ScaleInCooldown", false, &p->scale_in_cooldown_s, err)))
    return rc;
  const char *dis = text_of(c, "DisableScaleIn");
  p->disable_scale_in = dis && strcmp(dis, "true") == 0;
  return SIM_OK;
}

/* --- step scaling ------------------------------------------------------------ */

static int read_steps(json_file *j, struct fy_node *c, const char *path, ecs_policy_cfg *p,
                      sim_error *err) {
  char sp[CFG_PATH_LEN], ip[CFG_PATH_LEN];
  cfg_path_key(sp, sizeof sp, path, "StepAdjustments");
  struct fy_node *list = get(c, "StepAdjustments");
  if (!list || fy_node_get_type(list) != FYNT_SEQUENCE)
    return json_error(j, err, SIM_EINPUT, list ? list : c, sp, "expected a list");
  int n = fy_node_sequence_item_count(list);
  p->steps.items = sim_xcalloc(n > 0 ? (size_t)n : 1, sizeof(ecs_step_cfg));
  void *it = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(list, &it))) {
    ecs_step_cfg *s = (ecs_step_cfg *)p->steps.items + p->steps.n;
    cfg_path_index(ip, sizeof ip, sp, p->steps.n);
    s->lower = s->upper = NAN; /* absent = null */
    int rc;
    if ((rc = want_number(j, item, ip, "MetricIntervalLowerBound", false, &s->lower, err)) ||
        (rc = want_number(j, item, ip, "MetricIntervalUpperBound", false, &s->upper, err)) ||
        (rc = want_int(j, item, ip, "ScalingAdjustment", true, &s->adjustment, err)))
      return rc;
    p->steps.n++;
  }
  return SIM_OK;
}

static int read_step(json_file *j, struct fy_node *c, const char *path, ecs_policy_cfg *p,
                     sim_error *err) {
  const char *type = text_of(c, "AdjustmentType");
  p->adjustment_type = index_of(ecs_adjustment_type_names, type);
  if (p->adjustment_type < 0)
    return json_error(j, err, SIM_EINPUT, get(c, "AdjustmentType") ? get(c, "AdjustmentType") : c,
                      path, "unknown AdjustmentType '%s'", type ? type : "(none)");
  const char *agg = text_of(c, "MetricAggregationType");
  p->metric_aggregation = agg ? index_of(ecs_agg_names, agg) : ECS_AGG_AVERAGE;
  if (p->metric_aggregation < 0)
    return json_error(j, err, SIM_EINPUT, get(c, "MetricAggregationType"), path,
                      "unknown MetricAggregationType '%s'", agg);
  p->cooldown_s = 300; /* "If not specified, the default value is 300" (AAS-API) */
  int rc;
  if ((rc = want_int(j, c, path, "MinAdjustmentMagnitude", false, &p->min_adjustment_magnitude,
                     err)) ||
      (rc = want_number(j, c, path, "Cooldown", false, &p->cooldown_s, err)))
    return rc;
  return read_steps(j, c, path, p, err);
}

/* --- predictive scaling ------------------------------------------------------ */

/* The pair of a PredictiveScalingMetricSpecification (AAS-API): its
 * PredefinedMetricPairSpecification, or a predefined load metric and scaling
 * metric of the same pair. */
static int read_pair(json_file *j, struct fy_node *spec, const char *path, int *pair,
                     sim_error *err) {
  static const char *const customized[] = {"CustomizedScalingMetricSpecification",
                                           "CustomizedLoadMetricSpecification",
                                           "CustomizedCapacityMetricSpecification", NULL};
  for (const char *const *k = customized; *k; k++)
    if (get(spec, *k))
      return json_error(j, err, SIM_ESCENARIO, get(spec, *k), path,
                        "customized metrics are not modelled; use a predefined metric pair");
  const char *type = text_of(get(spec, "PredefinedMetricPairSpecification"),
                             "PredefinedMetricType");
  *pair = index_of(ecs_pred_pair_names, type);
  if (*pair >= 0) return SIM_OK;
  const char *load = text_of(get(spec, "PredefinedLoadMetricSpecification"),
                             "PredefinedMetricType");
  const char *scaling = text_of(get(spec, "PredefinedScalingMetricSpecification"),
                                "PredefinedMetricType");
  *pair = index_of(ecs_pred_load_names, load);
  if (*pair >= 0 && *pair == index_of(ecs_pred_scaling_names, scaling)) return SIM_OK;
  return json_error(j, err, SIM_ESCENARIO, spec, path,
                    "metric pair '%s' is not modelled: the model forecasts "
                    "ECSServiceCPUUtilization, ECSServiceMemoryUtilization and ALBRequestCount "
                    "(or the load and scaling metric of one of them)",
                    type ? type : load ? load : "(none)");
}

/* An enumeration field, absent = its first value (AWS's default for Mode and
 * MaxCapacityBreachBehavior). */
static int want_choice(json_file *j, struct fy_node *obj, const char *path, const char *key,
                       const char *const *names, int *out, sim_error *err) {
  const char *v = text_of(obj, key);
  *out = v ? index_of(names, v) : 0;
  if (*out >= 0) return SIM_OK;
  char p[CFG_PATH_LEN];
  cfg_path_key(p, sizeof p, path, key);
  return json_error(j, err, SIM_EINPUT, get(obj, key), p, "unknown %s '%s'", key, v);
}

static int read_pred(json_file *j, struct fy_node *c, const char *path, ecs_policy_cfg *p,
                     sim_error *err) {
  char sp[CFG_PATH_LEN], ip[CFG_PATH_LEN];
  cfg_path_key(sp, sizeof sp, path, "MetricSpecifications");
  struct fy_node *list = get(c, "MetricSpecifications");
  if (!list || fy_node_get_type(list) != FYNT_SEQUENCE || fy_node_sequence_item_count(list) < 1)
    return json_error(j, err, SIM_EINPUT, list ? list : c, sp,
                      "expected a list of one metric specification");
  if (fy_node_sequence_item_count(list) > 1)
    return json_error(j, err, SIM_ESCENARIO, list, sp,
                      "only a single metric specification is supported (AAS-API)");
  struct fy_node *spec = fy_node_sequence_get_by_index(list, 0);
  cfg_path_index(ip, sizeof ip, sp, 0);
  p->scheduling_buffer_s = 300; /* "Defaults to 300 seconds if not specified" (AAS-API) */
  int rc;
  if ((rc = want_number(j, spec, ip, "TargetValue", true, &p->target, err)) ||
      (rc = read_pair(j, spec, ip, &p->metric_pair, err)) ||
      (rc = want_choice(j, c, path, "Mode", ecs_pred_mode_names, &p->mode, err)) ||
      (rc = want_choice(j, c, path, "MaxCapacityBreachBehavior", ecs_pred_breach_names,
                        &p->max_capacity_breach, err)) ||
      (rc = want_number(j, c, path, "SchedulingBufferTime", false, &p->scheduling_buffer_s,
                        err)) ||
      (rc = want_int(j, c, path, "MaxCapacityBuffer", false, &p->max_capacity_buffer, err)))
    return rc;
  if (p->max_capacity_breach == ECS_PRED_INCREASE_MAX && !get(c, "MaxCapacityBuffer"))
    return json_error(j, err, SIM_ESCENARIO, c, path,
                      "MaxCapacityBuffer is required with IncreaseMaxCapacity (AAS-API)");
  return SIM_OK;
}

/* --- alarms ------------------------------------------------------------------ */

/* The alarm's metric as one the model publishes, or -1. */
static int alarm_metric(struct fy_node *a) {
  const char *ns = text_of(a, "Namespace"), *name = text_of(a, "MetricName");
  if (!ns || !name) return -1;
  if (!strcmp(ns, "AWS/ECS") && !strcmp(name, "CPUUtilization")) return ECS_METRIC_CPU;
  if (!strcmp(ns, "AWS/ECS") && !strcmp(name, "MemoryUtilization")) return ECS_METRIC_MEMORY;
  if (!strcmp(ns, "AWS/ApplicationELB") && !strcmp(name, "RequestCountPerTarget"))
    return ECS_METRIC_REQUESTS;
  return -1;
}

static int read_alarm(json_file *j, struct fy_node *a, const char *path, ecs_alarm_def *d,
                      sim_error *err) {
  d->metric = alarm_metric(a);
  if (d->metric < 0)
    return json_error(j, err, SIM_ESCENARIO, a, path,
                      "alarm metric %s is not modelled (AWS/ECS CPUUtilization or "
                      "MemoryUtilization, AWS/ApplicationELB RequestCountPerTarget)",
                      get(a, "Metrics") ? "math" : text_of(a, "MetricName") ? text_of(a, "MetricName") : "(none)");
  const char *stat = text_of(a, "Statistic");
  d->statistic = index_of(ecs_stat_names, stat);
  if (d->statistic < 0)
    return json_error(j, err, SIM_ESCENARIO, a, path,
                      "statistic '%s' is not modelled (Average, Sum, Minimum, Maximum, "
                      "SampleCount)", stat ? stat : text_of(a, "ExtendedStatistic") ? text_of(a, "ExtendedStatistic") : "(none)");
  const char *cmp = text_of(a, "ComparisonOperator");
  d->comparison = index_of(ecs_cmp_names, cmp);
  if (d->comparison < 0)
    return json_error(j, err, SIM_ESCENARIO, a, path,
                      "ComparisonOperator '%s' is not modelled", cmp ? cmp : "(none)");
  const char *tmd = text_of(a, "TreatMissingData");
  d->treat_missing_data = tmd ? index_of(ecs_missing_names, tmd) : ECS_MISSING_MISSING;
  if (d->treat_missing_data < 0)
    return json_error(j, err, SIM_EINPUT, a, path, "unknown TreatMissingData '%s'", tmd);
  int rc;
  if ((rc = want_number(j, a, path, "Period", true, &d->period_s, err)) ||
      (rc = want_int(j, a, path, "EvaluationPeriods", true, &d->evaluation_periods, err)) ||
      (rc = want_int(j, a, path, "DatapointsToAlarm", false, &d->datapoints_to_alarm, err)) ||
      (rc = want_number(j, a, path, "Threshold", true, &d->threshold, err)))
    return rc;
  d->name = sim_xstrdup(text_of(a, "AlarmName"));
  return SIM_OK;
}

/* True if alarm a invokes the policy (by the policy's Alarms list or by the
 * alarm's AlarmActions). */
static bool invokes(struct fy_node *a, struct fy_node *policy) {
  const char *name = text_of(a, "AlarmName");
  void *it = NULL;
  struct fy_node *x;
  struct fy_node *listed = get(policy, "Alarms");
  while (listed && (x = fy_node_sequence_iterate(listed, &it))) {
    const char *n = text_of(x, "AlarmName");
    if (name && n && !strcmp(n, name)) return true;
  }
  const char *arn = text_of(policy, "PolicyARN");
  struct fy_node *actions = get(a, "AlarmActions");
  it = NULL;
  while (arn && actions && (x = fy_node_sequence_iterate(actions, &it))) {
    const char *s = cfg_scalar(x);
    if (s && !strcmp(s, arn)) return true;
  }
  return false;
}

/* --- policies ------------------------------------------------------------------ */

static ecs_policy_cfg *append(ecs_cfg *cfg) {
  cfg->policies.items =
      sim_xrealloc(cfg->policies.items, (cfg->policies.n + 1) * sizeof(ecs_policy_cfg));
  ecs_policy_cfg *p = (ecs_policy_cfg *)cfg->policies.items + cfg->policies.n++;
  memset(p, 0, sizeof *p);
  return p;
}

/* A step policy: one model policy per alarm that invokes it. */
static int import_step(ecs_cfg *cfg, json_file *pj, struct fy_node *pol, const char *path,
                       json_file *aj, sim_error *err) {
  const char *name = text_of(pol, "PolicyName");
  struct fy_node *conf = get(pol, "StepScalingPolicyConfiguration");
  if (!conf)
    return json_error(pj, err, SIM_EINPUT, pol, path,
                      "missing required key '%s'", "StepScalingPolicyConfiguration");
  if (!aj)
    return json_error(pj, err, SIM_ESCENARIO, pol, path,
                      "step policy '%s' needs its alarm: give import.alarms (the JSON of "
                      "`aws cloudwatch describe-alarms`)", name ? name : "?");
  struct fy_node *alarms = get(aj->root, "MetricAlarms");
  void *it = NULL;
  struct fy_node *a;
  size_t found = 0, i = 0;
  char ap[CFG_PATH_LEN], cp[CFG_PATH_LEN];
  cfg_path_key(cp, sizeof cp, path, "StepScalingPolicyConfiguration");
  while (alarms && (a = fy_node_sequence_iterate(alarms, &it))) {
    size_t index = i++;
    if (!invokes(a, pol)) continue;
    found++;
    ecs_policy_cfg *p = append(cfg);
    p->kind = ECS_KIND_STEP_SCALING;
    int rc = read_step(pj, conf, cp, p, err);
    cfg_path_index(ap, sizeof ap, "MetricAlarms", index);
    if (!rc) rc = read_alarm(aj, a, ap, &p->alarm, err);
    if (rc) return rc;
    char full[512];
    if (found > 1) snprintf(full, sizeof full, "%s/%s", name ? name : "step", p->alarm.name);
    else snprintf(full, sizeof full, "%s", name ? name : "step");
    p->name = sim_xstrdup(full);
  }
  if (!found)
    return json_error(pj, err, SIM_ESCENARIO, pol, path,
                      "no alarm in import.alarms invokes step policy '%s'", name ? name : "?");
  return SIM_OK;
}

static int import_policy(ecs_cfg *cfg, json_file *pj, struct fy_node *pol, const char *path,
                         json_file *aj, sim_error *err) {
  const char *ns = text_of(pol, "ServiceNamespace");
  if (ns && strcmp(ns, "ecs"))
    return json_error(pj, err, SIM_ESCENARIO, pol, path,
                      "a policy of service namespace '%s', not ecs", ns);
  const char *type = text_of(pol, "PolicyType");
  if (type && !strcmp(type, "StepScaling")) return import_step(cfg, pj, pol, path, aj, err);
  bool predictive = type && !strcmp(type, "PredictiveScaling");
  if (!predictive && (!type || strcmp(type, "TargetTrackingScaling")))
    return json_error(pj, err, SIM_ESCENARIO, pol, path,
                      "policy type '%s' is not modelled (TargetTrackingScaling, StepScaling, "
                      "PredictiveScaling)",
                      type ? type : "(none)");
  const char *key = predictive ? "PredictiveScalingPolicyConfiguration"
                               : "TargetTrackingScalingPolicyConfiguration";
  struct fy_node *conf = get(pol, key);
  if (!conf) return json_error(pj, err, SIM_EINPUT, pol, path, "missing required key '%s'", key);
  char cp[CFG_PATH_LEN];
  cfg_path_key(cp, sizeof cp, path, key);
  ecs_policy_cfg *p = append(cfg);
  p->kind = predictive ? ECS_KIND_PREDICTIVE : ECS_KIND_TARGET_TRACKING;
  p->name = sim_xstrdup(text_of(pol, "PolicyName"));
  return predictive ? read_pred(pj, conf, cp, p, err) : read_tt(pj, conf, cp, p, err);
}

/* Checks that the items of `list` (at list_key) to take belong to one
 * service. */
static int check_one_service(json_file *pj, struct fy_node *list, const char *list_key,
                             const char *what, const char *resource_id, sim_error *err) {
  if (resource_id) return SIM_OK;
  const char *first = NULL;
  void *it = NULL;
  struct fy_node *pol;
  while ((pol = fy_node_sequence_iterate(list, &it))) {
    const char *r = text_of(pol, "ResourceId");
    if (!r) continue;
    if (!first) first = r;
    else if (strcmp(first, r))
      return json_error(pj, err, SIM_ESCENARIO, pol, list_key,
                        "%s of several services (%s and others): choose one with "
                        "import.resource_id", what, first);
  }
  return SIM_OK;
}

int ecs_import(ecs_cfg *cfg, const char *policies_path, const char *alarms_path,
               const char *resource_id, sim_error *err) {
  json_file pj = {0}, aj = {0};
  int rc = json_open(policies_path, &pj, err);
  if (!rc && alarms_path) rc = json_open(alarms_path, &aj, err);
  if (rc) goto done;
  struct fy_node *list = get(pj.root, "ScalingPolicies");
  if (!list || fy_node_get_type(list) != FYNT_SEQUENCE) {
    rc = json_error(&pj, err, SIM_EINPUT, list ? list : pj.root, "ScalingPolicies",
                    "expected the list that describe-scaling-policies prints");
    goto done;
  }
  if (alarms_path && !get(aj.root, "MetricAlarms")) {
    rc = json_error(&aj, err, SIM_EINPUT, aj.root, "MetricAlarms",
                    "expected the list that describe-alarms prints");
    goto done;
  }
  if ((rc = check_one_service(&pj, list, "ScalingPolicies", "policies", resource_id, err)))
    goto done;
  void *it = NULL;
  struct fy_node *pol;
  size_t i = 0;
  char path[CFG_PATH_LEN];
  while ((pol = fy_node_sequence_iterate(list, &it))) {
    cfg_path_index(path, sizeof path, "ScalingPolicies", i++);
    const char *r = text_of(pol, "ResourceId");
    if (resource_id && (!r || strcmp(r, resource_id))) continue;
    if ((rc = import_policy(cfg, &pj, pol, path, alarms_path ? &aj : NULL, err))) goto done;
  }
done:
  if (aj.ctx) json_close(&aj);
  if (pj.ctx) json_close(&pj);
  return rc;
}

/* --- scheduled actions -------------------------------------------------------- */

/* A timestamp field of the CLI's output: ISO 8601 text (UTC when it names no
 * zone: the API's times are UTC, AAS-API) or epoch seconds (the CLI's
 * cli_timestamp_format none). Stored as ISO 8601 text in *out (NULL when
 * absent). */
static int want_time(json_file *j, struct fy_node *obj, const char *path, const char *key,
                     char **out, sim_error *err) {
  char p[CFG_PATH_LEN], text[64];
  cfg_path_key(p, sizeof p, path, key);
  *out = NULL;
  const char *s = text_of(obj, key);
  if (!get(obj, key)) return SIM_OK;
  double t;
  bool ok = s && (wl_parse_iso8601(s, strlen(s), &t, NULL) || number_of(obj, key, &t) == 1) &&
            t >= SIM_CALENDAR_MIN_S && t < SIM_CALENDAR_END_S;
  if (!ok)
    return json_error(j, err, SIM_EINPUT, get(obj, key), p,
                      "expected an ISO 8601 time or epoch seconds in the years 1970-2199");
  sim_time_format(t, text, sizeof text);
  *out = sim_xstrdup(text);
  return SIM_OK;
}

static ecs_schedule_cfg *append_schedule(ecs_cfg *cfg) {
  cfg->scheduled_actions.items =
      sim_xrealloc(cfg->scheduled_actions.items,
                   (cfg->scheduled_actions.n + 1) * sizeof(ecs_schedule_cfg));
  ecs_schedule_cfg *s =
      (ecs_schedule_cfg *)cfg->scheduled_actions.items + cfg->scheduled_actions.n++;
  *s = (ecs_schedule_cfg){.min = -1, .max = -1};
  return s;
}

/* The JSON key of a scheduled action's setting (ecs_schedule_check's keys). */
static const char *json_key_of(const char *key) {
  static const char *const map[][2] = {{"schedule", "Schedule"}, {"timezone", "Timezone"},
                                       {"start", "StartTime"},   {"end", "EndTime"},
                                       {"created", "CreationTime"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (!strcmp(map[i][0], key)) return map[i][1];
  return key;
}

/* One ScheduledAction (AAS-API): Schedule, Timezone (for at and cron
 * expressions only: "used when setting a scheduled action by using an at or
 * cron expression"), StartTime, EndTime, CreationTime (the anchor of a
 * rate(...)), ScalableTargetAction's MinCapacity and MaxCapacity. */
static int import_schedule(ecs_cfg *cfg, json_file *j, struct fy_node *a, const char *path,
                           sim_error *err) {
  const char *ns = text_of(a, "ServiceNamespace"), *dim = text_of(a, "ScalableDimension");
  if ((ns && strcmp(ns, "ecs")) || (dim && strcmp(dim, "ecs:service:DesiredCount")))
    return json_error(j, err, SIM_ESCENARIO, a, path,
                      "a scheduled action of '%s', not an ECS service's DesiredCount",
                      dim ? dim : ns);
  const char *schedule = text_of(a, "Schedule");
  if (!schedule)
    return json_error(j, err, SIM_EINPUT, a, path, "missing required key 'Schedule'");
  ecs_schedule_cfg *s = append_schedule(cfg);
  s->name = sim_xstrdup(text_of(a, "ScheduledActionName"));
  s->schedule = sim_xstrdup(schedule);
  bool rate = strncmp(schedule, "rate(", 5) == 0;
  const char *zone = text_of(a, "Timezone");
  if (zone && !rate) s->timezone = sim_xstrdup(zone);
  char tp[CFG_PATH_LEN];
  cfg_path_key(tp, sizeof tp, path, "ScalableTargetAction");
  struct fy_node *target = get(a, "ScalableTargetAction");
  int rc;
  if ((rc = want_time(j, a, path, "StartTime", &s->start, err)) ||
      (rc = want_time(j, a, path, "EndTime", &s->end, err)) ||
      (rc = want_int(j, target, tp, "MinCapacity", false, &s->min, err)) ||
      (rc = want_int(j, target, tp, "MaxCapacity", false, &s->max, err)))
    return rc;
  if (rate && (rc = want_time(j, a, path, "CreationTime", &s->created, err))) return rc;
  if (s->min < 0 && s->max < 0)
    return json_error(j, err, SIM_ESCENARIO, target ? target : a, tp,
                      "sets neither MinCapacity nor MaxCapacity");
  const char *bad;
  sim_error why = {0};
  if (ecs_schedule_check(s, &bad, &why)) {
    char kp[CFG_PATH_LEN];
    const char *key = json_key_of(bad);
    cfg_path_key(kp, sizeof kp, path, key);
    return json_error(j, err, SIM_ESCENARIO, get(a, key) ? get(a, key) : a, kp, "%s", why.msg);
  }
  return SIM_OK;
}

int ecs_import_schedules(ecs_cfg *cfg, const char *path, const char *resource_id,
                         sim_error *err) {
  json_file j = {0};
  int rc = json_open(path, &j, err);
  if (rc) return rc;
  struct fy_node *list = get(j.root, "ScheduledActions");
  if (!list || fy_node_get_type(list) != FYNT_SEQUENCE) {
    rc = json_error(&j, err, SIM_EINPUT, list ? list : j.root, "ScheduledActions",
                    "expected the list that describe-scheduled-actions prints");
    goto done;
  }
  if ((rc = check_one_service(&j, list, "ScheduledActions", "scheduled actions", resource_id,
                              err)))
    goto done;
  void *it = NULL;
  struct fy_node *a;
  size_t i = 0;
  char ap[CFG_PATH_LEN];
  while ((a = fy_node_sequence_iterate(list, &it))) {
    cfg_path_index(ap, sizeof ap, "ScheduledActions", i++);
    const char *r = text_of(a, "ResourceId");
    if (resource_id && (!r || strcmp(r, resource_id))) continue;
    if ((rc = import_schedule(cfg, &j, a, ap, err))) goto done;
  }
done:
  json_close(&j);
  return rc;
}
