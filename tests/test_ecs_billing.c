/* test_ecs_billing.c — Fargate billing arithmetic (models/ecs/billing.c),
 * OC-COST of spec §14. */
#include "models/ecs/billing.h"
#include "tests/check.h"

static const ecs_prices us_east_1 = {.x86_vcpu_per_hour = 0.04048,
                                     .x86_gb_per_hour = 0.004445,
                                     .arm_vcpu_per_hour = 0.03238,
                                     .arm_gb_per_hour = 0.00356,
                                     .spot_factor = 0.30,
                                     .minimum_s = 60};

int main(void) {
  check_init();
  CHECK_REL(ecs_billed_seconds(45, 60), 60, 0, "OC-COST 1: 45 s bills the 60 s minimum");
  CHECK_REL(ecs_task_cost(&us_east_1, ECS_ARCH_X86, false, 1, 2, 45), 0.000822833, 1e-6,
            "OC-COST 1: 1 vCPU 2 GB x86 for 45 s = $0.000822833");
  CHECK_REL(ecs_billed_seconds(61.2, 60), 62, 0, "OC-COST 2: 61.2 s rounds up to 62 s");
  CHECK_REL(ecs_task_cost(&us_east_1, ECS_ARCH_X86, false, 1, 2, 61.2), 0.000850261, 1e-6,
            "OC-COST 2: $0.000850261");
  CHECK_REL(ecs_task_cost(&us_east_1, ECS_ARCH_X86, false, 0.25, 0.5, 86400), 0.29622, 1e-6,
            "OC-COST 3: 0.25 vCPU 0.5 GB for 24 h = $0.29622");
  double arm = ecs_task_cost(&us_east_1, ECS_ARCH_ARM, false, 1, 2, 3600);
  double x86 = ecs_task_cost(&us_east_1, ECS_ARCH_X86, false, 1, 2, 3600);
  CHECK_REL(arm, 0.03950, 1e-6, "OC-COST 4: 1 vCPU 2 GB ARM for 1 h = $0.03950");
  CHECK_REL(arm / x86, 0.8001, 1e-4, "OC-COST 4: ARM = 0.8001 x86");
  CHECK_REL(ecs_task_cost(&us_east_1, ECS_ARCH_X86, true, 1, 2, 3600), 0.3 * x86, 1e-12,
            "Fargate Spot = spot_factor x on-demand");
  CHECK_REL(ecs_billed_seconds(60.0000000001, 60), 60, 0,
            "floating-point noise does not bill an extra second");
  CHECK_REL(ecs_billed_seconds(120, 60), 120, 0, "whole seconds bill as they are");
  CHECK_REL(ecs_task_rate_per_s(&us_east_1, ECS_ARCH_X86, false, 1, 0), 0.000011244, 1e-3,
            "x86: $0.000011244 per vCPU-second (pricing page)");
  return check_done();
}
