/* transform.c — filters, the time window and rate_scale of trace replays
 * (see transform.h and trace.h). */
#include "workloads/transform.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "sim/units.h"
#include "workloads/tstamp.h"

/* --- filters ------------------------------------------------------------------ */

static const cfg_field filter_fields[] = {
    {.key = "url_prefix", .type = CFG_STRING, .offset = offsetof(wl_filter_cfg, url_prefix),
     .doc = "keep requests whose URL path starts with this (clf, alb, csv with url_column)"},
    {.key = "status", .type = CFG_NUMBER_LIST, .offset = offsetof(wl_filter_cfg, status),
     .flags = CFG_FLOW, .doc = "keep requests whose logged status is one of these codes"},
    {.key = "function", .type = CFG_STRING, .offset = offsetof(wl_filter_cfg, function),
     .doc = "keep these function (or app) ids, comma-separated (azure2019, azure2021, csv)"},
    {.key = "trigger", .type = CFG_STRING, .offset = offsetof(wl_filter_cfg, trigger),
     .doc = "azure2019: keep functions with these triggers, comma-separated (http, timer, ...)"},
    {0}};

const cfg_schema wl_filter_schema = {
    .name = "filter", .size = sizeof(wl_filter_cfg), .fields = filter_fields};

void wl_transform_defaults(wl_transform_cfg *t) {
  memset(t, 0, sizeof *t);
  t->speedup = 1;
  t->rate_scale = 1;
  t->rate_scale_jitter_s = 1;
}

bool wl_id_listed(const char *ids, const char *s, size_t len) {
  if (!ids || !*ids) return true;
  for (const char *p = ids;;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    while (n && *p == ' ') p++, n--;
    while (n && p[n - 1] == ' ') n--;
    if (n == len && memcmp(p, s, len) == 0) return true;
    if (!comma) return false;
    p = comma + 1;
  }
}

/* The path of a URL: what follows scheme://host[:port], or the URL itself. */
static const char *url_path(const char *url) {
  const char *sep = strstr(url, "://");
  if (!sep) return url;
  const char *slash = strchr(sep + 3, '/');
  return slash ? slash : "/";
}

bool wl_filter_accepts(const wl_filter_cfg *f, const char *url, int status,
                       const char *function) {
  if (!f) return true;
  if (url && f->url_prefix && *f->url_prefix &&
      strncmp(url_path(url), f->url_prefix, strlen(f->url_prefix)) != 0)
    return false;
  if (f->status.n) {
    bool hit = false;
    for (size_t i = 0; i < f->status.n && !hit; i++) hit = (int)f->status.v[i] == status;
    if (!hit) return false;
  }
  if (function && !wl_id_listed(f->function, function, strlen(function))) return false;
  return true;
}

/* --- the window ------------------------------------------------------------- */

bool wl_bound_parse(const char *text, wl_bound *out, char *why, size_t why_len) {
  memset(out, 0, sizeof *out);
  if (!text || !*text) return true;
  double v, res;
  if (wl_parse_iso8601(text, strlen(text), &v, &res)) {
    *out = (wl_bound){true, true, v};
    return true;
  }
  if (sim_parse_duration(text, &v, NULL, 0) == 0 && v >= 0) {
    *out = (wl_bound){true, false, v};
    return true;
  }
  snprintf(why, why_len,
           "expected a duration from the trace start (e.g. 2h) or an ISO 8601 time "
           "(e.g. 1995-08-01T12:00:00Z), got '%s'",
           text);
  return false;
}

double wl_bound_resolve(const wl_bound *b, double trace_start_s) {
  return b->absolute ? b->value_s : trace_start_s + b->value_s;
}

/* --- rate_scale ------------------------------------------------------------------ */

void wl_scaler_init(wl_scaler *s, double rate_scale, double jitter_s, gsl_rng *rng) {
  memset(s, 0, sizeof *s);
  s->rate_scale = rate_scale;
  s->jitter_s = jitter_s;
  s->rng = rng;
  s->last_in_s = -INFINITY;
  if (rate_scale > 1) s->pending = wl_reorder_alloc();
}

void wl_scaler_free(wl_scaler *s) {
  wl_reorder_free(s->pending);
  s->pending = NULL;
}

bool wl_scaler_replicates(const wl_scaler *s) { return s->pending != NULL; }

int wl_scaler_feed(wl_scaler *s, const wl_rec *in, wl_rec *out) {
  if (!s->pending) {
    if (s->rate_scale < 1 && gsl_rng_uniform(s->rng) >= s->rate_scale) return 0;
    *out = *in;
    return 1;
  }
  double whole = floor(s->rate_scale);
  int copies = (int)whole + (gsl_rng_uniform(s->rng) < s->rate_scale - whole);
  s->last_in_s = in->t_s;
  wl_reorder_push(s->pending, in);
  for (int i = 1; i < copies; i++) {
    wl_rec r = *in;
    r.t_s += s->jitter_s * gsl_rng_uniform(s->rng);
    wl_reorder_push(s->pending, &r);
  }
  return copies;
}

bool wl_scaler_pop(wl_scaler *s, bool flush, wl_rec *out) {
  const wl_rec *head = wl_reorder_peek(s->pending);
  if (!head || (!flush && head->t_s > s->last_in_s)) return false;
  return wl_reorder_pop(s->pending, out);
}
