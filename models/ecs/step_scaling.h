/* step_scaling.h — Application Auto Scaling step scaling (spec §6).
 *
 * A step policy maps the aggregated metric, relative to its alarm's threshold,
 * to a step adjustment (AAS-STEP, AAS-API `StepAdjustment`): bounds are
 * offsets from the threshold; above the threshold the lower bound is inclusive
 * and the upper exclusive, below it the other way round; a null bound is
 * infinite. The adjustment is applied to the current capacity as
 * ChangeInCapacity, PercentChangeInCapacity (with AWS's rounding and
 * MinAdjustmentMagnitude) or ExactCapacity (spec §6.4). Cooldowns and the
 * combination with other policies are in scaling.h. */
#ifndef ECS_STEP_SCALING_H
#define ECS_STEP_SCALING_H

#include <stdbool.h>
#include <stddef.h>

#include "models/ecs/alarm.h"
#include "models/ecs/scaling.h"
#include "sim/error.h"

typedef enum ecs_adjustment_type {
  ECS_ADJ_CHANGE = 0, /* ChangeInCapacity */
  ECS_ADJ_PERCENT,    /* PercentChangeInCapacity */
  ECS_ADJ_EXACT       /* ExactCapacity */
} ecs_adjustment_type;
extern const char *const ecs_adjustment_type_names[]; /* AWS spellings, NULL-terminated */

/* The most step adjustments one policy may have (AAS-QUOTA, spec §2). */
enum { ECS_MAX_STEPS = 20 };

typedef struct ecs_step {
  double lower;   /* MetricIntervalLowerBound, relative to the threshold; NaN = null */
  double upper;   /* MetricIntervalUpperBound; NaN = null */
  int adjustment; /* ScalingAdjustment */
} ecs_step;

/* Validates a step table as PutScalingPolicy does (AAS-API, spec §6.3): 1 to 20
 * steps; not both bounds null in a step; upper > lower; at most one null lower
 * and one null upper bound; a negative lower bound requires a step with a null
 * lower bound and a positive upper bound one with a null upper bound; no
 * overlaps and no gaps; ExactCapacity adjustments >= 0; MinAdjustmentMagnitude
 * >= 0 and only with PercentChangeInCapacity. Returns 0, or SIM_ESCENARIO with
 * a message naming the offending steps, prefixed by `what`. */
int ecs_step_validate(const ecs_step *steps, size_t n, ecs_adjustment_type type,
                      int min_adjustment_magnitude, const char *what, sim_error *err);

/* Index of the step whose interval holds metric value m for an alarm with
 * `threshold`, or -1 when none does. `at_threshold_above` says which
 * inclusivity applies when m equals the threshold exactly (the docs are silent
 * [I]): true for alarms that breach upwards (Greater*), false for Less*. */
int ecs_step_find(const ecs_step *steps, size_t n, double threshold, double m,
                  bool at_threshold_above);

/* AWS's rounding of a non-integral PercentChangeInCapacity delta (spec §6.4,
 * OC-ROUND): > 1 rounds down, (0, 1) gives 1, (-1, 0) gives -1, < -1 rounds
 * towards zero. Integral deltas are returned as they are. */
int ecs_round_percent_delta(double delta);

/* The capacity an adjustment asks for, from `current` (spec §6.4, OC-ADJ).
 * min_adjustment_magnitude (0 = unset) applies to PercentChangeInCapacity.
 * Not clamped to the scalable target's bounds (the caller does that); never
 * below 0. */
int ecs_step_apply(ecs_adjustment_type type, int current, int adjustment,
                   int min_adjustment_magnitude);

/* A step scaling policy (StepScalingPolicyConfiguration, spec §6.2). */
typedef struct ecs_step_policy {
  const char *name;
  ecs_adjustment_type type;
  const ecs_step *steps; /* validated with ecs_step_validate; borrowed */
  size_t n_steps;
  int min_adjustment_magnitude; /* 0 = unset */
  double cooldown_s;            /* Cooldown: 300 s when not specified (AAS-API) */
  ecs_agg aggregation;          /* MetricAggregationType: Average when null (AAS-API) */
} ecs_step_policy;

/* The proposal of a step policy invoked by its alarm (in ALARM) with the
 * aggregated metric m, from capacity `base` (ecs_scaler_base): the matching
 * step's adjustment applied to base. A step adjustment > 0 asks to scale out,
 * < 0 to scale in; ExactCapacity by comparison with base. With no matching
 * step or a zero adjustment the proposal carries a not-scaled reason. */
void ecs_step_propose(const ecs_step_policy *sp, const ecs_alarm_cfg *alarm, double m,
                      int base, const char *metric, ecs_proposal *out);

#endif
