/* test_ecs_metrics.c — CloudWatch datapoint arithmetic (models/ecs/metrics.c):
 * ECS utilisation (OC-METRIC), statistic sets, RequestCountPerTarget. */
#include <math.h>

#include "models/ecs/metrics.h"
#include "tests/check.h"

static void test_oc_metric(void) {
  /* Case 1: 512 CPU units reserved, 2048 used; 1024 MiB reserved, 512 used. */
  CHECK_REL(ecs_util_pct(2048, 512, 1), 400, 1e-12, "OC-METRIC 1: CPU 400 %%");
  CHECK_REL(ecs_util_pct(512, 1024, 1), 50, 1e-12, "OC-METRIC 1: memory 50 %%");
  /* Case 2: idle, 128 units and 128 MiB. */
  CHECK_REL(ecs_util_pct(128, 512, 1), 25, 1e-12, "OC-METRIC 2: CPU 25 %%");
  CHECK_REL(ecs_util_pct(128, 1024, 1), 12.5, 1e-12, "OC-METRIC 2: memory 12.5 %%");
  /* Case 3: the same arithmetic over a cluster's registered resources. */
  CHECK_REL(ecs_util_pct(10 * 1024, 18432, 1), 55.56, 1e-3, "OC-METRIC 3: CPU reservation 55.6 %%");
  CHECK_REL(ecs_util_pct(10 * 2048, 33926, 1), 60.37, 1e-3,
            "OC-METRIC 3: memory reservation 60.4 %%");
  /* Over a period: the same case accumulated from a task's consumption. */
  ecs_util_acc acc;
  ecs_util_acc_clear(&acc);
  ecs_util_acc_add(&acc, 2048 * 60.0, 512, 60);
  ecs_statset dp;
  ecs_util_acc_datapoint(&acc, &dp);
  CHECK_REL(ecs_statset_get(&dp, ECS_STAT_AVERAGE), 400, 1e-12,
            "OC-METRIC 1 over a 60 s period: CPU 400 %%");
}

static void test_service_formula(void) {
  ecs_util_acc acc;
  ecs_util_acc_clear(&acc);
  ecs_statset dp;
  ecs_util_acc_datapoint(&acc, &dp);
  CHECK(isnan(ecs_statset_get(&dp, ECS_STAT_AVERAGE)),
        "no RUNNING task: no datapoint (ECS-CWM)");
  /* Three 1-vCPU tasks for a whole minute using 30, 45 and 60 vCPU-s. */
  ecs_util_acc_add(&acc, 30, 1, 60);
  ecs_util_acc_add(&acc, 45, 1, 60);
  ecs_util_acc_add(&acc, 60, 1, 60);
  ecs_util_acc_datapoint(&acc, &dp);
  CHECK_REL(ecs_statset_get(&dp, ECS_STAT_AVERAGE), 100.0 * 135 / (1 * 3 * 60), 1e-12,
            "service CPU = 100 * used / (reserved * tasks)");
  CHECK_INT((int)ecs_statset_get(&dp, ECS_STAT_SAMPLE_COUNT), 3,
            "SampleCount = number of RUNNING tasks (ECS-CWM)");
  CHECK_REL(ecs_statset_get(&dp, ECS_STAT_MINIMUM), 50, 1e-12, "Minimum = least busy task");
  CHECK_REL(ecs_statset_get(&dp, ECS_STAT_MAXIMUM), 100, 1e-12, "Maximum = busiest task");
  /* A task that ran half the period weighs half. */
  ecs_util_acc_clear(&acc);
  ecs_util_acc_add(&acc, 60, 1, 60);
  ecs_util_acc_add(&acc, 0, 1, 30);
  ecs_util_acc_datapoint(&acc, &dp);
  CHECK_REL(ecs_statset_get(&dp, ECS_STAT_AVERAGE), 100.0 * 60 / 90, 1e-12,
            "a task running part of the period counts for the time it ran");
}

static void test_statsets(void) {
  ecs_statset a, b;
  ecs_statset_clear(&a);
  ecs_statset_clear(&b);
  ecs_statset_add(&a, 10);
  ecs_statset_add(&a, 20);
  ecs_statset_add(&b, 60);
  ecs_statset_merge(&a, &b);
  CHECK_REL(ecs_statset_get(&a, ECS_STAT_AVERAGE), 30, 1e-12, "merged Average");
  CHECK_REL(ecs_statset_get(&a, ECS_STAT_SUM), 90, 1e-12, "merged Sum");
  CHECK_REL(ecs_statset_get(&a, ECS_STAT_MINIMUM), 10, 1e-12, "merged Minimum");
  CHECK_REL(ecs_statset_get(&a, ECS_STAT_MAXIMUM), 60, 1e-12, "merged Maximum");
  CHECK_REL(ecs_statset_get(&a, ECS_STAT_SAMPLE_COUNT), 3, 1e-12, "merged SampleCount");
  ecs_statset_clear(&b);
  ecs_statset_merge(&a, &b);
  CHECK_REL(ecs_statset_get(&a, ECS_STAT_SAMPLE_COUNT), 3, 1e-12, "merging nothing is a no-op");
}

static void test_requests(void) {
  CHECK_REL(ecs_request_count_per_target(1200, 1200, 4), 300, 1e-12,
            "RequestCountPerTarget = requests / healthy targets");
  CHECK_REL(ecs_request_count_per_target(900, 900, 1.5), 600, 1e-12,
            "the denominator is the time-weighted mean of healthy targets");
  CHECK_REL(ecs_request_count_per_target(0, 75, 0), 75, 1e-12,
            "with no target the arrivals show the demand");
  CHECK_REL(ecs_request_count_per_target(0, 0, 3), 0, 1e-12, "no traffic: a real 0");
}

int main(void) {
  check_init();
  test_oc_metric();
  test_service_formula();
  test_statsets();
  test_requests();
  return check_done();
}
