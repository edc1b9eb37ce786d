/* billing.h — Fargate task billing (spec §10; https://aws.amazon.com/fargate/pricing/).
 *
 * A task is billed per vCPU and per GB of memory, from the start of its image
 * download until it terminates, rounded up to the nearest second, with a
 * one-minute minimum (Linux). Fargate Spot is the on-demand price times a
 * discount factor. Prices are scenario parameters; the defaults are
 * us-east-1 Linux on-demand. */
#ifndef ECS_BILLING_H
#define ECS_BILLING_H

#include <stdbool.h>

typedef enum ecs_arch { ECS_ARCH_X86 = 0, ECS_ARCH_ARM } ecs_arch;
extern const char *const ecs_arch_names[]; /* "x86", "arm", NULL */

typedef struct ecs_prices {
  double x86_vcpu_per_hour; /* $0.04048 */
  double x86_gb_per_hour;   /* $0.004445 */
  double arm_vcpu_per_hour; /* $0.03238 */
  double arm_gb_per_hour;   /* $0.00356 */
  double spot_factor;       /* Spot price / on-demand price: 0.30 ("up to 70 % off") */
  double minimum_s;         /* minimum billed time: 60 s (Linux) */
} ecs_prices;

/* Billed seconds for a runtime: max(minimum, runtime rounded up to the
 * second). Floating-point noise below a nanosecond does not round up. */
double ecs_billed_seconds(double runtime_s, double minimum_s);

/* USD per second of one task. memory_gb is in GB as Fargate sizes them
 * (1 GB = 1024 MiB). */
double ecs_task_rate_per_s(const ecs_prices *p, ecs_arch arch, bool spot, double vcpu,
                           double memory_gb);

/* What a task that has run runtime_s seconds owes in total (OC-COST). */
double ecs_task_cost(const ecs_prices *p, ecs_arch arch, bool spot, double vcpu,
                     double memory_gb, double runtime_s);

#endif
