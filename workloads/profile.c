/* profile.c — rate profiles (schema, rate, exact integral, bound) and the
 * non-homogeneous Poisson generator that thins against them (see profile.h). */
#include "workloads/profile.h"
#include "workloads/dist.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_randist.h>
#include <libfyaml.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "sim/rng.h"
#include "workloads/csvrows.h"
#include "workloads/tstamp.h"

/* --- schema ------------------------------------------------------------------------ */

static const char *const kind_names[] = {"constant", "step",    "ramp",     "sine",
                                         "diurnal",  "piecewise", NULL};

static const cfg_field step_fields[] = {
    {.key = "at", .type = CFG_DURATION, .offset = offsetof(wl_step_cfg, at_s),
     .flags = CFG_REQUIRED, .doc = "when this rate starts (from the scenario start)"},
    {.key = "rate", .type = CFG_RATE, .offset = offsetof(wl_step_cfg, rate_per_s),
     .flags = CFG_REQUIRED, .min = 0, .max = INFINITY, .doc = "the rate from then on"},
    {0}};
static const cfg_schema step_schema = {
    .name = "step", .size = sizeof(wl_step_cfg), .fields = step_fields};

static const cfg_field spike_fields[] = {
    {.key = "at", .type = CFG_DURATION, .offset = offsetof(wl_spike_cfg, at_s),
     .flags = CFG_REQUIRED, .doc = "when the crowd starts arriving"},
    {.key = "rate", .type = CFG_RATE, .offset = offsetof(wl_spike_cfg, rate_per_s),
     .flags = CFG_REQUIRED | CFG_POSITIVE, .doc = "extra rate at the crowd's peak"},
    {.key = "rise", .type = CFG_DURATION, .offset = offsetof(wl_spike_cfg, rise_s), .def = "1m",
     .doc = "time from 0 to the peak (linear)"},
    {.key = "hold", .type = CFG_DURATION, .offset = offsetof(wl_spike_cfg, hold_s), .def = "5m",
     .doc = "time at the peak"},
    {.key = "decay", .type = CFG_DURATION, .offset = offsetof(wl_spike_cfg, decay_s),
     .def = "15m", .doc = "time from the peak back to 0 (linear)"},
    {0}};
static const cfg_schema spike_schema = {
    .name = "spike", .size = sizeof(wl_spike_cfg), .fields = spike_fields};

static int check_profile(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);

#define RATE(k, member, doc_)                                                             \
  {.key = k, .type = CFG_RATE, .offset = offsetof(wl_profile_cfg, member), .min = 0,      \
   .max = INFINITY, .doc = doc_}
#define DUR(k, member, doc_) \
  {.key = k, .type = CFG_DURATION, .offset = offsetof(wl_profile_cfg, member), .doc = doc_}

static const cfg_field profile_fields[] = {
    /* Required when `profile` is given; check_profile demands it (a CFG_REQUIRED
     * key would make the optional profile section required). */
    {.key = "kind",
     .type = CFG_ENUM,
     .offset = offsetof(wl_profile_cfg, kind),
     .choices = kind_names,
     .doc = "(required) constant (rate), step (steps), ramp (from, to, start, end), sine (mean, "
            "amplitude, period, peak_at), diurnal (min, max, peak_at), piecewise (path)"},
    RATE("rate", rate_per_s, "constant: the rate"),
    {.key = "steps",
     .type = CFG_LIST,
     .offset = offsetof(wl_profile_cfg, steps),
     .sub = &step_schema,
     .doc = "step: [{at, rate}, ...] with `at` increasing; 0 before the first"},
    RATE("from", from_per_s, "ramp: the rate until `start`"),
    RATE("to", to_per_s, "ramp: the rate from `end` on"),
    DUR("start", start_s, "ramp: when the ramp begins (default 0)"),
    DUR("end", end_s, "ramp: when the ramp ends (> start)"),
    RATE("mean", mean_per_s, "sine: the mean rate"),
    RATE("amplitude", amplitude_per_s, "sine: the swing above and below the mean (<= mean)"),
    {.key = "period",
     .type = CFG_DURATION,
     .offset = offsetof(wl_profile_cfg, period_s),
     .flags = CFG_POSITIVE,
     .doc = "sine: the period"},
    RATE("min", min_per_s, "diurnal: the rate at the daily trough"),
    RATE("max", max_per_s, "diurnal: the rate at the daily peak"),
    DUR("peak_at", peak_at_s,
        "sine, diurnal: the time of a peak (default 0; t = 0 is midnight for diurnal)"),
    {.key = "path",
     .type = CFG_PATH,
     .offset = offsetof(wl_profile_cfg, path),
     .doc = "piecewise: CSV with header `time,rate` (seconds, /s), interpolated monotonically "
            "(Steffen); held constant beyond its ends"},
    {.key = "spikes",
     .type = CFG_LIST,
     .offset = offsetof(wl_profile_cfg, spikes),
     .sub = &spike_schema,
     .doc = "flash crowds added on top: [{at, rate, rise, hold, decay}]"},
    {0}};

#undef RATE
#undef DUR

const cfg_schema wl_profile_schema = {.name = "profile",
                                      .size = sizeof(wl_profile_cfg),
                                      .fields = profile_fields,
                                      .check = check_profile};

/* The keys each kind takes beside `kind` and `spikes`. */
static const char *const kind_keys[][5] = {
    [WL_PROFILE_CONSTANT] = {"rate", NULL},
    [WL_PROFILE_STEP] = {"steps", NULL},
    [WL_PROFILE_RAMP] = {"from", "to", "start", "end", NULL},
    [WL_PROFILE_SINE] = {"mean", "amplitude", "period", "peak_at", NULL},
    [WL_PROFILE_DIURNAL] = {"min", "max", "peak_at", NULL},
    [WL_PROFILE_PIECEWISE] = {"path", NULL},
};
/* The keys a kind cannot do without. */
static const char *const kind_required[][4] = {
    [WL_PROFILE_CONSTANT] = {"rate", NULL},
    [WL_PROFILE_STEP] = {"steps", NULL},
    [WL_PROFILE_RAMP] = {"from", "to", "end", NULL},
    [WL_PROFILE_SINE] = {"mean", "amplitude", "period", NULL},
    [WL_PROFILE_DIURNAL] = {"min", "max", NULL},
    [WL_PROFILE_PIECEWISE] = {"path", NULL},
};

static bool kind_takes(int kind, const char *key) {
  for (const char *const *k = kind_keys[kind]; *k; k++)
    if (strcmp(*k, key) == 0) return true;
  return false;
}

/* Parameters that contradict each other, or NULL (shared by the scenario
 * check and wl_profile_alloc for configs built in code). */
static const char *profile_problem(const wl_profile_cfg *c, char *buf, size_t len) {
  switch (c->kind) {
    case WL_PROFILE_RAMP:
      if (!(c->end_s > c->start_s)) return "end: expected a time after start";
      break;
    case WL_PROFILE_SINE:
      if (c->amplitude_per_s > c->mean_per_s)
        return "amplitude: expected at most the mean (a rate cannot go below 0)";
      if (!(c->period_s > 0)) return "period: expected a duration > 0";
      break;
    case WL_PROFILE_DIURNAL:
      if (c->min_per_s > c->max_per_s) return "min: expected at most max";
      break;
    case WL_PROFILE_STEP: {
      const wl_step_cfg *s = c->steps.items;
      if (c->steps.n == 0) return "steps: expected at least one step";
      for (size_t i = 1; i < c->steps.n; i++)
        if (!(s[i].at_s > s[i - 1].at_s)) {
          snprintf(buf, len, "steps[%zu].at: expected a time after the previous step's", i);
          return buf;
        }
      break;
    }
    default: break;
  }
  const wl_spike_cfg *sp = c->spikes.items;
  for (size_t i = 0; i < c->spikes.n; i++)
    if (!(sp[i].rise_s + sp[i].hold_s + sp[i].decay_s > 0)) {
      snprintf(buf, len, "spikes[%zu]: rise + hold + decay must be > 0", i);
      return buf;
    }
  return NULL;
}

static int check_profile(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  const wl_profile_cfg *c = obj;
  if (!fy_node_mapping_lookup_pair_by_simple_key(node, "kind", 4))
    return cfg_error_at(ctx, node, path, "missing required key 'kind'");
  static const char *const all[] = {"rate", "steps", "from",  "to",      "start", "end",
                                    "mean", "amplitude", "period", "min", "max",
                                    "peak_at", "path", NULL};
  for (const char *const *k = all; *k; k++) {
    struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_simple_key(node, *k, strlen(*k));
    if (pair && !kind_takes(c->kind, *k))
      return cfg_error_at(ctx, fy_node_pair_key(pair), path,
                          "%s is not a parameter of profile kind '%s'", *k,
                          kind_names[c->kind]);
  }
  for (const char *const *k = kind_required[c->kind]; *k; k++)
    if (!fy_node_mapping_lookup_pair_by_simple_key(node, *k, strlen(*k)))
      return cfg_error_at(ctx, node, path, "missing required key '%s' (profile kind '%s')", *k,
                          kind_names[c->kind]);
  char buf[160];
  const char *why = profile_problem(c, buf, sizeof buf);
  return why ? cfg_error_at(ctx, node, path, "%s", why) : SIM_OK;
}

/* --- the compiled profile -------------------------------------------------------- */

struct wl_profile {
  int kind;
  double rate;                      /* constant */
  wl_step_cfg *steps;               /* step */
  size_t n_steps;
  double from, to, start, end;      /* ramp */
  double mean, amp, period, peak;   /* sine and diurnal */
  double *x, *y;                    /* piecewise points */
  size_t n;
  gsl_interp *interp;
  gsl_interp_accel *acc;
  wl_spike_cfg *spikes;
  size_t n_spikes;
};

/* ∫ over [a, b] ∩ [x0, x1] of the line through (x0, y0) and (x1, y1). */
static double line_integral(double x0, double y0, double x1, double y1, double a, double b) {
  double lo = fmax(a, x0), hi = fmin(b, x1);
  if (!(hi > lo)) return 0;
  double slope = (y1 - y0) / (x1 - x0);
  double ylo = y0 + slope * (lo - x0), yhi = y0 + slope * (hi - x0);
  return (hi - lo) * (ylo + yhi) / 2;
}

/* The length of [a, b] ∩ [lo, hi]. */
static double overlap(double a, double b, double lo, double hi) {
  return fmax(0, fmin(b, hi) - fmax(a, lo));
}

/* A flash crowd: a trapezoid of height h on the breakpoints x[0..3]. */
static void spike_points(const wl_spike_cfg *s, double x[4]) {
  x[0] = s->at_s;
  x[1] = x[0] + s->rise_s;
  x[2] = x[1] + s->hold_s;
  x[3] = x[2] + s->decay_s;
}

static double spike_rate(const wl_spike_cfg *s, double t) {
  double x[4];
  spike_points(s, x);
  if (t < x[0] || t >= x[3]) return 0;
  if (t < x[1]) return s->rate_per_s * (t - x[0]) / s->rise_s;
  if (t < x[2]) return s->rate_per_s;
  return s->rate_per_s * (x[3] - t) / s->decay_s;
}

static double spike_integral(const wl_spike_cfg *s, double a, double b) {
  double x[4], h = s->rate_per_s;
  spike_points(s, x);
  return line_integral(x[0], 0, x[1], h, a, b) + h * overlap(a, b, x[1], x[2]) +
         line_integral(x[2], h, x[3], 0, a, b);
}

static double spike_bound(const wl_spike_cfg *s, double a, double b) {
  double x[4];
  spike_points(s, x);
  /* Unimodal: the peak if [a, b] reaches the plateau, else an end. */
  if (a <= x[2] && b >= x[1]) return s->rate_per_s;
  return fmax(spike_rate(s, a), spike_rate(s, b));
}

/* Index of the step in force at t, or -1 before the first. */
static long step_at(const wl_profile *p, double t) {
  long lo = -1, hi = (long)p->n_steps;
  while (hi - lo > 1) {
    long mid = (lo + hi) / 2;
    if (p->steps[mid].at_s <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* Index of the first piecewise point with x > t (n if none). */
static size_t first_point_after(const wl_profile *p, double t) {
  size_t lo = 0, hi = p->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (p->x[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static double pw_rate(const wl_profile *p, double t) {
  if (t <= p->x[0]) return p->y[0];
  if (t >= p->x[p->n - 1]) return p->y[p->n - 1];
  double v;
  if (gsl_interp_eval_e(p->interp, p->x, p->y, t, p->acc, &v) != GSL_SUCCESS) return p->y[0];
  return fmax(0, v);
}

static double base_rate(const wl_profile *p, double t) {
  switch (p->kind) {
    case WL_PROFILE_CONSTANT: return p->rate;
    case WL_PROFILE_STEP: {
      long i = step_at(p, t);
      return i < 0 ? 0 : p->steps[i].rate_per_s;
    }
    case WL_PROFILE_RAMP:
      if (t <= p->start) return p->from;
      if (t >= p->end) return p->to;
      return p->from + (p->to - p->from) * (t - p->start) / (p->end - p->start);
    case WL_PROFILE_PIECEWISE: return pw_rate(p, t);
    default: return p->mean + p->amp * cos(2 * M_PI * (t - p->peak) / p->period);
  }
}

static double pw_integral(const wl_profile *p, double a, double b) {
  double x0 = p->x[0], xn = p->x[p->n - 1];
  double sum =
      p->y[0] * overlap(a, b, -INFINITY, x0) + p->y[p->n - 1] * overlap(a, b, xn, INFINITY);
  double lo = fmax(a, x0), hi = fmin(b, xn), v;
  if (hi > lo && gsl_interp_eval_integ_e(p->interp, p->x, p->y, lo, hi, p->acc, &v) == GSL_SUCCESS)
    sum += v;
  return sum;
}

static double base_integral(const wl_profile *p, double a, double b) {
  switch (p->kind) {
    case WL_PROFILE_CONSTANT: return p->rate * (b - a);
    case WL_PROFILE_STEP: {
      double sum = 0;
      for (size_t i = 0; i < p->n_steps; i++) {
        double hi = i + 1 < p->n_steps ? p->steps[i + 1].at_s : INFINITY;
        sum += p->steps[i].rate_per_s * overlap(a, b, p->steps[i].at_s, hi);
      }
      return sum;
    }
    case WL_PROFILE_RAMP:
      return p->from * overlap(a, b, -INFINITY, p->start) +
             line_integral(p->start, p->from, p->end, p->to, a, b) +
             p->to * overlap(a, b, p->end, INFINITY);
    case WL_PROFILE_PIECEWISE: return pw_integral(p, a, b);
    default: {
      double w = 2 * M_PI / p->period;
      return p->mean * (b - a) + p->amp / w * (sin(w * (b - p->peak)) - sin(w * (a - p->peak)));
    }
  }
}

static double base_bound(const wl_profile *p, double a, double b) {
  double m = fmax(base_rate(p, a), base_rate(p, b));
  switch (p->kind) {
    case WL_PROFILE_STEP:
      for (long i = step_at(p, a) + 1; i < (long)p->n_steps && p->steps[i].at_s <= b; i++)
        m = fmax(m, p->steps[i].rate_per_s);
      return m;
    case WL_PROFILE_SINE:
    case WL_PROFILE_DIURNAL: {
      /* A peak inside [a, b] gives the maximum; otherwise an end does. */
      double k = ceil((a - p->peak) / p->period);
      return p->peak + k * p->period <= b ? p->mean + p->amp : m;
    }
    case WL_PROFILE_PIECEWISE:
      /* Steffen's interpolant is monotone between points: check those inside. */
      for (size_t i = first_point_after(p, a); i < p->n && p->x[i] < b; i++)
        m = fmax(m, p->y[i]);
      return m;
    default: return m; /* constant, ramp: monotone */
  }
}

double wl_profile_rate(const wl_profile *p, double t_s) {
  double r = base_rate(p, t_s);
  for (size_t i = 0; i < p->n_spikes; i++) r += spike_rate(&p->spikes[i], t_s);
  return r;
}

double wl_profile_integral(const wl_profile *p, double t0_s, double t1_s) {
  double v = base_integral(p, t0_s, t1_s);
  for (size_t i = 0; i < p->n_spikes; i++) v += spike_integral(&p->spikes[i], t0_s, t1_s);
  return v;
}

double wl_profile_bound(const wl_profile *p, double t0_s, double t1_s) {
  double v = base_bound(p, t0_s, t1_s);
  for (size_t i = 0; i < p->n_spikes; i++) v += spike_bound(&p->spikes[i], t0_s, t1_s);
  return v;
}

/* --- the piecewise CSV --------------------------------------------------------- */

static int add_point(wl_profile *p, wl_csv *csv, size_t cols[2], size_t *cap, sim_error *err) {
  double v[2];
  static const char *const what[2] = {"seconds", "a rate >= 0 (/s)"};
  for (int k = 0; k < 2; k++) {
    size_t len;
    const char *s = wl_csv_field(csv, cols[k], &len);
    if (!s || !wl_parse_decimal(s, len, &v[k], NULL) || (k == 1 && v[k] < 0) ||
        (k == 0 && fabs(v[k]) > WL_MAX_EPOCH_S))
      return sim_errorf(err, SIM_EINPUT, "%s:%ld: %s: expected %s, got '%.60s'",
                        wl_csv_path(csv), wl_csv_line(csv), wl_csv_colname(csv, cols[k]), what[k],
                        s ? s : "");
  }
  if (p->n && !(v[0] > p->x[p->n - 1]))
    return sim_errorf(err, SIM_EINPUT, "%s:%ld: time: expected a time after the previous row's",
                      wl_csv_path(csv), wl_csv_line(csv));
  if (p->n == *cap) {
    *cap = *cap ? 2 * *cap : 64;
    p->x = sim_xrealloc(p->x, *cap * sizeof *p->x);
    p->y = sim_xrealloc(p->y, *cap * sizeof *p->y);
  }
  p->x[p->n] = v[0];
  p->y[p->n] = v[1];
  p->n++;
  return SIM_OK;
}

static int load_piecewise(wl_profile *p, const char *path, sim_error *err) {
  wl_csv *csv;
  size_t cols[2], cap = 0;
  int rc = wl_csv_open(path, ',', true, &csv, err);
  if (rc) return rc;
  rc = wl_csv_column(csv, "time", &cols[0], err);
  if (rc == 0) rc = wl_csv_column(csv, "rate", &cols[1], err);
  while (rc == 0) {
    int got = wl_csv_next(csv, err);
    if (got <= 0) {
      rc = -got;
      break;
    }
    rc = add_point(p, csv, cols, &cap, err);
  }
  wl_csv_free(csv);
  if (rc) return rc;
  if (p->n < 2)
    return sim_errorf(err, SIM_EINPUT, "%s: a piecewise profile needs 2 points or more", path);
  /* Steffen (1990) needs 3 points; with 2 the line through them is exact. */
  p->interp = gsl_interp_alloc(p->n >= 3 ? gsl_interp_steffen : gsl_interp_linear, p->n);
  p->acc = gsl_interp_accel_alloc();
  if (gsl_interp_init(p->interp, p->x, p->y, p->n) != GSL_SUCCESS)
    return sim_errorf(err, SIM_EINPUT, "%s: cannot interpolate the points", path);
  return SIM_OK;
}

int wl_profile_alloc(const wl_profile_cfg *cfg, wl_profile **out, sim_error *err) {
  *out = NULL;
  char buf[160];
  const char *why = profile_problem(cfg, buf, sizeof buf);
  if (why) return sim_errorf(err, SIM_ESCENARIO, "workload.arrivals.profile.%s", why);
  wl_profile *p = sim_xcalloc(1, sizeof *p);
  p->kind = cfg->kind;
  p->rate = cfg->rate_per_s;
  p->from = cfg->from_per_s;
  p->to = cfg->to_per_s;
  p->start = cfg->start_s;
  p->end = cfg->end_s;
  p->peak = cfg->peak_at_s;
  if (cfg->kind == WL_PROFILE_SINE) {
    p->mean = cfg->mean_per_s;
    p->amp = cfg->amplitude_per_s;
    p->period = cfg->period_s;
  } else if (cfg->kind == WL_PROFILE_DIURNAL) {
    p->mean = (cfg->max_per_s + cfg->min_per_s) / 2;
    p->amp = (cfg->max_per_s - cfg->min_per_s) / 2;
    p->period = 86400;
  }
  p->n_steps = cfg->steps.n;
  p->steps = sim_xmalloc((p->n_steps + 1) * sizeof *p->steps);
  if (p->n_steps) memcpy(p->steps, cfg->steps.items, p->n_steps * sizeof *p->steps);
  p->n_spikes = cfg->spikes.n;
  p->spikes = sim_xmalloc((p->n_spikes + 1) * sizeof *p->spikes);
  if (p->n_spikes) memcpy(p->spikes, cfg->spikes.items, p->n_spikes * sizeof *p->spikes);
  if (cfg->kind == WL_PROFILE_PIECEWISE) {
    int rc = load_piecewise(p, cfg->path ? cfg->path : "", err);
    if (rc) {
      wl_profile_free(p);
      return rc;
    }
  }
  *out = p;
  return SIM_OK;
}

void wl_profile_free(wl_profile *p) {
  if (!p) return;
  if (p->interp) gsl_interp_free(p->interp);
  if (p->acc) gsl_interp_accel_free(p->acc);
  free(p->x);
  free(p->y);
  free(p->steps);
  free(p->spikes);
  free(p);
}

/* --- the generator ------------------------------------------------------------------- */

/* Thinning works block by block with the block's own bound, so a spike or a
 * daily peak raises the candidate rate only where it is. */
#define BLOCK_S 10.0

typedef struct nhpp_source {
  wl_source base;
  wl_profile *profile;
  gsl_rng *arrivals_rng, *service_rng;
  wl_dist duration;
  double cpu_share, size, horizon_s;
  double t_s;         /* the last candidate time */
  double block_end_s; /* end of the current block */
  double bound;       /* the current block's rate bound */
} nhpp_source;

static void next_block(nhpp_source *s) {
  s->t_s = s->block_end_s;
  s->block_end_s = fmin(s->t_s + BLOCK_S, s->horizon_s);
  s->bound = wl_profile_bound(s->profile, s->t_s, s->block_end_s);
}

static int nhpp_next(wl_source *src, wl_request *out, sim_error *err) {
  nhpp_source *s = (nhpp_source *)src;
  for (;;) {
    if (s->t_s >= s->horizon_s) return 0;
    if (s->bound <= 0) {
      next_block(s);
      continue;
    }
    double t = s->t_s + wl_exponential(s->arrivals_rng, 1 / s->bound);
    if (t >= s->block_end_s) {
      /* Memoryless: restarting at the block end with the next bound is exact. */
      next_block(s);
      continue;
    }
    s->t_s = t;
    double rate = wl_profile_rate(s->profile, t);
    SIM_ASSERT(rate <= s->bound * (1 + 1e-9)); /* thinning is exact only under a bound */
    if (gsl_rng_uniform(s->arrivals_rng) * s->bound < rate) break;
  }
  double d = wl_dist_draw(&s->duration, s->service_rng);
  double cpu = s->cpu_share * d;
  *out = (wl_request){.arrival_s = s->t_s, .cpu_s = cpu, .wait_s = d - cpu, .size = s->size};
  return 1;
}

static void nhpp_free(wl_source *src) {
  nhpp_source *s = (nhpp_source *)src;
  if (!s) return;
  wl_profile_free(s->profile);
  gsl_rng_free(s->arrivals_rng);
  gsl_rng_free(s->service_rng);
  free(s);
}

static const wl_source_type nhpp_type = {.name = "poisson-profile", .next = nhpp_next,
                                         .free = nhpp_free};

int wl_nhpp_open(const wl_profile_cfg *cfg, const wl_dist *duration, double cpu_share,
                 double size, double horizon_s, uint64_t seed, wl_source **out, sim_error *err) {
  *out = NULL;
  if (!(horizon_s > 0))
    return sim_errorf(err, SIM_ESCENARIO,
                      "workload.arrivals: a generator needs a scenario duration");
  wl_profile *p;
  int rc = wl_profile_alloc(cfg, &p, err);
  if (rc) return rc;
  nhpp_source *s = sim_xcalloc(1, sizeof *s);
  s->base.type = &nhpp_type;
  s->profile = p;
  s->arrivals_rng = sim_rng_alloc(seed, "workload/arrivals");
  s->service_rng = sim_rng_alloc(seed, "workload/service");
  s->duration = *duration;
  s->cpu_share = cpu_share;
  s->size = size;
  s->horizon_s = horizon_s;
  s->block_end_s = 0;
  next_block(s);
  *out = &s->base;
  return SIM_OK;
}
