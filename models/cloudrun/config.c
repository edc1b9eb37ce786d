/* config.c — the scenario schema of the `cloudrun` platform (see cloudrun.h):
 * every key, its default and range, and the source of each in its doc line
 * (spec cloudrun.md section ids). Rules the spec marks [derived] are named
 * keys whose doc says so. Cross-field rules and the `import:` files are
 * applied by the schema's check, after the keys are read. */
#include <libfyaml.h>
#include <math.h>
#include <stddef.h>

#include "models/cloudrun/cloudrun.h"
#include "models/cloudrun/kpa_window.h"
#include "models/cloudrun/pending.h"

const char *const crun_autoscaler_names[] = {"cloudrun", "kpa", NULL};
const char *const crun_generation_names[] = {"gen1", "gen2", NULL};
const char *const crun_routing_names[] = {"least_loaded", "fill_busiest", "round_robin",
                                          "random", NULL};
const char *const crun_scale_in_names[] = {"drain_excess", "idle_only", NULL};
static const char *const kpa_metric_names[] = {"concurrency", "rps", NULL};

#define GEN(m) offsetof(crun_gen_cfg, m)
static const cfg_field gen_fields[] = {
    {.key = "cold_start_factor", .type = CFG_NUMBER, .offset = GEN(cold_start_factor),
     .flags = CFG_POSITIVE, .def = "1",
     .doc = "multiplies the platform part of a cold start [derived: §A.4 says gen2 has "
            "\"longer cold start times ... for some services\" but gives no number]"},
    {.key = "cpu_speed", .type = CFG_NUMBER, .offset = GEN(cpu_speed), .flags = CFG_POSITIVE,
     .def = "1",
     .doc = "CPU speed factor [derived: §A.4 says gen2 has \"faster CPU\" but gives no number]"},
    {.key = NULL}};
static const cfg_schema gen_schema = {.name = "cloudrun execution environment",
                                      .size = sizeof(crun_gen_cfg), .fields = gen_fields};

#define STARTUP(m) offsetof(crun_startup_cfg, m)
static const cfg_field startup_fields[] = {
    {.key = "platform_delay", .type = CFG_DURATION, .offset = STARTUP(platform_delay_s),
     .def = "300ms", .min = 0, .max = INFINITY,
     .doc = "infrastructure part of a cold start: \"the infrastructure barely adds a few 100ms\" "
            "(§A.4, ahmetb/cloud-run-faq issue #74) [derived]"},
    {.key = "init", .type = CFG_MAP, .offset = STARTUP(init), .sub = &wl_dist_schema,
     .flags = CFG_FLOW, .def = "{dist: constant, value: 1s}",
     .doc = "application init time until it listens, at 1 vCPU (§A.4 [derived])"},
    {.key = "init_threads", .type = CFG_INT, .offset = STARTUP(init_threads), .def = "1",
     .min = 1, .max = 64,
     .doc = "parallelism of the init: it runs on min(1, vCPU / init_threads) of a CPU, so the "
            "startup boost speeds up an init that can use the extra vCPUs (§A.4 [derived])"},
    {.key = NULL}};
static const cfg_schema startup_schema = {.name = "cloudrun startup",
                                          .size = sizeof(crun_startup_cfg),
                                          .fields = startup_fields};

#define INST(m) offsetof(crun_instance_cfg, m)
static const cfg_field instance_fields[] = {
    {.key = "vcpu", .type = CFG_NUMBER, .offset = INST(vcpu), .def = "1", .min = 0.08, .max = 8,
     .doc = "vCPUs per instance: 0.08-1 in fractions, else 1, 2, 4, 6 or 8; below 1 forces "
            "concurrency 1, request-based billing and gen1 (§A.1, configuring/services/cpu)"},
    {.key = "memory", .type = CFG_SIZE, .offset = INST(memory_mib), .def = "512MiB", .min = 128,
     .max = 32768, .doc = "memory per instance, 128MiB-32GiB (Cloud Run default 512MiB)"},
    {.key = "max_concurrency", .type = CFG_INT, .offset = INST(max_concurrency), .def = "80",
     .min = 1, .max = 1000,
     .doc = "containerConcurrency: requests an instance serves at once, 1-1000, default 80 "
            "(§A.1, about-concurrency; 1 when vcpu < 1)"},
    {.key = "execution_environment", .type = CFG_ENUM, .offset = INST(execution_environment),
     .choices = crun_generation_names, .def = "gen1",
     .doc = "gen1 (gVisor) or gen2 (microVM) (§A.4, configuring/execution-environments; "
            "unspecified services get one picked by Cloud Run: gen1 here [derived])"},
    {.key = "gen1", .type = CFG_MAP, .offset = INST(gen1), .sub = &gen_schema, .flags = CFG_FLOW,
     .doc = "speed factors of the first generation"},
    {.key = "gen2", .type = CFG_MAP, .offset = INST(gen2), .sub = &gen_schema, .flags = CFG_FLOW,
     .doc = "speed factors of the second generation"},
    {.key = "startup", .type = CFG_MAP, .offset = INST(startup), .sub = &startup_schema,
     .doc = "cold start = platform_delay x cold_start_factor + init on the (boosted) CPU"},
    {.key = "startup_boost", .type = CFG_BOOL, .offset = INST(startup_boost), .def = "true",
     .doc = "startup CPU boost: 0-1 vCPU -> 2, 2 -> 4, 4 -> 8, 6 -> 8, 8 -> 8 during startup "
            "and boost_after_ready after it, billed at the boosted vCPU (§A.4; enabled by "
            "default for new services)"},
    {.key = "boost_after_ready", .type = CFG_DURATION, .offset = INST(boost_after_ready_s),
     .def = "10s", .min = 0, .max = INFINITY,
     .doc = "the boost lasts \"for 10 seconds after the instance has started\" (§A.4)"},
    {.key = "request_timeout", .type = CFG_DURATION, .offset = INST(request_timeout_s),
     .def = "300s", .min = 0.001, .max = 3600,
     .doc = "a request not done this long after arriving fails with 504; the instance is not "
            "terminated (§A.1, configuring/request-timeout)"},
    {.key = "shutdown_time", .type = CFG_DURATION, .offset = INST(shutdown_s), .def = "0s",
     .min = 0, .max = INFINITY,
     .doc = "time the container takes to exit after SIGTERM, billable (§A.4, §A.5) [derived]"},
    {.key = "sigterm_grace", .type = CFG_DURATION, .offset = INST(sigterm_grace_s),
     .def = "10s", .min = 0, .max = INFINITY,
     .doc = "SIGKILL this long after SIGTERM (§A.4, container-contract#lifecycle)"},
    {.key = "base_memory", .type = CFG_SIZE, .offset = INST(base_memory_mib), .def = "0",
     .doc = "memory in use by an idle instance"},
    {.key = "memory_per_request", .type = CFG_SIZE, .offset = INST(memory_per_request_mib),
     .def = "0", .doc = "additional memory in use per active request"},
    {.key = NULL}};
static const cfg_schema instance_schema = {.name = "cloudrun instance",
                                           .size = sizeof(crun_instance_cfg),
                                           .fields = instance_fields};

#define SCALE(m) offsetof(crun_scaling_cfg, m)
static const cfg_field scaling_fields[] = {
    {.key = "min_instances", .type = CFG_INT, .offset = SCALE(min_instances), .def = "0",
     .min = 0, .max = 100000,
     .doc = "instances kept even when idle, warm from the start; Knative min-scale under "
            "autoscaler: kpa (§A.1, vendor_settings.proto RevisionScaling)"},
    {.key = "max_instances", .type = CFG_INT, .offset = SCALE(max_instances), .def = "100",
     .min = 1, .max = 100000,
     .doc = "instances at most (\"server default value of 100\", §A.1); Knative max-scale "
            "under autoscaler: kpa"},
    {.key = "idle_retention", .type = CFG_DURATION, .offset = SCALE(idle_retention_s),
     .def = "15m", .min = 0, .max = INFINITY,
     .doc = "idle instances beyond the need are stopped after this long idle: \"up to 15 "
            "minutes\" (§A.2, about-instance-autoscaling; not configurable on Cloud Run)"},
    {.key = "autoscaler", .type = CFG_ENUM, .offset = SCALE(autoscaler),
     .choices = crun_autoscaler_names, .def = "cloudrun",
     .doc = "cloudrun: CPU and concurrency drivers (§A.2, §A.7); kpa: the Knative Pod "
            "Autoscaler exactly as its source (Part B), configured by `kpa`"},
    {.key = "routing", .type = CFG_ENUM, .offset = SCALE(routing), .choices = crun_routing_names,
     .def = "least_loaded",
     .doc = "which ready instance with room gets a request: least_loaded, fill_busiest "
            "(packing), round_robin or random (§A.7 [derived]: not documented)"},
    {.key = "scale_in", .type = CFG_ENUM, .offset = SCALE(scale_in),
     .choices = crun_scale_in_names, .def = "drain_excess",
     .doc = "drain_excess: instances beyond max(min_instances, desired), the newest ones, "
            "take requests only when every needed one is full, so they go idle and stop "
            "after idle_retention; idle_only: every ready instance is routed alike and stops "
            "only if the routing leaves it idle (§A.2 idle retention, §A.7 scale-in "
            "[derived]: Google does not document how it routes to instances beyond its "
            "recommendation); cloudrun autoscaler only (the KPA removes pods itself, §B.7)"},
    {.key = "concurrency_target", .type = CFG_PERCENT, .offset = SCALE(concurrency_target_pct),
     .def = "60%", .min = 0, .max = 95,
     .doc = "concurrency driver target, 10%-95% of max_concurrency, 0 = driver off (§A.1, "
            "configuring/scaling-controls, REST RevisionScaling)"},
    {.key = "cpu_target", .type = CFG_PERCENT, .offset = SCALE(cpu_target_pct), .def = "60%",
     .min = 0, .max = 90,
     .doc = "CPU driver target, 10%-90%, 0 = driver off (§A.1; REST RevisionScaling says 0.9, "
            "one page version 95% [conflict, §E.2])"},
    {.key = "metrics_window", .type = CFG_DURATION, .offset = SCALE(metrics_window_s),
     .def = "1m", .flags = CFG_POSITIVE,
     .doc = "averaging window of both drivers: 1 minute, not configurable on Cloud Run (§A.1)"},
    {.key = "eval_period", .type = CFG_DURATION, .offset = SCALE(eval_period_s), .def = "5s",
     .flags = CFG_POSITIVE,
     .doc = "autoscaler evaluation period: \"every 5 seconds\" in older page versions (§A.1, §E.4)"},
    {.key = "on_demand", .type = CFG_BOOL, .offset = SCALE(on_demand), .def = "true",
     .doc = "on-demand scaling: a pending request that no starting instance will have room "
            "for starts an instance at once, up to max_instances (§A.2 [derived])"},
    {.key = NULL}};
static const cfg_schema scaling_schema = {.name = "cloudrun scaling",
                                          .size = sizeof(crun_scaling_cfg),
                                          .fields = scaling_fields};

static const cfg_field pending_fields[] = {
    {.key = "rule", .type = CFG_ENUM, .offset = offsetof(crun_pending_cfg, rule),
     .choices = crun_pending_rule_names, .def = "current",
     .doc = "429 after: current = max(10s, 3.5 x mean startup); 10s; 60s (older docs); none "
            "(§A.3, §E.1); under autoscaler: kpa the activator buffers without a limit"},
    {.key = NULL}};
static const cfg_schema pending_schema = {.name = "cloudrun pending",
                                          .size = sizeof(crun_pending_cfg),
                                          .fields = pending_fields};

#define KPA(m) offsetof(kpa_config, m)
static const cfg_field kpa_fields[] = {
    {.key = "stable_window", .type = CFG_DURATION, .offset = KPA(stable_window_s), .def = "60s",
     .min = 6, .max = 3600, .doc = "stable-window: averaging window, min time in panic, idle "
                                   "time before scale to zero (§B.2)"},
    {.key = "panic_window_percentage", .type = CFG_NUMBER, .offset = KPA(panic_window_pct),
     .def = "10", .min = 1, .max = 100, .doc = "panic-window-percentage of the stable window (§B.2)"},
    {.key = "panic_threshold_percentage", .type = CFG_NUMBER, .offset = KPA(panic_threshold_pct),
     .def = "200", .min = 110, .max = 1000, .doc = "panic-threshold-percentage (§B.2)"},
    {.key = "container_concurrency_target_percentage", .type = CFG_NUMBER,
     .offset = KPA(target_utilization_pct), .def = "70", .min = 0, .max = 100,
     .doc = "target utilization of containerConcurrency; values <= 1 are fractions (§B.2)"},
    {.key = "container_concurrency_target_default", .type = CFG_NUMBER,
     .offset = KPA(container_concurrency_target_default), .def = "100", .min = 0,
     .max = INFINITY, .doc = "per-pod target when containerConcurrency is unlimited (§B.2)"},
    {.key = "requests_per_second_target_default", .type = CFG_NUMBER,
     .offset = KPA(rps_target_default), .def = "200", .min = 0.01, .max = INFINITY,
     .doc = "per-pod RPS target for metric: rps (§B.2)"},
    {.key = "target", .type = CFG_NUMBER, .offset = KPA(target), .def = "0", .min = 0,
     .max = INFINITY, .doc = "annotation autoscaling.knative.dev/target; 0 = unset (§B.2)"},
    {.key = "target_burst_capacity", .type = CFG_NUMBER, .offset = KPA(target_burst_capacity),
     .def = "211", .min = -1, .max = INFINITY,
     .doc = "target-burst-capacity: -1 activator always in path, 0 only at zero (§B.2, §B.6)"},
    {.key = "max_scale_up_rate", .type = CFG_NUMBER, .offset = KPA(max_scale_up_rate),
     .def = "1000", .min = 1, .max = INFINITY, .doc = "max-scale-up-rate, > 1 (§B.2)"},
    {.key = "max_scale_down_rate", .type = CFG_NUMBER, .offset = KPA(max_scale_down_rate),
     .def = "2", .min = 1, .max = INFINITY, .doc = "max-scale-down-rate, > 1 (§B.2)"},
    {.key = "enable_scale_to_zero", .type = CFG_BOOL, .offset = KPA(enable_scale_to_zero),
     .def = "true", .doc = "enable-scale-to-zero (§B.2)"},
    {.key = "scale_to_zero_grace_period", .type = CFG_DURATION,
     .offset = KPA(scale_to_zero_grace_period_s), .def = "30s", .flags = CFG_POSITIVE,
     .doc = "scale-to-zero-grace-period: activator in path this long before the last pod goes "
            "(§B.2, §B.7)"},
    {.key = "scale_to_zero_pod_retention_period", .type = CFG_DURATION,
     .offset = KPA(scale_to_zero_pod_retention_period_s), .def = "0s", .min = 0,
     .max = INFINITY, .doc = "scale-to-zero-pod-retention-period (§B.2, §B.7)"},
    {.key = "scale_down_delay", .type = CFG_DURATION, .offset = KPA(scale_down_delay_s),
     .def = "0s", .min = 0, .max = INFINITY,
     .doc = "scale-down-delay: max of the decisions over this window (§B.2, §B.5)"},
    {.key = "initial_scale", .type = CFG_INT, .offset = KPA(initial_scale), .def = "1", .min = 0,
     .max = 100000, .doc = "initial-scale: pods a new revision starts with (§B.2)"},
    {.key = "allow_zero_initial_scale", .type = CFG_BOOL, .offset = KPA(allow_zero_initial_scale),
     .def = "false", .doc = "allow-zero-initial-scale (§B.2)"},
    {.key = "activation_scale", .type = CFG_INT, .offset = KPA(activation_scale), .def = "1",
     .min = 1, .max = 100000,
     .doc = "annotation activation-scale: minimum non-zero scale from zero; 1 = unset (§B.2)"},
    {.key = "activator_capacity", .type = CFG_NUMBER, .offset = KPA(activator_capacity),
     .def = "100", .min = 1, .max = INFINITY,
     .doc = "activator-capacity: validated; activators are not capacity-limited here (§B.2)"},
    {.key = "metric", .type = CFG_ENUM, .offset = KPA(metric), .choices = kpa_metric_names,
     .def = "concurrency", .doc = "scaling metric: concurrency or rps (§B.2)"},
    {.key = "metric_aggregation_algorithm", .type = CFG_ENUM, .offset = KPA(aggregation),
     .choices = kpa_window_algo_names, .def = "linear",
     .doc = "linear or weighted-exponential window averages (§B.3)"},
    {.key = "progress_deadline", .type = CFG_DURATION, .offset = KPA(progress_deadline_s),
     .def = "600s", .flags = CFG_POSITIVE,
     .doc = "config-deployment progress-deadline; activation times out 30 s after it (§B.2, §B.7)"},
    {.key = NULL}};
static const cfg_schema kpa_schema = {.name = "cloudrun kpa (config-autoscaler)",
                                      .size = sizeof(kpa_config), .fields = kpa_fields};

#define BILL(m) offsetof(crun_billing_cfg, m)
static const cfg_field billing_fields[] = {
    {.key = "mode", .type = CFG_ENUM, .offset = BILL(mode), .choices = crun_billing_mode_names,
     .def = "request",
     .doc = "request: billed while starting, serving >= 1 request and shutting down, plus a "
            "request fee; instance: the whole lifetime (§A.4, §A.5, billing-settings)"},
    {.key = "rounding", .type = CFG_DURATION, .offset = BILL(rounding_s), .def = "100ms",
     .min = 0, .max = INFINITY,
     .doc = "billable time is \"rounded up to the nearest 100 millisecond\", per billable "
            "interval here; one beginning within the previous one's rounded-up end continues "
            "it (§A.5 [derived])"},
    {.key = "instance_minimum", .type = CFG_DURATION, .offset = BILL(instance_min_s),
     .def = "1m", .min = 0, .max = INFINITY,
     .doc = "instance-based: \"with a minimum of 1 minute\" per instance (§A.5)"},
    {.key = "free_tier", .type = CFG_BOOL, .offset = BILL(free_tier), .def = "false",
     .doc = "deduct the monthly free tier of the prices (§A.5)"},
    {.key = "free_tier_period", .type = CFG_DURATION, .offset = BILL(free_tier_period_s),
     .def = "30d", .flags = CFG_POSITIVE,
     .doc = "the free tier renews every month, taken as this long [derived]"},
    {.key = NULL}};
static const cfg_schema billing_schema = {.name = "cloudrun billing",
                                          .size = offsetof(crun_billing_cfg, prices),
                                          .fields = billing_fields};

#define PRICE(m) offsetof(crun_prices, m)
#define PRICE_FIELD(k, m, d, text)                                                          \
  {.key = k, .type = CFG_NUMBER, .offset = PRICE(m), .def = d, .min = 0, .max = INFINITY, \
   .doc = text}
static const cfg_field price_fields[] = {
    PRICE_FIELD("cpu_per_vcpu_s", cpu_per_vcpu_s, "0.000024",
                "USD per vCPU-second, request-based active time (§A.5 Tier 1)"),
    PRICE_FIELD("memory_per_gib_s", mem_per_gib_s, "0.0000025",
                "USD per GiB-second, request-based active time (§A.5)"),
    PRICE_FIELD("per_request", per_request, "0.0000004", "USD per request: $0.40 per million (§A.5)"),
    PRICE_FIELD("idle_cpu_per_vcpu_s", idle_cpu_per_vcpu_s, "0.0000025",
                "USD per vCPU-second of an idle min instance (§A.5, §E.6)"),
    PRICE_FIELD("idle_memory_per_gib_s", idle_mem_per_gib_s, "0.0000025",
                "USD per GiB-second of an idle min instance (§A.5)"),
    PRICE_FIELD("instance_cpu_per_vcpu_s", instance_cpu_per_vcpu_s, "0.000018",
                "USD per vCPU-second, instance-based billing (§A.5)"),
    PRICE_FIELD("instance_memory_per_gib_s", instance_mem_per_gib_s, "0.000002",
                "USD per GiB-second, instance-based billing (§A.5)"),
    PRICE_FIELD("free_vcpu_s", free_vcpu_s, "180000", "request-based free vCPU-seconds a month (§A.5)"),
    PRICE_FIELD("free_memory_gib_s", free_gib_s, "360000", "request-based free GiB-seconds a month"),
    PRICE_FIELD("free_requests", free_requests, "2000000", "free requests a month (§A.5)"),
    PRICE_FIELD("free_instance_vcpu_s", free_instance_vcpu_s, "240000",
                "instance-based free vCPU-seconds a month (§A.5)"),
    PRICE_FIELD("free_instance_memory_gib_s", free_instance_gib_s, "450000",
                "instance-based free GiB-seconds a month (§A.5)"),
    {.key = NULL}};
static const cfg_schema prices_schema = {.name = "cloudrun prices", .size = sizeof(crun_prices),
                                         .fields = price_fields};

#define IMPORT(m) offsetof(crun_import_cfg, m)
static const cfg_field import_fields[] = {
    {.key = "service", .type = CFG_PATH, .offset = IMPORT(service),
     .doc = "a service exported by `gcloud run services describe SERVICE --format export` "
            "(Knative Service YAML); keys given in the scenario win"},
    {.key = "config_autoscaler", .type = CFG_PATH, .offset = IMPORT(config_autoscaler),
     .doc = "a Knative config-autoscaler ConfigMap (YAML) for the kpa keys"},
    {.key = NULL}};
static const cfg_schema import_schema = {.name = "cloudrun import",
                                         .size = sizeof(crun_import_cfg), .fields = import_fields};

/* --- cross-field rules ------------------------------------------------------ */

double crun_boosted_vcpu(double vcpu) { return fmin(8, fmax(2, 2 * vcpu)); }

/* The rules every config obeys, scenario or code; a message names the key. */
static const char *broken_rule(const crun_cfg *c) {
  const crun_instance_cfg *i = &c->instance;
  const crun_scaling_cfg *s = &c->scaling;
  if (i->vcpu >= 1 && i->vcpu != 1 && i->vcpu != 2 && i->vcpu != 4 && i->vcpu != 6 && i->vcpu != 8)
    return "instance.vcpu: from 1 up, Cloud Run offers 1, 2, 4, 6 or 8 vCPUs";
  if (i->vcpu < 1 && i->max_concurrency != 1)
    return "instance.max_concurrency: must be 1 when vcpu < 1 (Cloud Run rule, §A.1)";
  if (i->vcpu < 1 && c->billing.mode != CRUN_BILLING_REQUEST)
    return "billing.mode: vcpu < 1 requires request-based billing (§A.1)";
  if (i->vcpu < 1 && i->execution_environment != CRUN_GEN1)
    return "instance.execution_environment: vcpu < 1 requires gen1 (§A.1)";
  if (s->concurrency_target_pct != 0 && s->concurrency_target_pct < 10)
    return "scaling.concurrency_target: 0 (off) or 10%-95%";
  if (s->cpu_target_pct != 0 && s->cpu_target_pct < 10)
    return "scaling.cpu_target: 0 (off) or 10%-90%";
  if (s->autoscaler == CRUN_AUTOSCALER_KPA && s->routing != CRUN_ROUTE_LEAST_LOADED)
    return "scaling.routing: under autoscaler: kpa the activator and the ingress send "
           "requests to the least loaded pod; only least_loaded applies";
  if (!s->on_demand && s->min_instances == 0 && s->autoscaler == CRUN_AUTOSCALER_CLOUDRUN)
    return "scaling.on_demand: with on_demand false and min_instances 0 no instance could "
           "ever start (scaling from zero is triggered by a request, §A.2)";
  if (s->min_instances > s->max_instances)
    return "scaling.min_instances: must not exceed max_instances";
  if (i->startup.init_threads < 1) return "instance.startup.init_threads: must be >= 1";
  return NULL;
}

int crun_cfg_validate(const crun_cfg *c, sim_error *err) {
  const char *why = broken_rule(c);
  if (why) return sim_errorf(err, SIM_ESCENARIO, "cloudrun: %s", why);
  int rc = kpa_config_validate(&c->kpa, err);
  if (rc) sim_error_prefix(err, "cloudrun: kpa: ");
  return rc;
}

typedef struct default_probe {
  const cfg_ctx *ctx;
  const char *path;
} default_probe;

/* is_default for crun_import: `key` ("instance.vcpu") was not in the scenario. */
static bool was_defaulted(void *arg, const char *key) {
  const default_probe *p = arg;
  char full[CFG_PATH_LEN];
  cfg_path_key(full, sizeof full, p->path, key);
  return cfg_was_defaulted(p->ctx, full);
}

static int check_cloudrun(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  crun_cfg *c = obj;
  default_probe probe = {ctx, path};
  if (c->import.service || c->import.config_autoscaler) {
    sim_error *err = cfg_ctx_error(ctx);
    int rc = crun_import(c, c->import.service, c->import.config_autoscaler, was_defaulted,
                         &probe, err);
    if (rc) return rc;
  }
  /* Below 1 vCPU Cloud Run's API means concurrency 1 when none is given. */
  if (c->instance.vcpu < 1 && was_defaulted(&probe, "instance.max_concurrency"))
    c->instance.max_concurrency = 1;
  const char *why = broken_rule(c);
  if (why) return cfg_error_at(ctx, node, path, "%s", why);
  sim_error err;
  if (kpa_config_validate(&c->kpa, &err)) return cfg_error_at(ctx, node, path, "kpa: %s", err.msg);
  return SIM_OK;
}

#define F(m) offsetof(crun_cfg, m)
static const cfg_field cloudrun_fields[] = {
    {.key = "import", .type = CFG_MAP, .offset = F(import), .sub = &import_schema,
     .flags = CFG_FLOW, .doc = "settings taken from exported Cloud Run / Knative files"},
    {.key = "instance", .type = CFG_MAP, .offset = F(instance), .sub = &instance_schema,
     .doc = "what each instance is (§A.1, §A.4)"},
    {.key = "scaling", .type = CFG_MAP, .offset = F(scaling), .sub = &scaling_schema,
     .doc = "bounds, idle retention and the autoscaler (§A.2, §A.7)"},
    {.key = "pending", .type = CFG_MAP, .offset = F(pending), .sub = &pending_schema,
     .flags = CFG_FLOW, .doc = "the pending queue's 429 limit (§A.3)"},
    {.key = "kpa", .type = CFG_MAP, .offset = F(kpa), .sub = &kpa_schema,
     .doc = "Knative config-autoscaler keys in snake_case, for autoscaler: kpa (Part B)"},
    {.key = "billing", .type = CFG_MAP, .offset = F(billing), .sub = &billing_schema,
     .flags = CFG_FLOW, .doc = "billing mode and its rules (§A.5)"},
    {.key = "prices", .type = CFG_MAP, .offset = F(prices), .sub = &prices_schema,
     .doc = "prices in USD, Tier 1 defaults (§A.5)"},
    {.key = NULL}};

const cfg_schema crun_schema = {.name = "platform (kind: cloudrun)",
                                .size = sizeof(crun_cfg),
                                .fields = cloudrun_fields,
                                .check = check_cloudrun};
