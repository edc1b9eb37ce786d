/* report_settings.c — collects a scenario's effective settings from the cfg
 * schemas and writes DIR/settings.csv (see report_settings.h). */
#include "output/report_settings.h"

#include <csv.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/atomic.h"

typedef struct setting {
  char *platform, *key, *value, *role;
  bool defaulted;
} setting;

struct out_settings {
  setting *v;
  size_t n, cap;
};

out_settings *out_settings_alloc(void) { return sim_xcalloc(1, sizeof(out_settings)); }

void out_settings_free(out_settings *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) {
    free(s->v[i].platform);
    free(s->v[i].key);
    free(s->v[i].value);
    free(s->v[i].role);
  }
  free(s->v);
  free(s);
}

void out_settings_add(out_settings *s, const char *platform, const char *key,
                      const char *value, bool defaulted) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    s->v = sim_xrealloc(s->v, s->cap * sizeof *s->v);
  }
  s->v[s->n++] = (setting){sim_xstrdup(platform ? platform : ""), sim_xstrdup(key),
                           sim_xstrdup(value ? value : ""), sim_xstrdup(""), defaulted};
}

/* --- values as scenario text ---------------------------------------------------- */

/* Seconds in the largest unit that keeps the number short: 250ms, 45s, 15m, 2h. */
static void format_duration(char *buf, size_t len, double s) {
  if (s == 0) snprintf(buf, len, "0s");
  else if (s < 1) snprintf(buf, len, "%gms", s * 1e3);
  else if (fmod(s, 3600) == 0) snprintf(buf, len, "%gh", s / 3600);
  else if (fmod(s, 60) == 0) snprintf(buf, len, "%gm", s / 60);
  else snprintf(buf, len, "%gs", s);
}

static void format_size(char *buf, size_t len, double mib) {
  if (mib >= 1024 && fmod(mib, 1024) == 0) snprintf(buf, len, "%gGiB", mib / 1024);
  else snprintf(buf, len, "%gMiB", mib);
}

static void format_numbers(char *buf, size_t len, const cfg_numbers *nums) {
  size_t used = (size_t)snprintf(buf, len, "[");
  for (size_t i = 0; i < nums->n && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%g", i ? ", " : "", nums->v[i]);
  if (used < len) snprintf(buf + used, len - used, "]");
}

/* Formats the scalar field f at p; returns false for types that are not scalars. */
static bool format_value(const cfg_field *f, const void *p, char *buf, size_t len) {
  switch (f->type) {
  case CFG_BOOL: snprintf(buf, len, "%s", *(const bool *)p ? "true" : "false"); return true;
  case CFG_INT: snprintf(buf, len, "%d", *(const int *)p); return true;
  case CFG_UINT64: snprintf(buf, len, "%" PRIu64, *(const uint64_t *)p); return true;
  case CFG_NUMBER: snprintf(buf, len, "%g", *(const double *)p); return true;
  case CFG_DURATION: format_duration(buf, len, *(const double *)p); return true;
  case CFG_SIZE: format_size(buf, len, *(const double *)p); return true;
  case CFG_PERCENT: snprintf(buf, len, "%g%%", *(const double *)p); return true;
  case CFG_RATE: snprintf(buf, len, "%g/s", *(const double *)p); return true;
  case CFG_STRING:
  case CFG_PATH: snprintf(buf, len, "%s", *(char *const *)p ? *(char *const *)p : ""); return true;
  case CFG_ENUM: {
    int i = *(const int *)p;
    int n = 0;
    while (f->choices && f->choices[n]) n++;
    snprintf(buf, len, "%s", i >= 0 && i < n ? f->choices[i] : "?");
    return true;
  }
  case CFG_NUMBER_LIST: format_numbers(buf, len, p); return true;
  default: return false;
  }
}

static void join(char *out, size_t len, const char *path, const char *key) {
  snprintf(out, len, "%s%s%s", path, *path ? "." : "", key);
}

/* True when the scalar field f at p holds its type's zero (0, "", []). */
static bool is_zero(const cfg_field *f, const void *p) {
  switch (f->type) {
  case CFG_INT: return *(const int *)p == 0;
  case CFG_UINT64: return *(const uint64_t *)p == 0;
  case CFG_NUMBER: case CFG_DURATION: case CFG_SIZE: case CFG_PERCENT: case CFG_RATE:
    return *(const double *)p == 0;
  case CFG_STRING:
  case CFG_PATH: return !*(char *const *)p || !**(char *const *)p;
  case CFG_NUMBER_LIST: return ((const cfg_numbers *)p)->n == 0;
  default: return false;
  }
}

/* Walks obj. `inherited` is set inside a map or list that was defaulted as a
 * whole: the cfg reader records only the map's own path then, so its fields
 * count as defaulted, and a field without a default of its own belongs to the
 * default document only if it is not zero (`{dist: constant, value: 1s}`
 * leaves the lognormal's `median` at 0). */
static void collect(out_settings *s, const char *platform, const char *cfg_path,
                    const char *key_path, const cfg_schema *schema, const void *obj,
                    const cfg_ctx *ctx, bool inherited) {
  char cpath[512], kpath[512], value[512];
  for (const cfg_field *f = schema->fields; f->key; f++) {
    if (schema->applies && !schema->applies(obj, f)) continue; /* e.g. another policy kind's */
    const void *p = (const char *)obj + f->offset;
    join(cpath, sizeof cpath, cfg_path, f->key);
    join(kpath, sizeof kpath, key_path, f->key);
    bool defaulted = inherited || (ctx && cfg_was_defaulted(ctx, cpath));
    if (f->type == CFG_MAP) {
      collect(s, platform, cpath, kpath, f->sub, p, ctx, defaulted);
    } else if (f->type == CFG_LIST) {
      const cfg_list *l = p;
      for (size_t i = 0; i < l->n; i++) {
        char ci[540], ki[540];
        snprintf(ci, sizeof ci, "%s[%zu]", cpath, i);
        snprintf(ki, sizeof ki, "%s[%zu]", kpath, i);
        collect(s, platform, ci, ki, f->sub, (const char *)l->items + i * f->sub->size, ctx,
                defaulted);
      }
    } else if (format_value(f, p, value, sizeof value)) {
      /* An optional value the scenario left out, with no default, is not a
       * setting at all (e.g. the lognormal's `mean`). */
      if (defaulted && !f->def && (!inherited || is_zero(f, p))) continue;
      out_settings_add(s, platform, kpath, value, defaulted);
    }
  }
}

void out_settings_collect(out_settings *s, const char *platform, const char *cfg_path,
                          const cfg_schema *schema, const void *obj, const cfg_ctx *ctx) {
  const char *path = cfg_path ? cfg_path : "";
  collect(s, platform, path, platform ? "" : path, schema, obj, ctx, false);
}

static setting *find(const out_settings *s, const char *platform, const char *key) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->v[i].platform, platform ? platform : "") == 0 && strcmp(s->v[i].key, key) == 0)
      return &s->v[i];
  return NULL;
}

bool out_settings_set_role(out_settings *s, const char *platform, const char *key,
                           const char *role) {
  setting *st = find(s, platform, key);
  if (!st) return false;
  free(st->role);
  st->role = sim_xstrdup(role ? role : "");
  return true;
}

size_t out_settings_count(const out_settings *s) { return s->n; }

const char *out_settings_value(const out_settings *s, const char *platform, const char *key) {
  const setting *st = find(s, platform, key);
  return st ? st->value : NULL;
}

static void put(FILE *fp, const char *text, bool comma) {
  csv_fwrite(fp, text, strlen(text));
  if (comma) fputc(',', fp);
}

int out_settings_write(const out_settings *s, const char *dir, sim_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/settings.csv", dir);
  out_file *f = out_file_open(path, err);
  if (!f) return SIM_EFAIL;
  FILE *fp = out_file_stream(f);
  fputs("platform,key,value,defaulted,role\n", fp);
  for (size_t i = 0; i < s->n; i++) {
    const setting *st = &s->v[i];
    put(fp, st->platform, true);
    put(fp, st->key, true);
    put(fp, st->value, true);
    fputs(st->defaulted ? "true," : "false,", fp);
    put(fp, st->role, false);
    fputc('\n', fp);
  }
  return out_file_commit(f, err);
}
