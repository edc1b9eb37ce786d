/* test_ecs_config.c — the `ecs` platform's scenario keys (models/ecs/config.c)
 * read through the real scenario loader, their errors, and the import of AWS
 * CLI JSON (models/ecs/import.c). JSON fixtures are written to a temporary
 * folder by the test itself. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/ecs/alarm.h"
#include "models/ecs/config.h"
#include "models/ecs/predictive.h"
#include "models/ecs/step_scaling.h"
#include "models/ecs/target_tracking.h"
#include "sim/scenario.h"
#include "tests/check.h"

static const char *head =
    "name: t\n"
    "seed: 1\n"
    "duration: 1h\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 10}\n"
    "  request: {duration: {dist: constant, value: 10ms}, cpu_share: 1}\n"
    "platforms:\n"
    "  - name: svc\n"
    "    kind: ecs\n";

/* Loads head + platform keys (indented 4 spaces); returns the status. */
static int load(const char *platform_yaml, scenario **sc, sim_error *err) {
  char text[8192];
  snprintf(text, sizeof text, "%s%s", head, platform_yaml);
  sim_error_clear(err);
  return scenario_load_text("t.yaml", text, strlen(text), NULL, 0, sc, err);
}

static const ecs_cfg *cfg_of(const scenario *sc) { return sc->platforms[0].cfg; }

static void test_full(void) {
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = load("    task: {vcpu: 0.5, memory: 1GiB, max_concurrency: 64, architecture: arm}\n"
                "    capacity: {min: 2, max: 40}\n"
                "    policies:\n"
                "      - {kind: target_tracking, name: cpu, metric: ECSServiceAverageCPUUtilization,"
                " target: 60}\n"
                "      - kind: step_scaling\n"
                "        name: out\n"
                "        adjustment_type: PercentChangeInCapacity\n"
                "        min_adjustment_magnitude: 2\n"
                "        steps: [{lower: 0, upper: 10, adjustment: 0}, {lower: 10, adjustment: 30}]\n"
                "        alarm: {threshold: 50, evaluation_periods: 2, comparison: "
                "GreaterThanThreshold}\n"
                "    scheduled_actions: [{at: 8h, every: 24h, min: 10}]\n"
                "    metrics: {publish_delay_periods: 3}\n",
                &sc, &err);
  CHECK_INT(rc, 0, "a full ecs platform loads (%s)", err.msg);
  if (rc) return;
  const ecs_cfg *c = cfg_of(sc);
  CHECK_REL(c->task.vcpu, 0.5, 0, "task.vcpu");
  CHECK_REL(c->task.memory_mib, 1024, 0, "task.memory");
  CHECK_INT(c->task.architecture, ECS_ARCH_ARM, "task.architecture");
  CHECK_INT(c->capacity.initial, -1, "capacity.initial defaults to -1 (= min)");
  CHECK_INT((int)c->policies.n, 2, "two policies");
  const ecs_policy_cfg *p = c->policies.items;
  CHECK_INT(p[0].kind, ECS_KIND_TARGET_TRACKING, "policy 1 is target tracking");
  CHECK_REL(p[0].scale_out_cooldown_s, 300, 0, "ScaleOutCooldown defaults to 300 s (AAS-API)");
  CHECK_REL(p[0].scale_in_cooldown_s, 300, 0, "ScaleInCooldown defaults to 300 s (AAS-API)");
  CHECK(!p[0].disable_scale_in, "DisableScaleIn defaults to false");
  CHECK_INT(p[1].kind, ECS_KIND_STEP_SCALING, "policy 2 is step scaling");
  CHECK_REL(p[1].cooldown_s, 300, 0, "step Cooldown defaults to 300 s (AAS-API)");
  CHECK_INT(p[1].metric_aggregation, ECS_AGG_AVERAGE, "MetricAggregationType defaults to Average");
  const ecs_step_cfg *s = p[1].steps.items;
  CHECK(s[0].lower == 0 && s[0].upper == 10, "step 1 bounds");
  CHECK(s[1].lower == 10 && isnan(s[1].upper), "an absent upper bound is null (NaN)");
  CHECK_INT(p[1].alarm.datapoints_to_alarm, 0, "datapoints_to_alarm 0 means = N");
  CHECK_INT(p[1].alarm.treat_missing_data, ECS_MISSING_MISSING, "TreatMissingData missing");
  CHECK_INT(p[1].alarm.metric, ECS_METRIC_CPU, "the alarm metric defaults to CPUUtilization");
  const ecs_schedule_cfg *sa = c->scheduled_actions.items;
  CHECK(sa[0].at_s == 8 * 3600 && sa[0].every_s == 86400 && sa[0].min == 10 && sa[0].max == -1,
        "scheduled action");
  CHECK_REL(c->metrics.period_s, 60, 0, "metric period 60 s");
  CHECK_REL(c->launch.median_s, 40, 0, "launch median 40 s (spec §9.2)");
  CHECK_REL(c->launch.p95_s, 90, 0, "launch p95 90 s (spec §9.2)");
  CHECK_REL(c->launch.burst, 100, 0, "launch burst 100");
  CHECK_REL(c->launch.rate_per_s, 20, 0, "launch refill 20/s");
  CHECK_REL(c->alb.deregistration_delay_s, 300, 0, "deregistration delay 300 s");
  CHECK_REL(c->alb.health_check.interval_s, 30, 0, "health check interval 30 s");
  CHECK_INT(c->alb.health_check.healthy_threshold, 5, "healthy threshold 5");
  CHECK_INT(c->alb.health_check.unhealthy_threshold, 2, "unhealthy threshold 2");
  CHECK_INT(c->alb.health_check.initial_threshold, 1, "a new target needs 1 pass");
  CHECK_REL(c->stop_timeout_s, 30, 0, "stopTimeout 30 s");
  CHECK_REL(c->prices.x86_vcpu_per_hour, 0.04048, 0, "x86 vCPU price");
  CHECK_REL(c->prices.spot_factor, 0.3, 0, "Spot factor 0.30");
  CHECK_INT(c->scaling.tt_high_evaluation_periods, 3, "AlarmHigh 3 periods");
  CHECK_INT(c->scaling.tt_low_datapoints, 15, "AlarmLow 15 datapoints");
  CHECK_REL(c->scaling.tt_low_ratio, 0.9, 0, "AlarmLow at 0.9 T");
  CHECK_INT(c->deployment.minimum_healthy_percent, 100, "minimumHealthyPercent 100 (spec §9.6)");
  CHECK_INT(c->deployment.maximum_percent, 200, "maximumPercent 200 (spec §9.6)");
  scenario_free(sc);
}

/* A predictive policy: its keys, the API's defaults, the [I] rules' defaults. */
static void test_predictive_keys(void) {
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = load("    capacity: {min: 1, max: 40}\n"
                "    policies:\n"
                "      - {kind: predictive, name: p, metric_pair: ALBRequestCount, target: 600}\n"
                "      - {kind: predictive, metric_pair: ECSServiceCPUUtilization, target: 40,\n"
                "         mode: ForecastAndScale, scheduling_buffer: 10m,\n"
                "         max_capacity_breach: IncreaseMaxCapacity, max_capacity_buffer: 10}\n",
                &sc, &err);
  CHECK_INT(rc, 0, "predictive policies load (%s)", err.msg);
  if (rc) return;
  const ecs_cfg *c = cfg_of(sc);
  const ecs_policy_cfg *p = c->policies.items;
  CHECK_INT(p[0].kind, ECS_KIND_PREDICTIVE, "kind predictive");
  CHECK_INT(p[0].metric_pair, ECS_PRED_PAIR_ALB_REQUESTS, "metric_pair ALBRequestCount");
  CHECK_INT(p[0].mode, ECS_PRED_FORECAST_ONLY, "Mode defaults to ForecastOnly (AAS-API)");
  CHECK_REL(p[0].scheduling_buffer_s, 300, 0, "SchedulingBufferTime defaults to 300 s (AAS-API)");
  CHECK_INT(p[0].max_capacity_breach, ECS_PRED_HONOR_MAX,
            "MaxCapacityBreachBehavior defaults to HonorMaxCapacity (AAS-API)");
  CHECK_INT(p[1].mode, ECS_PRED_FORECAST_AND_SCALE, "mode ForecastAndScale");
  CHECK_REL(p[1].scheduling_buffer_s, 600, 0, "scheduling_buffer 10m");
  CHECK_INT(p[1].max_capacity_buffer, 10, "max_capacity_buffer 10");
  CHECK_INT(c->scaling.predictive_forecast, ECS_PRED_DAILY_MEAN, "forecast: daily_mean [I]");
  CHECK_INT(c->scaling.predictive_hour_statistic, ECS_PRED_HOUR_AVERAGE, "hour: average [I]");
  CHECK(c->scaling.predictive_floor, "the forecast holds as a floor by default [I]");
  CHECK(!c->scaling.predictive_keep_raised_max, "a raised maximum lasts for its hour [I]");
  scenario_free(sc);
}

static void expect_error(const char *platform_yaml, const char *needle, const char *what) {
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = load(platform_yaml, &sc, &err);
  CHECK(rc != 0, "rejected: %s", what);
  CHECK_CONTAINS(err.msg, needle, "message for: %s", what);
  scenario_free(sc);
}

static void test_errors(void) {
  expect_error("    capacity: {min: 2, max: 4}\n    polices: []\n", "did you mean 'policies'",
               "a misspelt key");
  expect_error("    capacity: {min: 5, max: 4}\n", "min <= max", "min above max");
  expect_error("    task: {vcpu: 1, memory: 1GiB}\n    capacity: {min: 1, max: 4}\n",
               "2 to 8 GiB", "a memory size Fargate does not offer for 1 vCPU");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: target_tracking, target: 50, cooldown: 60s}]\n",
               "'cooldown' does not apply to a policy of kind target_tracking",
               "a step key on a target tracking policy");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: step_scaling, target: 50}]\n",
               "'target' does not apply", "a TT key on a step policy");
  expect_error("    capacity: {min: 1, max: 4}\n    policies: [{kind: target_tracking}]\n",
               "missing required key 'target'", "a TT policy without a target");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: step_scaling, adjustment_type: ChangeInCapacity,"
               " steps: [{lower: 0, adjustment: 1}], alarm: {period: 60s}}]\n",
               "missing required key 'threshold'", "a step alarm without a threshold");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: step_scaling, adjustment_type: ChangeInCapacity,"
               " steps: [{lower: 0, upper: 10, adjustment: 1}, {lower: 15, adjustment: 2}],"
               " alarm: {threshold: 70}}]\n",
               "gap between 10 and 15", "a gap in a step table");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: target_tracking, target: 50,"
               " metric: ECSServiceAverageCPUUtilizationHighResolution}]\n",
               "metrics.period: 20s", "a high-resolution metric with 60 s metrics");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: target_tracking, target: 50},"
               " {kind: target_tracking, target: 70}]\n",
               "different metric", "two TT policies on one metric (AAS-TT)");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    alb: {slow_start: 60s, algorithm: least_outstanding_requests}\n",
               "cannot be combined", "slow start with least outstanding requests");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: step_scaling, adjustment_type: ChangeInCapacity,"
               " steps: [{lower: 0, adjustment: 1}],"
               " alarm: {threshold: 70, metric: RequestCountPerTarget, statistic: Average}}]\n",
               "only valid statistic is Sum", "RequestCountPerTarget with Average");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: step_scaling, adjustment_type: ChangeInCapacity,"
               " steps: [{lower: 0, adjustment: 1}], alarm: {threshold: 70, period: 90s}}]\n",
               "multiple of the CPUUtilization period", "an alarm period of 90 s");
  expect_error("    capacity: {min: 1, max: 4}\n    metrics: {period: 20s}\n"
               "    policies: [{kind: step_scaling, adjustment_type: ChangeInCapacity,"
               " steps: [{lower: 0, adjustment: 1}], alarm: {threshold: 70, period: 40s}}]\n",
               "10, 20, 30 s or a multiple of 60 s",
               "an alarm period of 40 s (PutMetricAlarm accepts 10, 20, 30, k x 60)");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: step_scaling, adjustment_type: ChangeInCapacity,"
               " steps: [{lower: 0, adjustment: 1}],"
               " alarm: {threshold: 70, period: 60s, evaluation_periods: 1441}}]\n",
               "may not exceed one day", "1441 one-minute periods");
  expect_error("    capacity: {min: 1, max: 4}\n    stop_timeout: 200s\n", "stop_timeout",
               "a stop timeout above Fargate's 120 s");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    deployment: {minimum_healthy_percent: 100, maximum_percent: 100}\n",
               "not both 100", "a deployment configuration that cannot replace any task");
  expect_error("    capacity: {min: 1, max: 4}\n    scheduled_actions: [{at: 1h}]\n",
               "set min, max or both", "a scheduled action that sets nothing");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: predictive, target: 50}]\n",
               "missing required key 'metric_pair'", "a predictive policy without its pair");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: predictive, metric_pair: ALBRequestCount}]\n",
               "missing required key 'target'", "a predictive policy without a target");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: predictive, metric_pair: ALBRequestCount, target: 9,"
               " scheduling_buffer: 1h}]\n",
               "less than the forecast interval of 3600 s", "SchedulingBufferTime of an hour");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: predictive, metric_pair: ALBRequestCount, target: 9,"
               " max_capacity_buffer: 10}]\n",
               "applies only with max_capacity_breach: IncreaseMaxCapacity",
               "MaxCapacityBuffer with HonorMaxCapacity (AAS-API: cannot be used otherwise)");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: predictive, metric_pair: ALBRequestCount, target: 9,"
               " max_capacity_breach: IncreaseMaxCapacity}]\n",
               "max_capacity_buffer is required",
               "IncreaseMaxCapacity without MaxCapacityBuffer (AAS-API: required)");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: predictive, metric_pair: ALBRequestCount, target: 9,"
               " scale_in_cooldown: 60s}]\n",
               "'scale_in_cooldown' does not apply to a policy of kind predictive",
               "a target tracking key on a predictive policy");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: target_tracking, target: 50, mode: ForecastAndScale}]\n",
               "'mode' does not apply to a policy of kind target_tracking",
               "a predictive key on a target tracking policy");
  expect_error("    capacity: {min: 1, max: 4}\n"
               "    policies: [{kind: predictive, metric_pair: ALBRequestCount, target: 9,"
               " mode: ForecastAndScale},\n"
               "               {kind: predictive, metric_pair: ECSServiceCPUUtilization,"
               " target: 50, mode: ForecastAndScale}]\n",
               "only one predictive policy may be in ForecastAndScale",
               "two predictive policies scaling");
}

/* --- import ------------------------------------------------------------------ */

static const char *policies_json =
    "{\n"
    "  \"ScalingPolicies\": [\n"
    "    {\n"
    "      \"PolicyARN\": \"arn:aws:autoscaling:us-east-1:123:scalingPolicy:1:resource/ecs/"
    "service/c/web:policyName/cpu60\",\n"
    "      \"PolicyName\": \"cpu60\",\n"
    "      \"ServiceNamespace\": \"ecs\",\n"
    "      \"ResourceId\": \"service/c/web\",\n"
    "      \"ScalableDimension\": \"ecs:service:DesiredCount\",\n"
    "      \"PolicyType\": \"TargetTrackingScaling\",\n"
    "      \"TargetTrackingScalingPolicyConfiguration\": {\n"
    "        \"TargetValue\": 60.0,\n"
    "        \"PredefinedMetricSpecification\": {\"PredefinedMetricType\": "
    "\"ECSServiceAverageCPUUtilization\"},\n"
    "        \"ScaleOutCooldown\": 120,\n"
    "        \"DisableScaleIn\": true\n"
    "      },\n"
    "      \"Alarms\": [{\"AlarmName\": \"TargetTracking-service/c/web-AlarmHigh-1\"}]\n"
    "    },\n"
    "    {\n"
    "      \"PolicyARN\": \"arn:step\",\n"
    "      \"PolicyName\": \"step-out\",\n"
    "      \"ServiceNamespace\": \"ecs\",\n"
    "      \"ResourceId\": \"service/c/web\",\n"
    "      \"PolicyType\": \"StepScaling\",\n"
    "      \"StepScalingPolicyConfiguration\": {\n"
    "        \"AdjustmentType\": \"ChangeInCapacity\",\n"
    "        \"StepAdjustments\": [\n"
    "          {\"MetricIntervalLowerBound\": 0.0, \"MetricIntervalUpperBound\": 15.0, "
    "\"ScalingAdjustment\": 1},\n"
    "          {\"MetricIntervalLowerBound\": 15.0, \"MetricIntervalUpperBound\": 25.0, "
    "\"ScalingAdjustment\": 2},\n"
    "          {\"MetricIntervalLowerBound\": 25.0, \"ScalingAdjustment\": 3}\n"
    "        ],\n"
    "        \"Cooldown\": 60,\n"
    "        \"MetricAggregationType\": \"Average\"\n"
    "      },\n"
    "      \"Alarms\": [{\"AlarmName\": \"Step-Scaling-AlarmHigh-ECS:service/c/web\"}]\n"
    "    },\n"
    "    {\n"
    "      \"PolicyName\": \"other\",\n"
    "      \"ServiceNamespace\": \"ecs\",\n"
    "      \"ResourceId\": \"service/c/api\",\n"
    "      \"PolicyType\": \"TargetTrackingScaling\",\n"
    "      \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 1000,\n"
    "        \"PredefinedMetricSpecification\": {\"PredefinedMetricType\": "
    "\"ALBRequestCountPerTarget\", \"ResourceLabel\": \"app/x/1/targetgroup/y/2\"}}\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* A predictive policy as describe-scaling-policies prints it (AAS-API
 * PredictiveScalingPolicyConfiguration; botocore service-2.json shapes). */
static const char *predictive_json =
    "{\"ScalingPolicies\": [\n"
    "  {\"PolicyName\": \"forecast-cpu\", \"ServiceNamespace\": \"ecs\",\n"
    "   \"ResourceId\": \"service/c/web\", \"ScalableDimension\": \"ecs:service:DesiredCount\",\n"
    "   \"PolicyType\": \"PredictiveScaling\",\n"
    "   \"PredictiveScalingPolicyConfiguration\": {\n"
    "     \"MetricSpecifications\": [{\"TargetValue\": 40.0,\n"
    "       \"PredefinedMetricPairSpecification\": {\"PredefinedMetricType\": "
    "\"ECSServiceCPUUtilization\"}}],\n"
    "     \"Mode\": \"ForecastAndScale\", \"SchedulingBufferTime\": 600,\n"
    "     \"MaxCapacityBreachBehavior\": \"IncreaseMaxCapacity\", \"MaxCapacityBuffer\": 10}},\n"
    "  {\"PolicyName\": \"forecast-alb\", \"ServiceNamespace\": \"ecs\",\n"
    "   \"ResourceId\": \"service/c/web\", \"PolicyType\": \"PredictiveScaling\",\n"
    "   \"PredictiveScalingPolicyConfiguration\": {\n"
    "     \"MetricSpecifications\": [{\"TargetValue\": 1000,\n"
    "       \"PredefinedLoadMetricSpecification\": {\"PredefinedMetricType\": "
    "\"TotalALBRequestCount\", \"ResourceLabel\": \"app/x/1/targetgroup/y/2\"},\n"
    "       \"PredefinedScalingMetricSpecification\": {\"PredefinedMetricType\": "
    "\"ALBRequestCountPerTarget\", \"ResourceLabel\": \"app/x/1/targetgroup/y/2\"}}]}}\n"
    "]}\n";

/* The CLI example alarm of AAS-STEP-CLI (OC-STEP-2). */
static const char *alarms_json =
    "{\"MetricAlarms\": [\n"
    "  {\"AlarmName\": \"Step-Scaling-AlarmHigh-ECS:service/c/web\",\n"
    "   \"AlarmActions\": [\"arn:step\"],\n"
    "   \"MetricName\": \"CPUUtilization\", \"Namespace\": \"AWS/ECS\",\n"
    "   \"Statistic\": \"Average\", \"Period\": 60, \"EvaluationPeriods\": 2,\n"
    "   \"Threshold\": 70.0, \"ComparisonOperator\": \"GreaterThanOrEqualToThreshold\",\n"
    "   \"Dimensions\": [{\"Name\": \"ClusterName\", \"Value\": \"c\"}]}\n"
    "], \"CompositeAlarms\": []}\n";

static char dir[64];

static const char *write_file(const char *name, const char *text) {
  static char paths[8][128];
  static int k;
  char *p = paths[k++ % 8];
  snprintf(p, 128, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  fputs(text, f);
  fclose(f);
  return p;
}

static void test_import(void) {
  snprintf(dir, sizeof dir, "/tmp/test_ecs_config_XXXXXX");
  SIM_ASSERT(mkdtemp(dir));
  const char *pol = write_file("policies.json", policies_json);
  const char *al = write_file("alarms.json", alarms_json);

  char yaml[1024];
  snprintf(yaml, sizeof yaml,
           "    capacity: {min: 2, max: 10}\n"
           "    import: {policies: %s, alarms: %s, resource_id: service/c/web}\n",
           pol, al);
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = load(yaml, &sc, &err);
  CHECK_INT(rc, 0, "the CLI's JSON imports (%s)", err.msg);
  if (!rc) {
    const ecs_cfg *c = cfg_of(sc);
    CHECK_INT((int)c->policies.n, 2, "the web service's two policies (api's skipped)");
    const ecs_policy_cfg *p = c->policies.items;
    CHECK_STR(p[0].name, "cpu60", "TT policy name");
    CHECK_INT(p[0].kind, ECS_KIND_TARGET_TRACKING, "TT policy kind");
    CHECK_REL(p[0].target, 60, 0, "TargetValue");
    CHECK_REL(p[0].scale_out_cooldown_s, 120, 0, "ScaleOutCooldown");
    CHECK_REL(p[0].scale_in_cooldown_s, 300, 0, "ScaleInCooldown absent: 300 s");
    CHECK(p[0].disable_scale_in, "DisableScaleIn");
    CHECK_INT(p[1].kind, ECS_KIND_STEP_SCALING, "step policy kind");
    CHECK_INT(p[1].adjustment_type, ECS_ADJ_CHANGE, "AdjustmentType");
    CHECK_INT((int)p[1].steps.n, 3, "three steps");
    const ecs_step_cfg *s = p[1].steps.items;
    CHECK(s[2].lower == 25 && isnan(s[2].upper) && s[2].adjustment == 3,
          "an absent MetricIntervalUpperBound is null");
    CHECK_REL(p[1].cooldown_s, 60, 0, "Cooldown");
    CHECK_REL(p[1].alarm.threshold, 70, 0, "OC-STEP-2 alarm threshold 70");
    CHECK_INT(p[1].alarm.evaluation_periods, 2, "OC-STEP-2 alarm: 2 evaluation periods");
    CHECK_INT(p[1].alarm.comparison, ECS_CMP_GE, "GreaterThanOrEqualToThreshold");
    CHECK_STR(p[1].alarm.name, "Step-Scaling-AlarmHigh-ECS:service/c/web", "alarm name");
  }
  scenario_free(sc);

  snprintf(yaml, sizeof yaml,
           "    capacity: {min: 2, max: 10}\n    import: {policies: %s, alarms: %s}\n", pol, al);
  CHECK(load(yaml, &sc, &err) != 0, "policies of two services need resource_id");
  CHECK_CONTAINS(err.msg, "import.resource_id", "the message says how to choose");
  scenario_free(sc);

  snprintf(yaml, sizeof yaml,
           "    capacity: {min: 2, max: 10}\n"
           "    import: {policies: %s, resource_id: service/c/web}\n", pol);
  CHECK(load(yaml, &sc, &err) != 0, "a step policy without import.alarms is rejected");
  CHECK_CONTAINS(err.msg, "needs its alarm", "the message names the missing alarms file");
  scenario_free(sc);

  const char *bad = write_file("bad.json", "{\"ScalingPolicies\": [ {\"PolicyName\": \"x\", ]");
  snprintf(yaml, sizeof yaml, "    capacity: {min: 2, max: 10}\n    import: {policies: %s}\n", bad);
  rc = load(yaml, &sc, &err);
  CHECK_INT(rc, SIM_EINPUT, "malformed JSON is an input error");
  CHECK_CONTAINS(err.msg, "bad.json:1:", "the message locates the JSON error");
  scenario_free(sc);

  const char *custom = write_file(
      "custom.json",
      "{\"ScalingPolicies\": [{\"PolicyName\": \"q\", \"ServiceNamespace\": \"ecs\","
      " \"PolicyType\": \"TargetTrackingScaling\", \"TargetTrackingScalingPolicyConfiguration\":"
      " {\"TargetValue\": 5, \"CustomizedMetricSpecification\": {\"MetricName\": \"Q\"}}}]}");
  snprintf(yaml, sizeof yaml, "    capacity: {min: 2, max: 10}\n    import: {policies: %s}\n",
           custom);
  CHECK(load(yaml, &sc, &err) != 0, "customized metrics are rejected");
  CHECK_CONTAINS(err.msg, "customized metrics are not modelled", "and the message says so");
  CHECK_CONTAINS(err.msg, "ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration",
                 "the message names the JSON path");
  scenario_free(sc);

  snprintf(yaml, sizeof yaml,
           "    capacity: {min: 2, max: 10}\n    import: {policies: %s/none.json}\n", dir);
  CHECK_INT(load(yaml, &sc, &err), SIM_EINPUT, "a missing file is an input error");
  CHECK_CONTAINS(err.msg, "none.json: cannot open", "the message names the file");
  scenario_free(sc);

  const char *pred = write_file("predictive.json", predictive_json);
  snprintf(yaml, sizeof yaml, "    capacity: {min: 2, max: 10}\n    import: {policies: %s}\n",
           pred);
  rc = load(yaml, &sc, &err);
  CHECK_INT(rc, 0, "PolicyType PredictiveScaling imports (%s)", err.msg);
  if (!rc) {
    const ecs_policy_cfg *p = cfg_of(sc)->policies.items;
    CHECK_INT((int)cfg_of(sc)->policies.n, 2, "two predictive policies");
    CHECK_STR(p[0].name, "forecast-cpu", "its name");
    CHECK_INT(p[0].kind, ECS_KIND_PREDICTIVE, "the kind predictive");
    CHECK_INT(p[0].metric_pair, ECS_PRED_PAIR_CPU, "PredefinedMetricPairSpecification");
    CHECK_REL(p[0].target, 40, 0, "TargetValue");
    CHECK_INT(p[0].mode, ECS_PRED_FORECAST_AND_SCALE, "Mode");
    CHECK_REL(p[0].scheduling_buffer_s, 600, 0, "SchedulingBufferTime");
    CHECK_INT(p[0].max_capacity_breach, ECS_PRED_INCREASE_MAX, "MaxCapacityBreachBehavior");
    CHECK_INT(p[0].max_capacity_buffer, 10, "MaxCapacityBuffer");
    CHECK_INT(p[1].metric_pair, ECS_PRED_PAIR_ALB_REQUESTS,
              "a load and a scaling metric of one pair are that pair");
    CHECK_INT(p[1].mode, ECS_PRED_FORECAST_ONLY, "absent Mode: ForecastOnly (AAS-API)");
    CHECK_REL(p[1].scheduling_buffer_s, 300, 0, "absent SchedulingBufferTime: 300 s (AAS-API)");
  }
  scenario_free(sc);
  const char *mixed = write_file(
      "mixed.json",
      "{\"ScalingPolicies\": [{\"PolicyName\": \"m\", \"PolicyType\": \"PredictiveScaling\","
      " \"PredictiveScalingPolicyConfiguration\": {\"MetricSpecifications\": [{\"TargetValue\": 5,"
      " \"PredefinedLoadMetricSpecification\": {\"PredefinedMetricType\":"
      " \"TotalALBRequestCount\"},"
      " \"PredefinedScalingMetricSpecification\": {\"PredefinedMetricType\": "
      "\"ECSServiceAverageCPUUtilization\"}}]}}]}");
  snprintf(yaml, sizeof yaml, "    capacity: {min: 2, max: 10}\n    import: {policies: %s}\n",
           mixed);
  CHECK(load(yaml, &sc, &err) != 0, "a load metric of one pair with another's scaling metric");
  CHECK_CONTAINS(err.msg, "is not modelled", "is refused with a message");
  CHECK_CONTAINS(err.msg, "PredictiveScalingPolicyConfiguration.MetricSpecifications[0]",
                 "naming the JSON path");
  scenario_free(sc);

  unlink(pol);
  unlink(al);
  unlink(bad);
  unlink(custom);
  unlink(pred);
  unlink(mixed);
  rmdir(dir);
}

/* `aws application-autoscaling describe-scheduled-actions --service-namespace
 * ecs` for two services, timestamps as the CLI prints them (ISO 8601 with an
 * offset) and as epoch seconds (cli_timestamp_format none). */
static const char *schedules_json =
    "{\"ScheduledActions\": [\n"
    " {\"ScheduledActionName\": \"weekday-morning\",\n"
    "  \"ScheduledActionARN\": \"arn:aws:autoscaling:eu-central-1:123456789012:scheduledAction:"
    "1:resource/ecs/service/c/web:scheduledActionName/weekday-morning\",\n"
    "  \"ServiceNamespace\": \"ecs\", \"Schedule\": \"cron(30 7 ? * MON-FRI *)\",\n"
    "  \"Timezone\": \"Europe/Berlin\", \"ResourceId\": \"service/c/web\",\n"
    "  \"ScalableDimension\": \"ecs:service:DesiredCount\",\n"
    "  \"StartTime\": \"2026-05-01T02:00:00+02:00\", \"EndTime\": 1798761600.0,\n"
    "  \"ScalableTargetAction\": {\"MinCapacity\": 10, \"MaxCapacity\": 20},\n"
    "  \"CreationTime\": \"2026-04-20T10:00:00.123000+02:00\"},\n"
    " {\"ScheduledActionName\": \"hourly\", \"ServiceNamespace\": \"ecs\",\n"
    "  \"Schedule\": \"rate(1 hour)\", \"Timezone\": \"UTC\", \"ResourceId\": \"service/c/web\",\n"
    "  \"ScalableDimension\": \"ecs:service:DesiredCount\",\n"
    "  \"ScalableTargetAction\": {\"MinCapacity\": 3},\n"
    "  \"CreationTime\": \"2026-04-30T23:30:00+00:00\"},\n"
    " {\"ScheduledActionName\": \"api-once\", \"ServiceNamespace\": \"ecs\",\n"
    "  \"Schedule\": \"at(2026-06-01T08:00:00)\", \"ResourceId\": \"service/c/api\",\n"
    "  \"ScalableDimension\": \"ecs:service:DesiredCount\",\n"
    "  \"ScalableTargetAction\": {\"MaxCapacity\": 5}}\n"
    "]}\n";

/* Loads head with start_time (when given) and the platform keys. */
static int load_at(const char *start_time, const char *platform_yaml, scenario **sc,
                   sim_error *err) {
  char text[8192];
  snprintf(text, sizeof text, "%s%s", start_time ? start_time : "", head);
  snprintf(text + strlen(text), sizeof text - strlen(text), "%s", platform_yaml);
  sim_error_clear(err);
  return scenario_load_text("t.yaml", text, strlen(text), NULL, 0, sc, err);
}

static void test_import_schedules(void) {
  snprintf(dir, sizeof dir, "/tmp/test_ecs_config_XXXXXX");
  SIM_ASSERT(mkdtemp(dir));
  const char *path = write_file("schedules.json", schedules_json);
  char yaml[1024];
  snprintf(yaml, sizeof yaml,
           "    capacity: {min: 2, max: 10}\n"
           "    scheduled_actions: [{at: 1h, min: 4}]\n"
           "    import: {scheduled_actions: %s, resource_id: service/c/web}\n",
           path);
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = load_at("start_time: 2026-05-01T00:00:00Z\n", yaml, &sc, &err);
  CHECK_INT(rc, 0, "describe-scheduled-actions imports (%s)", err.msg);
  if (!rc) {
    const ecs_cfg *c = cfg_of(sc);
    CHECK_INT((int)c->scheduled_actions.n, 3, "the scenario's action and web's two");
    const ecs_schedule_cfg *a = c->scheduled_actions.items;
    CHECK_STR(a[1].name, "weekday-morning", "ScheduledActionName");
    CHECK_STR(a[1].schedule, "cron(30 7 ? * MON-FRI *)", "Schedule, as it is");
    CHECK_STR(a[1].timezone, "Europe/Berlin", "Timezone");
    CHECK_STR(a[1].start, "2026-05-01T00:00:00Z", "StartTime (ISO 8601 with an offset)");
    CHECK_STR(a[1].end, "2027-01-01T00:00:00Z", "EndTime (epoch seconds)");
    CHECK(a[1].created == NULL, "a cron's CreationTime is not needed");
    CHECK(a[1].min == 10 && a[1].max == 20, "ScalableTargetAction");
    CHECK_STR(a[2].schedule, "rate(1 hour)", "the rate's Schedule");
    CHECK(a[2].timezone == NULL, "Timezone is for at and cron expressions only (AAS-API)");
    CHECK_STR(a[2].created, "2026-04-30T23:30:00Z", "a rate counts from its CreationTime");
    CHECK(a[2].min == 3 && a[2].max == -1, "MinCapacity only");
  }
  scenario_free(sc);

  rc = load_at(NULL, yaml, &sc, &err);
  CHECK_INT(rc, SIM_ESCENARIO, "imported calendar actions on a generator need start_time");
  CHECK_CONTAINS(err.msg, "platforms[0].scheduled_actions[1].schedule: a cron schedule needs "
                          "the calendar time of t = 0: set start_time",
                 "the message names the imported action");
  scenario_free(sc);

  snprintf(yaml, sizeof yaml,
           "    capacity: {min: 2, max: 10}\n    import: {scheduled_actions: %s}\n", path);
  CHECK(load_at("start_time: 2026-05-01T00:00:00Z\n", yaml, &sc, &err) != 0,
        "actions of two services need resource_id");
  CHECK_CONTAINS(err.msg, "scheduled actions of several services", "and say so");
  scenario_free(sc);

  struct {
    const char *json, *needle, *what;
  } bad[] = {
      {"{\"ScheduledActions\": [{\"Schedule\": \"cron(0 8 LW * ? *)\","
       " \"ScalableTargetAction\": {\"MinCapacity\": 1}}]}",
       "ScheduledActions[0].Schedule: cron field 3 (day-of-month) 'LW'",
       "an unsupported cron names the JSON path and the field"},
      {"{\"ScheduledActions\": [{\"Schedule\": \"cron(0 8 * * ? *)\", \"Timezone\": \"Mars/X\","
       " \"ScalableTargetAction\": {\"MinCapacity\": 1}}]}",
       "ScheduledActions[0].Timezone: unknown time zone 'Mars/X'", "an unknown Timezone"},
      {"{\"ScheduledActions\": [{\"Schedule\": \"cron(0 8 * * ? *)\","
       " \"ScalableTargetAction\": {}}]}",
       "sets neither MinCapacity nor MaxCapacity", "an action that sets nothing"},
      {"{\"ScheduledActions\": [{\"Schedule\": \"cron(0 8 * * ? *)\", \"StartTime\": \"soon\","
       " \"ScalableTargetAction\": {\"MinCapacity\": 1}}]}",
       "ScheduledActions[0].StartTime: expected an ISO 8601 time or epoch seconds",
       "a StartTime that is no time"},
      {"{\"ScheduledActions\": [{\"Schedule\": \"cron(0 8 * * ? *)\", \"ScalableDimension\":"
       " \"dynamodb:table:ReadCapacityUnits\", \"ScalableTargetAction\": {\"MinCapacity\": 1}}]}",
       "not an ECS service's DesiredCount", "another service's action"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *f = write_file("bad_schedules.json", bad[i].json);
    snprintf(yaml, sizeof yaml,
             "    capacity: {min: 2, max: 10}\n    import: {scheduled_actions: %s}\n", f);
    CHECK(load_at("start_time: 2026-05-01T00:00:00Z\n", yaml, &sc, &err) != 0, "%s: refused",
          bad[i].what);
    CHECK_CONTAINS(err.msg, bad[i].needle, "%s: the message", bad[i].what);
    scenario_free(sc);
    unlink(f);
  }
  unlink(path);
  rmdir(dir);
}

/* A configuration built in code is checked by the model too. */
static void test_validate(void) {
  ecs_cfg c;
  sim_error err = {0};
  CHECK_INT(cfg_defaults(&ecs_cfg_schema, &c, &err), 0, "defaults apply");
  c.capacity = (ecs_capacity_cfg){.min = 1, .max = 3, .initial = -1};
  CHECK_INT(ecs_cfg_validate(&c, &err), 0, "the defaults are valid (%s)", err.msg);
  c.metrics.period_s = 45;
  CHECK_INT(ecs_cfg_validate(&c, &err), SIM_ESCENARIO, "a 45 s metric period is rejected");
  CHECK_CONTAINS(err.msg, "must divide 60", "metric period message");
  c.metrics.period_s = 20;
  CHECK_INT(ecs_cfg_validate(&c, &err), 0, "20 s high-resolution metrics are valid");
  c.task.check_fargate_size = true;
  c.task.vcpu = 3;
  CHECK_INT(ecs_cfg_validate(&c, &err), SIM_ESCENARIO, "3 vCPU is no Fargate size");
  c.task.check_fargate_size = false;
  CHECK_INT(ecs_cfg_validate(&c, &err), 0, "unless the size check is off");
  cfg_free(&ecs_cfg_schema, &c);
}

int main(void) {
  check_init();
  test_full();
  test_predictive_keys();
  test_errors();
  test_import();
  test_import_schedules();
  test_validate();
  return check_done();
}
