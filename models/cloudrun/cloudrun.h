/* cloudrun.h — the Google Cloud Run service model, kind "cloudrun" (spec
 * cloudrun.md Part A; docs/models/cloudrun.md): instances with concurrency
 * slots, the service's pending queue with on-demand instance starts, Cloud
 * Run's metrics-based autoscaler or the exact Knative Pod Autoscaler, cold
 * starts with startup CPU boost, request timeouts, and both billing modes.
 *
 * The config struct is public so that tests and tools can build one in code
 * (cfg_defaults(&crun_schema, &cfg, err), then set fields). Every default is
 * the spec's; every rule the spec marks [derived] is a named field here. */
#ifndef CRUN_CLOUDRUN_H
#define CRUN_CLOUDRUN_H

#include <stdbool.h>

#include "models/cloudrun/billing.h"
#include "models/cloudrun/kpa_config.h"
#include "models/platform.h"
#include "workloads/dist.h"

typedef enum crun_autoscaler_kind { CRUN_AUTOSCALER_CLOUDRUN = 0, CRUN_AUTOSCALER_KPA } crun_autoscaler_kind;
typedef enum crun_generation { CRUN_GEN1 = 0, CRUN_GEN2 } crun_generation;
typedef enum crun_routing {
  CRUN_ROUTE_LEAST_LOADED = 0, /* the ready instance with the fewest requests */
  CRUN_ROUTE_FILL_BUSIEST,     /* the ready instance with the most requests that has room */
  CRUN_ROUTE_ROUND_ROBIN,
  CRUN_ROUTE_RANDOM
} crun_routing;
/* Which instances take new requests while the service has more than it needs
 * (cloudrun autoscaler only; the KPA removes pods itself, §B.7). */
typedef enum crun_scale_in {
  CRUN_SCALE_IN_DRAIN_EXCESS = 0, /* instances beyond max(min, desired) get overflow only */
  CRUN_SCALE_IN_IDLE_ONLY         /* every ready instance is routed alike */
} crun_scale_in;

/* Scenario spellings, in enum order, NULL-terminated. */
extern const char *const crun_autoscaler_names[];
extern const char *const crun_generation_names[];
extern const char *const crun_routing_names[];
extern const char *const crun_scale_in_names[];

/* What one execution environment changes [derived: Google publishes no
 * numbers, spec §A.4]. */
typedef struct crun_gen_cfg {
  double cold_start_factor; /* multiplies the platform part of a cold start */
  double cpu_speed;         /* CPU speed factor while serving and starting */
} crun_gen_cfg;

/* Cold start = platform_delay x cold_start_factor + application init, the
 * init running on min(1, vCPU / init_threads) of a CPU at the generation's
 * speed, boosted vCPU included (spec §A.4 [derived]). */
typedef struct crun_startup_cfg {
  double platform_delay_s; /* infrastructure part ("a few 100ms") */
  wl_dist init;            /* application init time at 1 vCPU */
  int init_threads;        /* parallelism of the init */
} crun_startup_cfg;

typedef struct crun_instance_cfg {
  double vcpu;              /* 0.08 .. 8; below 1: concurrency 1, request billing, gen1 */
  double memory_mib;
  int max_concurrency;      /* containerConcurrency, 1 .. 1000 */
  int execution_environment; /* crun_generation */
  crun_gen_cfg gen1, gen2;
  crun_startup_cfg startup;
  bool startup_boost;       /* startup CPU boost (§A.4 table) */
  double boost_after_ready_s; /* the boost lasts this long after the start (10 s) */
  double request_timeout_s; /* 504 after this (300 s, up to 3600 s) */
  double shutdown_s;        /* time the container takes to exit after SIGTERM */
  double sigterm_grace_s;   /* SIGKILL this long after SIGTERM (10 s) */
  double base_memory_mib, memory_per_request_mib;
} crun_instance_cfg;

typedef struct crun_scaling_cfg {
  int min_instances;
  int max_instances;
  double idle_retention_s;       /* idle instances beyond the need stop after this */
  int autoscaler;                /* crun_autoscaler_kind */
  int routing;                   /* crun_routing */
  int scale_in;                  /* crun_scale_in [derived] */
  double concurrency_target_pct; /* concurrency driver target; 0 = off */
  double cpu_target_pct;         /* CPU driver target; 0 = off */
  double metrics_window_s;       /* averaging window of both drivers (60 s) */
  double eval_period_s;          /* autoscaler evaluation period (5 s) */
  bool on_demand;                /* start an instance for pending requests [derived] */
} crun_scaling_cfg;

typedef struct crun_pending_cfg {
  int rule;                      /* crun_pending_rule */
} crun_pending_cfg;

typedef struct crun_import_cfg {
  char *service;                 /* gcloud run services describe --format export */
  char *config_autoscaler;       /* a Knative config-autoscaler ConfigMap */
} crun_import_cfg;

typedef struct crun_cfg {
  crun_instance_cfg instance;
  crun_scaling_cfg scaling;
  crun_pending_cfg pending;
  kpa_config kpa;
  crun_billing_cfg billing;      /* its `prices` member is filled from `prices` */
  crun_prices prices;
  crun_import_cfg import;
} crun_cfg;

extern const cfg_schema crun_schema;
extern const platform_type platform_cloudrun;

/* The boosted vCPU for a configured vCPU (§A.4 table: 0-1 -> 2, 2 -> 4,
 * 4 -> 8, 6 -> 8, 8 -> 8), i.e. min(8, max(2, 2 x vcpu)). */
double crun_boosted_vcpu(double vcpu);

/* Checks a config built in code (the schema checks scenario files). */
int crun_cfg_validate(const crun_cfg *c, sim_error *err);

/* import.c: applies a config-autoscaler ConfigMap and then a `gcloud run
 * services describe --format export` file to c, each when its path is
 * non-NULL (the Service's annotations override the ConfigMap's defaults, as
 * in Knative). Only keys for which is_default(arg, key path relative to the
 * platform) is true are changed, so explicit scenario keys win (is_default
 * NULL: all may change). Unreadable or malformed files give SIM_EINPUT with
 * "file:line:col: what"; values out of range SIM_ESCENARIO. */
int crun_import(crun_cfg *c, const char *service_path, const char *configmap_path,
                bool (*is_default)(void *arg, const char *key), void *arg, sim_error *err);

#endif
