/* dist.c — service-time distributions (see dist.h): the `{dist: ..., ...}`
 * schema, the check that each distribution gets exactly its own parameters,
 * and the draws (wl_exponential, GSL's gsl_ran_lognormal, _gamma, _weibull and
 * _pareto; inversion of the percentile table for empirical). */
#include "workloads/dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <libfyaml.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "workloads/quantiles.h"

static const char *const dist_names[] = {"constant", "exponential", "lognormal", "gamma",
                                         "weibull",  "pareto",      "empirical", NULL};

/* The keys each distribution takes, and how to say so in a message. */
static const struct {
  const char *const params[5];
  const char *takes;
} dist_params[] = {
    [WL_DIST_CONSTANT] = {{"value", NULL}, "value"},
    [WL_DIST_EXPONENTIAL] = {{"mean", NULL}, "mean"},
    [WL_DIST_LOGNORMAL] = {{"median", "p99", "mu", "sigma", NULL}, "median and p99, or mu and sigma"},
    [WL_DIST_GAMMA] = {{"shape", "scale", NULL}, "shape and scale"},
    [WL_DIST_WEIBULL] = {{"shape", "scale", NULL}, "shape and scale"},
    [WL_DIST_PARETO] = {{"shape", "scale", NULL}, "shape and scale"},
    [WL_DIST_EMPIRICAL] = {{"points", NULL}, "points"},
};

static const char *const all_params[] = {"value", "mean",  "median", "p99",    "mu",
                                         "sigma", "shape", "scale",  "points", NULL};

static const cfg_field point_fields[] = {
    {.key = "percentile", .type = CFG_NUMBER, .offset = offsetof(wl_dist_point, percentile),
     .flags = CFG_REQUIRED, .min = 0, .max = 100, .doc = "the percentile, 0..100"},
    {.key = "value", .type = CFG_DURATION, .offset = offsetof(wl_dist_point, value),
     .flags = CFG_REQUIRED, .min = 0, .max = INFINITY, .doc = "the duration at it"},
    {0}};

static const cfg_schema point_schema = {
    .name = "point", .size = sizeof(wl_dist_point), .fields = point_fields};

static int check_dist(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);

static const cfg_field dist_fields[] = {
    {.key = "dist", .type = CFG_ENUM, .offset = offsetof(wl_dist, kind), .flags = CFG_REQUIRED,
     .choices = dist_names,
     .doc = "constant (takes value), exponential (mean), lognormal (median and p99, or mu and "
            "sigma), gamma, weibull, pareto (shape and scale), empirical (points)"},
    {.key = "value", .type = CFG_DURATION, .offset = offsetof(wl_dist, value), .min = 0,
     .max = INFINITY, .doc = "constant: the value of every draw"},
    {.key = "mean", .type = CFG_DURATION, .offset = offsetof(wl_dist, mean),
     .flags = CFG_POSITIVE, .doc = "exponential: the mean"},
    {.key = "median", .type = CFG_DURATION, .offset = offsetof(wl_dist, median),
     .flags = CFG_POSITIVE, .doc = "lognormal: the median (50th percentile)"},
    {.key = "p99", .type = CFG_DURATION, .offset = offsetof(wl_dist, p99),
     .flags = CFG_POSITIVE, .doc = "lognormal: the 99th percentile, above the median"},
    {.key = "mu", .type = CFG_NUMBER, .offset = offsetof(wl_dist, mu),
     .doc = "lognormal: the mean of ln(seconds)"},
    {.key = "sigma", .type = CFG_NUMBER, .offset = offsetof(wl_dist, sigma),
     .flags = CFG_POSITIVE, .doc = "lognormal: the standard deviation of ln(seconds)"},
    {.key = "shape", .type = CFG_NUMBER, .offset = offsetof(wl_dist, shape),
     .flags = CFG_POSITIVE,
     .doc = "gamma: k; weibull: k; pareto: α (the mean is finite for α > 1)"},
    {.key = "scale", .type = CFG_DURATION, .offset = offsetof(wl_dist, scale),
     .flags = CFG_POSITIVE,
     .doc = "gamma: θ (mean k θ); weibull: λ; pareto: x_m, the smallest value"},
    {.key = "points", .type = CFG_LIST, .offset = offsetof(wl_dist, points), .sub = &point_schema,
     .doc = "empirical: [{percentile, value}, ...] from percentile 0 to 100, values not "
            "decreasing; linear in between (at most 32 points)"},
    {0}};

const cfg_schema wl_dist_schema = {
    .name = "distribution", .size = sizeof(wl_dist), .fields = dist_fields, .check = check_dist};

/* z of the standard normal's 99th percentile: p99 = exp(mu + z99 sigma). */
static double z99(void) { return gsl_cdf_ugaussian_Pinv(0.99); }

static struct fy_node *key_node(struct fy_node *map, const char *key) {
  struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_simple_key(map, key, strlen(key));
  return pair ? fy_node_pair_key(pair) : NULL;
}

static bool takes(int kind, const char *key) {
  for (const char *const *p = dist_params[kind].params; *p; p++)
    if (strcmp(*p, key) == 0) return true;
  return false;
}

/* Rejects parameters of another distribution. */
static int check_foreign(cfg_ctx *ctx, struct fy_node *node, const char *path, int kind) {
  for (const char *const *k = all_params; *k; k++) {
    struct fy_node *kn = key_node(node, *k);
    if (kn && !takes(kind, *k))
      return cfg_error_at(ctx, kn, path, "%s is not a parameter of dist '%s' (it takes %s)", *k,
                          dist_names[kind], dist_params[kind].takes);
  }
  return SIM_OK;
}

static int need(cfg_ctx *ctx, struct fy_node *node, const char *path, int kind, const char *key) {
  if (key_node(node, key)) return SIM_OK;
  return cfg_error_at(ctx, node, path, "missing required key '%s' (dist '%s' takes %s)", key,
                      dist_names[kind], dist_params[kind].takes);
}

/* Lognormal: one pair of parameters, the other pair derived from it. */
static int check_lognormal(cfg_ctx *ctx, struct fy_node *node, const char *path, wl_dist *d) {
  bool by_percentiles = key_node(node, "median") || key_node(node, "p99");
  bool by_logs = key_node(node, "mu") || key_node(node, "sigma");
  if (by_percentiles && by_logs)
    return cfg_error_at(ctx, node, path,
                        "give median and p99, or mu and sigma, not both (dist 'lognormal')");
  int rc;
  if (by_logs) {
    if ((rc = need(ctx, node, path, WL_DIST_LOGNORMAL, "mu")) ||
        (rc = need(ctx, node, path, WL_DIST_LOGNORMAL, "sigma")))
      return rc;
    d->median = exp(d->mu);
    d->p99 = exp(d->mu + z99() * d->sigma);
    return SIM_OK;
  }
  if ((rc = need(ctx, node, path, WL_DIST_LOGNORMAL, "median")) ||
      (rc = need(ctx, node, path, WL_DIST_LOGNORMAL, "p99")))
    return rc;
  if (!(d->p99 > d->median)) {
    struct fy_node *p99 = fy_node_mapping_lookup_value_by_simple_key(node, "p99", 3);
    struct fy_node *median = fy_node_mapping_lookup_value_by_simple_key(node, "median", 6);
    char p99_path[CFG_PATH_LEN];
    cfg_path_key(p99_path, sizeof p99_path, path, "p99");
    return cfg_error_at(ctx, p99, p99_path, "expected a duration above the median (%s), got '%s'",
                        cfg_scalar(median), cfg_scalar(p99));
  }
  d->mu = log(d->median);
  d->sigma = (log(d->p99) - d->mu) / z99();
  return SIM_OK;
}

bool wl_dist_set_points(wl_dist *d, const wl_dist_point *points, size_t n, char *why,
                        size_t why_len) {
  if (n > WL_DIST_MAX_POINTS) {
    snprintf(why, why_len, "at most %d points, got %zu", WL_DIST_MAX_POINTS, n);
    return false;
  }
  double p[WL_DIST_MAX_POINTS], v[WL_DIST_MAX_POINTS];
  for (size_t i = 0; i < n; i++) {
    p[i] = points[i].percentile / 100;
    v[i] = points[i].value;
  }
  if (!wl_quantiles_check(p, v, n, why, why_len)) return false;
  memcpy(d->p, p, n * sizeof *p);
  memcpy(d->v, v, n * sizeof *v);
  d->n_points = n;
  return true;
}

static int check_empirical(cfg_ctx *ctx, struct fy_node *node, const char *path, wl_dist *d) {
  int rc = need(ctx, node, path, d->kind, "points");
  if (rc) return rc;
  char why[200], points_path[CFG_PATH_LEN];
  if (wl_dist_set_points(d, d->points.items, d->points.n, why, sizeof why)) return SIM_OK;
  cfg_path_key(points_path, sizeof points_path, path, "points");
  return cfg_error_at(ctx, fy_node_mapping_lookup_value_by_simple_key(node, "points", 6),
                      points_path, "%s", why);
}

static int check_dist(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  wl_dist *d = obj;
  int rc = check_foreign(ctx, node, path, d->kind);
  if (rc) return rc;
  switch (d->kind) {
    case WL_DIST_CONSTANT: return need(ctx, node, path, d->kind, "value");
    case WL_DIST_EXPONENTIAL: return need(ctx, node, path, d->kind, "mean");
    case WL_DIST_LOGNORMAL: return check_lognormal(ctx, node, path, d);
    case WL_DIST_EMPIRICAL: return check_empirical(ctx, node, path, d);
    default:
      if ((rc = need(ctx, node, path, d->kind, "shape"))) return rc;
      return need(ctx, node, path, d->kind, "scale");
  }
}

double wl_dist_draw(const wl_dist *d, gsl_rng *rng) {
  switch (d->kind) {
    case WL_DIST_CONSTANT: return d->value;
    case WL_DIST_EXPONENTIAL: return wl_exponential(rng, d->mean);
    case WL_DIST_LOGNORMAL: return gsl_ran_lognormal(rng, d->mu, d->sigma);
    case WL_DIST_GAMMA: return gsl_ran_gamma(rng, d->shape, d->scale);
    /* GSL's Weibull density is (b/a)(x/a)^(b-1) exp(-(x/a)^b): a = scale, b = shape. */
    case WL_DIST_WEIBULL: return gsl_ran_weibull(rng, d->scale, d->shape);
    /* GSL's Pareto density is (a/b)(x/b)^-(a+1) for x >= b: a = shape, b = scale. */
    case WL_DIST_PARETO: return gsl_ran_pareto(rng, d->shape, d->scale);
    case WL_DIST_EMPIRICAL: {
      wl_quantiles q = {d->n_points, d->p, d->v};
      return wl_quantiles_draw(&q, rng);
    }
  }
  SIM_ASSERT(!"unknown distribution kind");
  return 0;
}

double wl_dist_mean(const wl_dist *d) {
  switch (d->kind) {
    case WL_DIST_CONSTANT: return d->value;
    case WL_DIST_EXPONENTIAL: return d->mean;
    case WL_DIST_LOGNORMAL: return exp(d->mu + d->sigma * d->sigma / 2);
    case WL_DIST_GAMMA: return d->shape * d->scale;
    case WL_DIST_WEIBULL: return d->scale * gsl_sf_gamma(1 + 1 / d->shape);
    case WL_DIST_PARETO: return d->shape > 1 ? d->shape * d->scale / (d->shape - 1) : INFINITY;
    case WL_DIST_EMPIRICAL: {
      wl_quantiles q = {d->n_points, d->p, d->v};
      return wl_quantiles_mean(&q);
    }
  }
  SIM_ASSERT(!"unknown distribution kind");
  return 0;
}

double wl_dist_quantile(const wl_dist *d, double q) {
  switch (d->kind) {
    case WL_DIST_CONSTANT: return d->value;
    case WL_DIST_EXPONENTIAL: return gsl_cdf_exponential_Pinv(q, d->mean);
    case WL_DIST_LOGNORMAL: return gsl_cdf_lognormal_Pinv(q, d->mu, d->sigma);
    case WL_DIST_GAMMA: return gsl_cdf_gamma_Pinv(q, d->shape, d->scale);
    case WL_DIST_WEIBULL: return gsl_cdf_weibull_Pinv(q, d->scale, d->shape);
    case WL_DIST_PARETO: return gsl_cdf_pareto_Pinv(q, d->shape, d->scale);
    case WL_DIST_EMPIRICAL: {
      wl_quantiles tq = {d->n_points, d->p, d->v};
      return wl_quantiles_at(&tq, q);
    }
  }
  SIM_ASSERT(!"unknown distribution kind");
  return 0;
}
