/* import.c — settings of a `cloudrun` platform taken from real files (spec
 * cloudrun.md §A.1, §B.2; see crun_import in cloudrun.h):
 *
 *   a service exported by `gcloud run services describe SERVICE --format
 *   export`, i.e. Knative Service YAML: spec.template.spec.containerConcurrency,
 *   timeoutSeconds, containers[0].resources.limits {cpu, memory}, and the
 *   revision template's annotations autoscaling.knative.dev/minScale, maxScale
 *   (and their min-scale/max-scale spellings) and the other
 *   autoscaling.knative.dev KPA annotations, run.googleapis.com/cpu-throttling
 *   ("false" = CPU always allocated = instance-based billing),
 *   run.googleapis.com/startup-cpu-boost, run.googleapis.com/execution-environment;
 *
 *   a Knative config-autoscaler ConfigMap: its `data` keys (Knative ignores
 *   keys it does not know, and so does the import; `_example` is skipped).
 *
 * The ConfigMap is the cluster's defaults and is applied first; the Service's
 * annotations then override it, as a revision's annotations do in Knative.
 *
 * Values are read as Kubernetes writes them: quantities ("500m", "2",
 * "512Mi", "1G"), Go durations ("60s", "1m30s"), strings for annotations.
 * Files are parsed with libfyaml through sim/cfg.h, so every error names
 * file:line:col. */
#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cloudrun/cloudrun.h"
#include "models/cloudrun/kpa_window.h"
#include "sim/file.h"

typedef struct importer {
  crun_cfg *c;
  cfg_ctx *ctx; /* of the file being read: its messages carry file:line:col */
  bool (*is_default)(void *arg, const char *key);
  void *arg;
  sim_error *err;
} importer;

/* True when the import may set `key` (a path relative to the platform). */
static bool may_set(const importer *im, const char *key) {
  return !im->is_default || im->is_default(im->arg, key);
}

/* Reports a malformed value at node as an input error. */
static int bad(importer *im, struct fy_node *node, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(importer *im, struct fy_node *node, const char *what, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cfg_error_at(im->ctx, node, what, "%s", msg);
  return sim_errorf(im->err, SIM_EINPUT, "%s", cfg_ctx_error(im->ctx)->msg);
}

/* --- Kubernetes and Go value syntax --------------------------------------------- */

/* A unit suffix and what it multiplies by. */
typedef struct unit {
  const char *suffix;
  double factor;
} unit;

/* A number with an optional suffix out of `units` (suffix, factor); a bare
 * number is multiplied by bare_factor. */
static bool parse_scaled(const char *s, const unit *units, double bare_factor, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || errno || !isfinite(v) || v < 0) return false;
  if (*end == '\0') {
    *out = v * bare_factor;
    return true;
  }
  for (const unit *u = units; u->suffix; u++) {
    if (strcmp(end, u->suffix) == 0) {
      *out = v * u->factor;
      return true;
    }
  }
  return false;
}

/* CPU quantity in vCPUs: "1", "0.5", "500m". */
static bool parse_cpu(const char *s, double *vcpu) {
  static const unit units[] = {{"m", 1e-3}, {NULL, 0}};
  return parse_scaled(s, units, 1, vcpu);
}

/* Memory quantity in MiB: Ki/Mi/Gi/Ti, k/K/M/G/T, or a bare number of bytes. */
static bool parse_memory(const char *s, double *mib) {
  static const unit units[] = {{"Ki", 1.0 / 1024},     {"Mi", 1},       {"Gi", 1024},
                               {"Ti", 1024.0 * 1024},  {"k", 1e3 / 1048576},
                               {"K", 1e3 / 1048576},   {"M", 1e6 / 1048576},
                               {"G", 1e9 / 1048576},   {"T", 1e12 / 1048576},
                               {NULL, 0}};
  return parse_scaled(s, units, 1.0 / 1048576, mib);
}

/* Go's time.ParseDuration for non-negative values: "60s", "1m30s", "1.5h". */
static bool parse_go_duration(const char *s, double *out_s) {
  static const unit units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3},
                               {"s", 1},     {"m", 60},    {"h", 3600},  {NULL, 0}};
  if (strcmp(s, "0") == 0) {
    *out_s = 0;
    return true;
  }
  double total = 0;
  const char *p = s;
  if (!*p) return false;
  while (*p) {
    char *end;
    errno = 0;
    double v = strtod(p, &end);
    if (end == p || errno || v < 0 || *p == '-' || *p == '+') return false;
    const unit *best = NULL;
    for (const unit *u = units; u->suffix; u++) {
      size_t n = strlen(u->suffix);
      /* The longest suffix that matches ("ms" before "m"). */
      if (strncmp(end, u->suffix, n) == 0 && (!best || n > strlen(best->suffix))) best = u;
    }
    if (!best) return false;
    total += v * best->factor;
    p = end + strlen(best->suffix);
  }
  *out_s = total;
  return true;
}

static bool parse_int(const char *s, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno || v < 0 || v > 1000000) return false;
  *out = (int)v;
  return true;
}

static bool parse_number(const char *s, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end || errno || !isfinite(v)) return false;
  *out = v;
  return true;
}

/* The target-utilization-percentage annotation: a percentage in [1, 100]
 * (annotation_validation.go), always divided by 100 (PodAutoscaler.
 * TargetUtilization) — unlike the ConfigMap key, where values up to 1 are
 * fractions. Stored as the fraction, which kpa_target_fraction takes as is. */
static bool parse_utilization(const char *s, double *out) {
  double v;
  if (!parse_number(s, &v) || v < 1 || v > 100) return false;
  *out = v / 100;
  return true;
}

static bool parse_bool(const char *s, bool *out) {
  if (strcmp(s, "true") == 0) *out = true;
  else if (strcmp(s, "false") == 0) *out = false;
  else return false;
  return true;
}

static bool parse_choice(const char *s, const char *const *names, int *out) {
  for (int i = 0; names[i]; i++) {
    if (strcmp(s, names[i]) == 0) {
      *out = i;
      return true;
    }
  }
  return false;
}

/* --- setting one key -------------------------------------------------------------- */

typedef enum kind { K_INT, K_NUMBER, K_UTIL, K_DURATION, K_BOOL, K_METRIC, K_ALGO, K_GEN } kind;

/* One importable setting: where it lands and how its text reads. */
typedef struct target {
  const char *name; /* annotation or ConfigMap key */
  const char *key;  /* platform key path it sets */
  kind kind;
  size_t offset;    /* in crun_cfg */
} target;

static const char *const metric_names[] = {"concurrency", "rps", NULL};

static int set_value(importer *im, const target *t, struct fy_node *node) {
  const char *text = cfg_scalar(node);
  if (!text) return bad(im, node, t->name, "expected a scalar");
  if (!may_set(im, t->key)) return SIM_OK;
  void *dst = (char *)im->c + t->offset;
  bool ok;
  switch (t->kind) {
  case K_INT: ok = parse_int(text, dst); break;
  case K_NUMBER: ok = parse_number(text, dst); break;
  case K_UTIL: ok = parse_utilization(text, dst); break;
  case K_DURATION: ok = parse_go_duration(text, dst); break;
  case K_BOOL: ok = parse_bool(text, dst); break;
  case K_METRIC: ok = parse_choice(text, metric_names, dst); break;
  case K_ALGO: ok = parse_choice(text, kpa_window_algo_names, dst); break;
  default: ok = parse_choice(text, crun_generation_names, dst); break;
  }
  if (!ok) return bad(im, node, t->name, "cannot read '%s' as the value of %s", text, t->key);
  return SIM_OK;
}

#define CFG(m) offsetof(crun_cfg, m)

/* Knative annotations of the revision template (pkg/apis/autoscaling/register.go). */
static const target annotations[] = {
    {"autoscaling.knative.dev/minScale", "scaling.min_instances", K_INT, CFG(scaling.min_instances)},
    {"autoscaling.knative.dev/min-scale", "scaling.min_instances", K_INT, CFG(scaling.min_instances)},
    {"autoscaling.knative.dev/maxScale", "scaling.max_instances", K_INT, CFG(scaling.max_instances)},
    {"autoscaling.knative.dev/max-scale", "scaling.max_instances", K_INT, CFG(scaling.max_instances)},
    {"autoscaling.knative.dev/target", "kpa.target", K_NUMBER, CFG(kpa.target)},
    {"autoscaling.knative.dev/target-utilization-percentage",
     "kpa.container_concurrency_target_percentage", K_UTIL, CFG(kpa.target_utilization_pct)},
    {"autoscaling.knative.dev/window", "kpa.stable_window", K_DURATION, CFG(kpa.stable_window_s)},
    {"autoscaling.knative.dev/panic-window-percentage", "kpa.panic_window_percentage", K_NUMBER,
     CFG(kpa.panic_window_pct)},
    {"autoscaling.knative.dev/panic-threshold-percentage", "kpa.panic_threshold_percentage",
     K_NUMBER, CFG(kpa.panic_threshold_pct)},
    {"autoscaling.knative.dev/target-burst-capacity", "kpa.target_burst_capacity", K_NUMBER,
     CFG(kpa.target_burst_capacity)},
    {"autoscaling.knative.dev/metric", "kpa.metric", K_METRIC, CFG(kpa.metric)},
    {"autoscaling.knative.dev/scale-down-delay", "kpa.scale_down_delay", K_DURATION,
     CFG(kpa.scale_down_delay_s)},
    {"autoscaling.knative.dev/initial-scale", "kpa.initial_scale", K_INT, CFG(kpa.initial_scale)},
    {"autoscaling.knative.dev/activation-scale", "kpa.activation_scale", K_INT,
     CFG(kpa.activation_scale)},
    {"autoscaling.knative.dev/scale-to-zero-pod-retention-period",
     "kpa.scale_to_zero_pod_retention_period", K_DURATION,
     CFG(kpa.scale_to_zero_pod_retention_period_s)},
    {"autoscaling.knative.dev/metric-aggregation-algorithm", "kpa.metric_aggregation_algorithm",
     K_ALGO, CFG(kpa.aggregation)},
    {"run.googleapis.com/startup-cpu-boost", "instance.startup_boost", K_BOOL,
     CFG(instance.startup_boost)},
    {"run.googleapis.com/execution-environment", "instance.execution_environment", K_GEN,
     CFG(instance.execution_environment)},
    {NULL, NULL, 0, 0}};

/* config-autoscaler data keys (pkg/autoscaler/config/config.go). */
static const target configmap_keys[] = {
    {"stable-window", "kpa.stable_window", K_DURATION, CFG(kpa.stable_window_s)},
    {"panic-window-percentage", "kpa.panic_window_percentage", K_NUMBER, CFG(kpa.panic_window_pct)},
    {"panic-threshold-percentage", "kpa.panic_threshold_percentage", K_NUMBER,
     CFG(kpa.panic_threshold_pct)},
    {"container-concurrency-target-percentage", "kpa.container_concurrency_target_percentage",
     K_NUMBER, CFG(kpa.target_utilization_pct)},
    {"container-concurrency-target-default", "kpa.container_concurrency_target_default", K_NUMBER,
     CFG(kpa.container_concurrency_target_default)},
    {"requests-per-second-target-default", "kpa.requests_per_second_target_default", K_NUMBER,
     CFG(kpa.rps_target_default)},
    {"target-burst-capacity", "kpa.target_burst_capacity", K_NUMBER, CFG(kpa.target_burst_capacity)},
    {"max-scale-up-rate", "kpa.max_scale_up_rate", K_NUMBER, CFG(kpa.max_scale_up_rate)},
    {"max-scale-down-rate", "kpa.max_scale_down_rate", K_NUMBER, CFG(kpa.max_scale_down_rate)},
    {"enable-scale-to-zero", "kpa.enable_scale_to_zero", K_BOOL, CFG(kpa.enable_scale_to_zero)},
    {"scale-to-zero-grace-period", "kpa.scale_to_zero_grace_period", K_DURATION,
     CFG(kpa.scale_to_zero_grace_period_s)},
    {"scale-to-zero-pod-retention-period", "kpa.scale_to_zero_pod_retention_period", K_DURATION,
     CFG(kpa.scale_to_zero_pod_retention_period_s)},
    {"scale-down-delay", "kpa.scale_down_delay", K_DURATION, CFG(kpa.scale_down_delay_s)},
    {"initial-scale", "kpa.initial_scale", K_INT, CFG(kpa.initial_scale)},
    {"allow-zero-initial-scale", "kpa.allow_zero_initial_scale", K_BOOL,
     CFG(kpa.allow_zero_initial_scale)},
    {"activator-capacity", "kpa.activator_capacity", K_NUMBER, CFG(kpa.activator_capacity)},
    {"min-scale", "scaling.min_instances", K_INT, CFG(scaling.min_instances)},
    {"max-scale", "scaling.max_instances", K_INT, CFG(scaling.max_instances)},
    {NULL, NULL, 0, 0}};

static const target *find_target(const target *table, const char *name) {
  for (const target *t = table; t->name; t++)
    if (strcmp(t->name, name) == 0) return t;
  return NULL;
}

/* Sets every key of `map` that the table knows; others are left alone. */
static int apply_map(importer *im, struct fy_node *map, const target *table) {
  if (!map) return SIM_OK;
  if (!fy_node_is_mapping(map)) return bad(im, map, "annotations", "expected a mapping");
  void *it = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(map, &it))) {
    const char *name = cfg_scalar(fy_node_pair_key(pair));
    const target *t = name ? find_target(table, name) : NULL;
    if (!t) continue;
    int rc = set_value(im, t, fy_node_pair_value(pair));
    if (rc) return rc;
  }
  return SIM_OK;
}

/* --- the files ----------------------------------------------------------------------- */

static struct fy_node *at(struct fy_node *n, const char *path) {
  return n ? fy_node_by_path(n, path, FY_NT, FYNWF_DONT_FOLLOW) : NULL;
}

/* Reads `path` into a document of ctx; SIM_EINPUT when unreadable or not YAML. */
static int load(importer *im, const char *path, struct fy_document **doc) {
  char *text;
  size_t len;
  if (sim_read_file(path, &text, &len, im->err)) return SIM_EINPUT;
  int rc = cfg_parse(im->ctx, text, len, doc);
  free(text);
  if (rc) return sim_errorf(im->err, SIM_EINPUT, "%s", cfg_ctx_error(im->ctx)->msg);
  if (!fy_document_root(*doc))
    return sim_errorf(im->err, SIM_EINPUT, "%s: the file is empty", path);
  return SIM_OK;
}

/* resources.limits of the first container. */
static int apply_resources(importer *im, struct fy_node *limits) {
  if (!limits) return SIM_OK;
  struct fy_node *cpu = at(limits, "/cpu"), *mem = at(limits, "/memory");
  if (cpu && may_set(im, "instance.vcpu")) {
    const char *text = cfg_scalar(cpu);
    if (!text || !parse_cpu(text, &im->c->instance.vcpu))
      return bad(im, cpu, "resources.limits.cpu", "expected a CPU quantity such as 1 or 500m");
  }
  if (mem && may_set(im, "instance.memory")) {
    const char *text = cfg_scalar(mem);
    if (!text || !parse_memory(text, &im->c->instance.memory_mib))
      return bad(im, mem, "resources.limits.memory", "expected a memory quantity such as 512Mi");
  }
  return SIM_OK;
}

/* containerConcurrency 0 means the API default: 80 from 1 vCPU, else 1 (§A.1). */
static int apply_concurrency(importer *im, struct fy_node *node) {
  if (!node || !may_set(im, "instance.max_concurrency")) return SIM_OK;
  int cc;
  const char *text = cfg_scalar(node);
  if (!text || !parse_int(text, &cc))
    return bad(im, node, "containerConcurrency", "expected a whole number");
  im->c->instance.max_concurrency = cc ? cc : im->c->instance.vcpu >= 1 ? 80 : 1;
  return SIM_OK;
}

static int apply_timeout(importer *im, struct fy_node *node) {
  if (!node || !may_set(im, "instance.request_timeout")) return SIM_OK;
  int secs;
  const char *text = cfg_scalar(node);
  if (!text || !parse_int(text, &secs) || secs == 0)
    return bad(im, node, "timeoutSeconds", "expected a positive whole number");
  im->c->instance.request_timeout_s = secs;
  return SIM_OK;
}

/* run.googleapis.com/cpu-throttling: "false" keeps CPU allocated for the
 * instance's life, which is instance-based billing (billing-settings). */
static int apply_throttling(importer *im, struct fy_node *ann) {
  struct fy_node *node = ann ? fy_node_mapping_lookup_value_by_simple_key(
                                   ann, "run.googleapis.com/cpu-throttling", FY_NT)
                             : NULL;
  if (!node || !may_set(im, "billing.mode")) return SIM_OK;
  bool throttled;
  const char *text = cfg_scalar(node);
  if (!text || !parse_bool(text, &throttled))
    return bad(im, node, "run.googleapis.com/cpu-throttling", "expected 'true' or 'false'");
  im->c->billing.mode = throttled ? CRUN_BILLING_REQUEST : CRUN_BILLING_INSTANCE;
  return SIM_OK;
}

static int import_service(importer *im, const char *path) {
  struct fy_document *doc = NULL;
  int rc = load(im, path, &doc);
  if (rc) goto done;
  struct fy_node *root = fy_document_root(doc);
  struct fy_node *tmpl = at(root, "/spec/template");
  if (!tmpl) {
    rc = bad(im, root, "spec.template", "not a Cloud Run / Knative Service: no spec.template");
    goto done;
  }
  struct fy_node *ann = at(tmpl, "/metadata/annotations");
  /* Resources first: the concurrency default depends on the vCPU. */
  if ((rc = apply_resources(im, at(tmpl, "/spec/containers/0/resources/limits"))) ||
      (rc = apply_concurrency(im, at(tmpl, "/spec/containerConcurrency"))) ||
      (rc = apply_timeout(im, at(tmpl, "/spec/timeoutSeconds"))) ||
      (rc = apply_map(im, ann, annotations)) || (rc = apply_throttling(im, ann)))
    goto done;
done:
  fy_document_destroy(doc);
  return rc;
}

static int import_configmap(importer *im, const char *path) {
  struct fy_document *doc = NULL;
  int rc = load(im, path, &doc);
  if (rc) goto done;
  struct fy_node *data = at(fy_document_root(doc), "/data");
  if (!data) {
    rc = bad(im, fy_document_root(doc), "data", "not a ConfigMap: no data");
    goto done;
  }
  rc = apply_map(im, data, configmap_keys);
done:
  fy_document_destroy(doc);
  return rc;
}

/* The ConfigMap first, then the Service: config-autoscaler holds the
 * cluster's defaults and a revision's autoscaling.knative.dev annotations
 * override them (pkg/reconciler/autoscaling/resources/target.go, the
 * PodAutoscaler's Window/Target/... accessors). */
int crun_import(crun_cfg *c, const char *service_path, const char *configmap_path,
                bool (*is_default)(void *arg, const char *key), void *arg, sim_error *err) {
  int rc = SIM_OK;
  const char *paths[2] = {configmap_path, service_path};
  for (int i = 0; i < 2 && !rc; i++) {
    if (!paths[i]) continue;
    importer im = {c, cfg_ctx_alloc(paths[i]), is_default, arg, err};
    rc = i == 0 ? import_configmap(&im, paths[i]) : import_service(&im, paths[i]);
    cfg_ctx_free(im.ctx);
  }
  return rc;
}
