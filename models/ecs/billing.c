/* billing.c — Fargate billing arithmetic (spec §10; see billing.h). */
#include "models/ecs/billing.h"

#include <math.h>

#include "sim/error.h"

const char *const ecs_arch_names[] = {"x86", "arm", NULL};

double ecs_billed_seconds(double runtime_s, double minimum_s) {
  SIM_ASSERT(runtime_s >= 0);
  double s = ceil(runtime_s - 1e-9);
  return s > minimum_s ? s : minimum_s;
}

double ecs_task_rate_per_s(const ecs_prices *p, ecs_arch arch, bool spot, double vcpu,
                           double memory_gb) {
  double per_vcpu = arch == ECS_ARCH_ARM ? p->arm_vcpu_per_hour : p->x86_vcpu_per_hour;
  double per_gb = arch == ECS_ARCH_ARM ? p->arm_gb_per_hour : p->x86_gb_per_hour;
  double hourly = vcpu * per_vcpu + memory_gb * per_gb;
  if (spot) hourly *= p->spot_factor;
  return hourly / 3600.0;
}

double ecs_task_cost(const ecs_prices *p, ecs_arch arch, bool spot, double vcpu,
                     double memory_gb, double runtime_s) {
  return ecs_task_rate_per_s(p, arch, spot, vcpu, memory_gb) *
         ecs_billed_seconds(runtime_s, p->minimum_s);
}
