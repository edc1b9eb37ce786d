/* workload.c — the scenario's `workload:` section (its schema) and wl_open,
 * the factory that picks the source the section describes: a generator
 * (`arrivals`: poisson at a constant rate or following a profile, or an MMPP)
 * or a trace replay (`trace`, with the transforms start, end, speedup,
 * rate_scale and filter). */
#include "workloads/workload.h"

#include <libfyaml.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "workloads/transform.h"

static const char *const process_names[] = {"poisson", "mmpp", NULL};

static int check_arrivals(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);

/* Sub-sections that are optional as a whole but have keys they cannot do
 * without (process, profile.kind, trace.path, ...) carry no CFG_REQUIRED: the
 * loader would then demand them when the section is absent. Their checks,
 * which run only for a section that is present, demand those keys instead. */
static const cfg_field arrivals_fields[] = {
    {.key = "process", .type = CFG_ENUM, .offset = offsetof(wl_arrivals_cfg, process),
     .choices = process_names,
     .doc = "(required) poisson (independent exponential gaps, at `rate` or following "
            "`profile`) or mmpp (a 2-state Markov-modulated Poisson process: `quiet`, `burst`)"},
    {.key = "rate", .type = CFG_RATE, .offset = offsetof(wl_arrivals_cfg, rate_per_s),
     .flags = CFG_POSITIVE, .doc = "poisson: mean arrival rate, e.g. 100/s or 1200/min"},
    {.key = "profile", .type = CFG_MAP, .offset = offsetof(wl_arrivals_cfg, profile),
     .sub = &wl_profile_schema,
     .doc = "poisson: a rate that varies over time, instead of `rate` (see the profile keys)"},
    {.key = "quiet", .type = CFG_MAP, .offset = offsetof(wl_arrivals_cfg, quiet),
     .flags = CFG_FLOW, .sub = &wl_mmpp_state_schema,
     .doc = "mmpp: the quiet state {rate, mean_time}"},
    {.key = "burst", .type = CFG_MAP, .offset = offsetof(wl_arrivals_cfg, burst),
     .flags = CFG_FLOW, .sub = &wl_mmpp_state_schema,
     .doc = "mmpp: the burst state {rate, mean_time}"},
    {0}};

static const cfg_schema arrivals_schema = {.name = "arrivals",
                                           .size = sizeof(wl_arrivals_cfg),
                                           .fields = arrivals_fields,
                                           .check = check_arrivals};

static bool has_key(struct fy_node *map, const char *key) {
  return fy_node_mapping_lookup_pair_by_simple_key(map, key, strlen(key)) != NULL;
}

static struct fy_node *key_node(struct fy_node *map, const char *key) {
  struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_simple_key(map, key, strlen(key));
  return pair ? fy_node_pair_key(pair) : NULL;
}

/* An mmpp state needs both of its keys (see the note above arrivals_fields). */
static int check_state(cfg_ctx *ctx, struct fy_node *arrivals, const char *path,
                       const char *name) {
  struct fy_node *state = fy_node_mapping_lookup_value_by_simple_key(arrivals, name, strlen(name));
  char state_path[CFG_PATH_LEN];
  cfg_path_key(state_path, sizeof state_path, path, name);
  if (!state)
    return cfg_error_at(ctx, arrivals, path, "missing required key '%s' (process 'mmpp')", name);
  for (const char *const *k = (const char *const[]){"rate", "mean_time", NULL}; *k; k++)
    if (!has_key(state, *k))
      return cfg_error_at(ctx, state, state_path, "missing required key '%s'", *k);
  return SIM_OK;
}

static int check_arrivals(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  wl_arrivals_cfg *a = obj;
  if (!has_key(node, "process"))
    return cfg_error_at(ctx, node, path, "missing required key 'process'");
  a->has_profile = has_key(node, "profile");
  if (a->process == WL_MMPP) {
    for (const char *const *k = (const char *const[]){"rate", "profile", NULL}; *k; k++)
      if (key_node(node, *k))
        return cfg_error_at(ctx, key_node(node, *k), path,
                            "%s is not a parameter of process 'mmpp' (it takes quiet and burst)",
                            *k);
    int rc = check_state(ctx, node, path, "quiet");
    return rc ? rc : check_state(ctx, node, path, "burst");
  }
  for (const char *const *k = (const char *const[]){"quiet", "burst", NULL}; *k; k++)
    if (key_node(node, *k))
      return cfg_error_at(ctx, key_node(node, *k), path,
                          "%s is not a parameter of process 'poisson' (it takes rate or profile)",
                          *k);
  if (a->has_profile && has_key(node, "rate"))
    return cfg_error_at(ctx, key_node(node, "rate"), path,
                        "give rate or profile, not both (process 'poisson')");
  if (!a->has_profile && !has_key(node, "rate"))
    return cfg_error_at(ctx, node, path, "missing required key 'rate' (or a 'profile')");
  return SIM_OK;
}

static const cfg_field request_fields[] = {
    {.key = "duration", .type = CFG_MAP, .offset = offsetof(wl_request_cfg, duration),
     .flags = CFG_REQUIRED | CFG_FLOW, .sub = &wl_dist_schema,
     .doc = "service time of a request alone on 1 vCPU (DESIGN.md §4)"},
    {.key = "cpu_share", .type = CFG_NUMBER, .offset = offsetof(wl_request_cfg, cpu_share),
     .def = "1.0", .min = 0, .max = 1,
     .doc = "fraction of the duration that is CPU work; the rest is waiting off the CPU"},
    {0}};

static const cfg_schema request_schema = {
    .name = "request", .size = sizeof(wl_request_cfg), .fields = request_fields};

static int check_config(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);

#define TF(k, type_, member, def_, doc_)                                                   \
  {.key = k, .type = type_, .offset = offsetof(wl_config, transform.member), .def = def_, \
   .doc = doc_}

static const cfg_field config_fields[] = {
    {.key = "arrivals", .type = CFG_MAP, .offset = offsetof(wl_config, arrivals),
     .flags = CFG_FLOW, .sub = &arrivals_schema,
     .doc = "a generator: the arrival process; it runs for the scenario's duration (give "
            "arrivals or trace)"},
    {.key = "trace", .type = CFG_MAP, .offset = offsetof(wl_config, trace),
     .flags = CFG_FLOW, .sub = &wl_trace_schema,
     .doc = "a replay of a request trace (see the trace keys; give arrivals or trace)"},
    {.key = "request", .type = CFG_MAP, .offset = offsetof(wl_config, request),
     .flags = CFG_REQUIRED, .sub = &request_schema,
     .doc = "what each request needs (for a trace: when the trace gives no duration)"},
    TF("start", CFG_STRING, start, NULL,
       "trace: replay from here, a duration from the trace start (2h) or an ISO 8601 time; "
       "t = 0 moves here"),
    TF("end", CFG_STRING, end, NULL, "trace: replay until here (same forms as start)"),
    {.key = "speedup", .type = CFG_NUMBER, .offset = offsetof(wl_config, transform.speedup),
     .flags = CFG_POSITIVE, .def = "1",
     .doc = "trace: divide the time between arrivals by this (durations unchanged)"},
    {.key = "rate_scale", .type = CFG_NUMBER, .offset = offsetof(wl_config, transform.rate_scale),
     .flags = CFG_POSITIVE, .def = "1",
     .doc = "trace: below 1 keep each request with this probability; above 1 replicate each "
            "floor(x) times, once more with the fraction's probability"},
    {.key = "rate_scale_jitter", .type = CFG_DURATION,
     .offset = offsetof(wl_config, transform.rate_scale_jitter_s), .def = "1s", .min = 0,
     .max = INFINITY, .doc = "trace: replicas arrive up to this long after their original"},
    {.key = "filter", .type = CFG_MAP, .offset = offsetof(wl_config, transform.filter),
     .sub = &wl_filter_schema, .doc = "trace: keep only matching records (see the filter keys)"},
    {0}};

#undef TF

const cfg_schema wl_config_schema = {.name = "workload",
                                     .size = sizeof(wl_config),
                                     .fields = config_fields,
                                     .check = check_config};

/* Exactly one source; transforms only for a trace; window bounds that parse. */
static int check_config(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  wl_config *c = obj;
  bool arrivals = has_key(node, "arrivals");
  c->has_trace = has_key(node, "trace");
  if (arrivals && c->has_trace)
    return cfg_error_at(ctx, key_node(node, "trace"), path,
                        "give arrivals (a generator) or trace (a replay), not both");
  if (!arrivals && !c->has_trace)
    return cfg_error_at(ctx, node, path, "missing required key 'arrivals' (or 'trace')");
  static const char *const trace_only[] = {"start", "end", "speedup", "rate_scale",
                                           "rate_scale_jitter", "filter", NULL};
  for (const char *const *k = trace_only; *k && !c->has_trace; k++)
    if (key_node(node, *k))
      return cfg_error_at(ctx, key_node(node, *k), path, "%s applies to a trace replay only", *k);
  const char *bounds[2] = {"start", "end"};
  char *texts[2] = {c->transform.start, c->transform.end};
  for (int i = 0; i < 2; i++) {
    wl_bound b;
    char why[256], key_path[CFG_PATH_LEN];
    if (wl_bound_parse(texts[i], &b, why, sizeof why)) continue;
    cfg_path_key(key_path, sizeof key_path, path, bounds[i]);
    return cfg_error_at(
        ctx, fy_node_mapping_lookup_value_by_simple_key(node, bounds[i], strlen(bounds[i])),
        key_path, "%s", why);
  }
  return SIM_OK;
}

bool wl_is_generator(const wl_config *cfg) { return !cfg->has_trace; }

double wl_expected_requests(const wl_config *cfg, double duration_s) {
  if (cfg->has_trace) return NAN;
  const wl_arrivals_cfg *a = &cfg->arrivals;
  if (a->process == WL_MMPP) return wl_mmpp_mean_rate(&(wl_mmpp_cfg){a->quiet, a->burst}) * duration_s;
  if (!a->has_profile) return a->rate_per_s * duration_s;
  wl_profile *p = NULL;
  sim_error err = {0};
  if (wl_profile_alloc(&a->profile, &p, &err) != SIM_OK) return NAN; /* checked when read */
  double n = wl_profile_integral(p, 0, duration_s);
  wl_profile_free(p);
  return n;
}

int wl_open(const wl_config *cfg, uint64_t seed, wl_source **out, sim_error *err) {
  *out = NULL;
  const wl_request_cfg *r = &cfg->request;
  if (cfg->has_trace)
    return wl_trace_open(&cfg->trace, &cfg->transform, &r->duration, r->cpu_share,
                         cfg->duration_s, seed, out, err);
  switch (cfg->arrivals.process) {
    case WL_POISSON:
      if (cfg->arrivals.has_profile)
        return wl_nhpp_open(&cfg->arrivals.profile, &r->duration, r->cpu_share, r->size,
                            cfg->duration_s, seed, out, err);
      return wl_poisson_open(cfg, seed, out, err);
    case WL_MMPP: {
      wl_mmpp_cfg m = {cfg->arrivals.quiet, cfg->arrivals.burst};
      return wl_mmpp_open(&m, &r->duration, r->cpu_share, r->size, cfg->duration_s, seed, out,
                          err);
    }
  }
  SIM_ASSERT(!"unknown arrival process");
  return SIM_EFAIL;
}
