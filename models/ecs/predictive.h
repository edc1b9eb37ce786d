/* predictive.h — Application Auto Scaling predictive scaling for an ECS
 * service (PolicyType PredictiveScaling, spec §8.2): the forecaster and its
 * arithmetic, pure and testable without a service. service.c feeds the load
 * metric's datapoints in, asks for a forecast every 6 hours and acts on it
 * every hour through the scaler (ecs_scaler_forecast, scaling.h).
 *
 * Documented (AAS-PRED, AAS-API PredictiveScalingPolicyConfiguration):
 *  - a forecast needs at least 24 hours of metric data; it analyses up to the
 *    past 14 days and gives an hourly forecast of capacity for the next 48
 *    hours, updated every 6 hours;
 *  - the capacity for an hour is put in place SchedulingBufferTime (default
 *    300 s, less than 3600 s) before the hour starts;
 *  - it only scales out: "If the forecast expects a decrease in load,
 *    predictive scaling will not scale in"; ForecastOnly (the default mode)
 *    forecasts without scaling;
 *  - MaxCapacityBreachBehavior HonorMaxCapacity (default) keeps MaxCapacity;
 *    IncreaseMaxCapacity lets the effective maximum rise to the forecast
 *    capacity plus MaxCapacityBuffer percent of it (OC-PRED: buffer 10,
 *    forecast 50, max 40 -> 55);
 *  - a metric pair names a load metric and a scaling metric "and the policy
 *    automatically knows the correct sum and average statistics to use"
 *    (AAS-API PredictiveScalingMetricSpecification): ECSServiceCPUUtilization
 *    = ECSServiceTotalCPUUtilization (load) + ECSServiceAverageCPUUtilization
 *    (scaling), likewise for memory; ALBRequestCount = TotalALBRequestCount,
 *    "the number of requests the target group receives per minute" (load) +
 *    ALBRequestCountPerTarget, "the average number of requests per minute
 *    that task should ideally receive" (scaling; ECS
 *    predictive-scaling-create-policy). TargetValue is the scaling metric's.
 * Not documented, so chosen here ([I], scenario keys under `scaling`):
 *  - the forecasting method (AWS's is proprietary): for each future hour, the
 *    mean (or maximum, or most recent value) of the load at the same hour of
 *    the day over the days of history (ecs_pred_method);
 *  - an hour's load: the mean (or maximum) of the load datapoints of that
 *    hour (ecs_pred_hour_stat);
 *  - load to capacity: ceil(load / TargetValue). The load metric is the
 *    scaling metric summed over the tasks (total CPU or memory percent, one
 *    task at 100 % counting 100) or per minute (requests), so dividing by the
 *    per-task target gives tasks (ecs_pred_capacity). */
#ifndef ECS_PREDICTIVE_H
#define ECS_PREDICTIVE_H

enum {
  ECS_PRED_MIN_HOURS = 24,          /* data a first forecast needs (AAS-PRED) */
  ECS_PRED_HISTORY_HOURS = 14 * 24, /* history analysed: 14 days (AAS-PRED) */
  ECS_PRED_HORIZON_HOURS = 48,      /* hours forecast (AAS-PRED) */
  ECS_PRED_REFRESH_HOURS = 6        /* between forecasts (AAS-PRED) */
};

/* The predefined metric pairs for ECS services (AAS-API
 * PredictiveScalingPredefinedMetricPairSpecification). */
typedef enum ecs_pred_pair {
  ECS_PRED_PAIR_CPU = 0,    /* ECSServiceCPUUtilization */
  ECS_PRED_PAIR_MEMORY,     /* ECSServiceMemoryUtilization */
  ECS_PRED_PAIR_ALB_REQUESTS /* ALBRequestCount */
} ecs_pred_pair;
/* In enum order, NULL-terminated: the pairs' PredefinedMetricType, their
 * load metrics and their scaling metrics (AWS spellings). */
extern const char *const ecs_pred_pair_names[];
extern const char *const ecs_pred_load_names[];
extern const char *const ecs_pred_scaling_names[];

typedef enum ecs_pred_mode {
  ECS_PRED_FORECAST_ONLY = 0,
  ECS_PRED_FORECAST_AND_SCALE
} ecs_pred_mode;
extern const char *const ecs_pred_mode_names[]; /* "ForecastOnly", "ForecastAndScale" */

typedef enum ecs_pred_breach { ECS_PRED_HONOR_MAX = 0, ECS_PRED_INCREASE_MAX } ecs_pred_breach;
extern const char *const ecs_pred_breach_names[]; /* "HonorMaxCapacity", "IncreaseMaxCapacity" */

/* The forecast of an hour from the same hour of earlier days [I]. */
typedef enum ecs_pred_method {
  ECS_PRED_DAILY_MEAN = 0, /* their mean */
  ECS_PRED_DAILY_MAX,      /* their maximum */
  ECS_PRED_LAST_DAY        /* the most recent one */
} ecs_pred_method;
extern const char *const ecs_pred_method_names[]; /* "daily_mean", "daily_max", "last_day" */

/* An hour's load from its datapoints [I]. */
typedef enum ecs_pred_hour_stat {
  ECS_PRED_HOUR_AVERAGE = 0,
  ECS_PRED_HOUR_MAXIMUM
} ecs_pred_hour_stat;
extern const char *const ecs_pred_hour_stat_names[]; /* "average", "maximum" */

/* The hourly load history: a ring of ECS_PRED_HISTORY_HOURS hours (memory
 * fixed however long the run). Hour h covers [3600 h, 3600 (h + 1)) s. */
typedef struct ecs_pred_history ecs_pred_history;

/* A new, empty history whose hours aggregate their datapoints by `stat`.
 * Free with ecs_pred_history_free (NULL is a no-op). */
ecs_pred_history *ecs_pred_history_alloc(ecs_pred_hour_stat stat);
void ecs_pred_history_free(ecs_pred_history *h);

/* Adds one datapoint of the load metric, of the period starting at t_s >= 0,
 * to its hour. Datapoints may arrive late (published after a delay); one for
 * an hour 14 days older than the newest hour seen is dropped. O(1). */
void ecs_pred_observe(ecs_pred_history *h, double t_s, double load);

/* Hour `hour`'s load (NaN when it has no datapoint or is no longer kept). */
double ecs_pred_hour_load(const ecs_pred_history *h, long hour);

/* How many of the ECS_PRED_HISTORY_HOURS hours before hour `now_hour` have
 * data. */
int ecs_pred_hours_of_data(const ecs_pred_history *h, long now_hour);

/* The hourly load forecast made at the start of hour `now_hour`: out[i] for
 * hour now_hour + i, i < ECS_PRED_HORIZON_HOURS, from the same hour of the
 * earlier days among the 14 before now_hour by `method` (NaN when none of
 * them has data). Returns the hours of data in that history; when they are
 * fewer than ECS_PRED_MIN_HOURS there is no forecast (AAS-PRED) and out is
 * left untouched. O(48 x 14). */
int ecs_pred_forecast(const ecs_pred_history *h, long now_hour, ecs_pred_method method,
                      double out[ECS_PRED_HORIZON_HOURS]);

/* Capacity (tasks) for a forecast load: ceil(load / target) [I], rounding up
 * as AAS does when it adds capacity (a load a hair above a whole number of
 * targets by floating-point error does not count). 0 for a load <= 0, -1 for
 * NaN, at most 10^9 (the caller bounds it further). target > 0. */
int ecs_pred_capacity(double load, double target);

/* The effective MaxCapacity while a forecast capacity holds
 * (MaxCapacityBreachBehavior, AAS-API): HonorMaxCapacity keeps max_capacity;
 * IncreaseMaxCapacity gives max(max_capacity, ceil(capacity x (100 +
 * buffer_pct) / 100)) — OC-PRED: 50 with a buffer of 10 and Max 40 is 55.
 * buffer_pct in 0..100, integer arithmetic. */
int ecs_pred_max_capacity(int capacity, int max_capacity, ecs_pred_breach behavior,
                          int buffer_pct);

#endif
