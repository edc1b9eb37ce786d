/* summary.c — summary.json (libfyaml's emitter in JSON mode) and summary.csv
 * (libcsv), both from one table of fields (see summary.h).
 *
 * The JSON is emitted as a stream of events rather than built as a document,
 * because only an event carries a scalar style: names are emitted double-quoted
 * (so a platform named "123" or "true" stays a string) and numbers plain (so they
 * are JSON numbers). The emitter does the escaping. */
#include "output/summary.h"

#include <csv.h>
#include <inttypes.h>
#include <libfyaml.h>
#include <math.h>
#include <string.h>

#include "output/atomic.h"

typedef enum field_fmt {
  FMT_COUNT,   /* an integer count: every digit */
  FMT_REAL,    /* a measurement: 10 significant digits */
  FMT_QUANTILE /* from the 1% sketch: 6 significant digits, no false precision */
} field_fmt;

typedef enum field_id {
  F_DURATION,
  F_REQUESTS,
  F_COMPLETED,
  F_ERR_429,
  F_ERR_500,
  F_ERR_502,
  F_ERR_503,
  F_ERR_504,
  F_ERRORS,
  F_ERROR_RATE,
  F_UNFINISHED,
  F_WAITED,
  F_QUEUE_WAIT_MEAN,
  F_LAT_MEAN,
  F_LAT_P50,
  F_LAT_P90,
  F_LAT_P95,
  F_LAT_P99,
  F_LAT_P999,
  F_LAT_MAX,
  F_STARTS,
  F_COLD_REQUESTS,
  F_COLD_WAIT,
  F_COLD_SHARE,
  F_INST_MEAN,
  F_INST_MAX,
  F_INST_SECONDS,
  F_CPU_UTIL,
  F_COST,
  F_COST_PER_MILLION,
  F_DECISIONS,
  F_SKIPPED,
  F_ORIGIN_ERRORS,
  F_COUNT
} field_id;

static const struct {
  const char *key;
  field_fmt fmt;
} fields[F_COUNT] = {
    [F_DURATION] = {"duration_s", FMT_REAL},
    [F_REQUESTS] = {"requests", FMT_COUNT},
    [F_COMPLETED] = {"completed", FMT_COUNT},
    [F_ERR_429] = {"errors_429", FMT_COUNT},
    [F_ERR_500] = {"errors_500", FMT_COUNT},
    [F_ERR_502] = {"errors_502", FMT_COUNT},
    [F_ERR_503] = {"errors_503", FMT_COUNT},
    [F_ERR_504] = {"errors_504", FMT_COUNT},
    [F_ERRORS] = {"errors_total", FMT_COUNT},
    [F_ERROR_RATE] = {"error_rate", FMT_REAL},
    [F_UNFINISHED] = {"unfinished", FMT_COUNT},
    [F_WAITED] = {"waited", FMT_COUNT},
    [F_QUEUE_WAIT_MEAN] = {"queue_wait_mean_s", FMT_REAL},
    [F_LAT_MEAN] = {"latency_mean_s", FMT_REAL},
    [F_LAT_P50] = {"latency_p50_s", FMT_QUANTILE},
    [F_LAT_P90] = {"latency_p90_s", FMT_QUANTILE},
    [F_LAT_P95] = {"latency_p95_s", FMT_QUANTILE},
    [F_LAT_P99] = {"latency_p99_s", FMT_QUANTILE},
    [F_LAT_P999] = {"latency_p999_s", FMT_QUANTILE},
    [F_LAT_MAX] = {"latency_max_s", FMT_REAL},
    [F_STARTS] = {"instance_starts", FMT_COUNT},
    [F_COLD_REQUESTS] = {"cold_requests", FMT_COUNT},
    [F_COLD_WAIT] = {"cold_wait_s", FMT_REAL},
    [F_COLD_SHARE] = {"cold_share", FMT_REAL},
    [F_INST_MEAN] = {"instances_mean", FMT_REAL},
    [F_INST_MAX] = {"instances_max", FMT_REAL},
    [F_INST_SECONDS] = {"instance_seconds", FMT_REAL},
    [F_CPU_UTIL] = {"cpu_utilization_mean", FMT_REAL},
    [F_COST] = {"cost_usd", FMT_REAL},
    [F_COST_PER_MILLION] = {"cost_per_million_usd", FMT_REAL},
    [F_DECISIONS] = {"decisions", FMT_COUNT},
    [F_SKIPPED] = {"records_skipped", FMT_COUNT},
    [F_ORIGIN_ERRORS] = {"origin_errors", FMT_COUNT},
};

static double ratio(double num, double den) { return den > 0 ? num / den : NAN; }

static double quantile(const out_sketch *s, double q) {
  return s ? out_sketch_quantile(s, q) : NAN;
}

/* Every field of one platform, NaN where the value does not exist. */
static void field_values(const out_platform_result *r, double v[F_COUNT]) {
  const out_totals *t = &r->totals;
  const double *c = t->counters;
  const out_sketch *lat = r->latency;
  v[F_DURATION] = t->duration_s;
  v[F_REQUESTS] = c[OUT_ARRIVALS];
  v[F_COMPLETED] = c[OUT_COMPLETIONS];
  v[F_ERR_429] = c[OUT_ERR_429];
  v[F_ERR_500] = c[OUT_ERR_500];
  v[F_ERR_502] = c[OUT_ERR_502];
  v[F_ERR_503] = c[OUT_ERR_503];
  v[F_ERR_504] = c[OUT_ERR_504];
  v[F_ERRORS] = c[OUT_ERR_429] + c[OUT_ERR_500] + c[OUT_ERR_502] + c[OUT_ERR_503] + c[OUT_ERR_504];
  v[F_ERROR_RATE] = ratio(v[F_ERRORS], c[OUT_ARRIVALS]);
  v[F_UNFINISHED] = t->unfinished;
  v[F_WAITED] = c[OUT_WAITED];
  v[F_QUEUE_WAIT_MEAN] = ratio(c[OUT_QUEUE_WAIT_S], c[OUT_WAITED]);
  v[F_LAT_MEAN] = lat ? ratio(out_sketch_sum(lat), (double)out_sketch_count(lat)) : NAN;
  v[F_LAT_P50] = quantile(lat, 0.5);
  v[F_LAT_P90] = quantile(lat, 0.9);
  v[F_LAT_P95] = quantile(lat, 0.95);
  v[F_LAT_P99] = quantile(lat, 0.99);
  v[F_LAT_P999] = quantile(lat, 0.999);
  v[F_LAT_MAX] = lat ? out_sketch_max(lat) : NAN;
  v[F_STARTS] = c[OUT_INSTANCE_STARTS];
  v[F_COLD_REQUESTS] = c[OUT_COLD_REQUESTS];
  v[F_COLD_WAIT] = c[OUT_COLD_WAIT_S];
  v[F_COLD_SHARE] = lat ? ratio(c[OUT_COLD_WAIT_S], out_sketch_sum(lat)) : NAN;
  v[F_SKIPPED] = (double)r->records_skipped;
  v[F_ORIGIN_ERRORS] = (double)r->origin_errors;
  v[F_INST_MEAN] = t->instances_mean;
  v[F_INST_MAX] = t->instances_max;
  v[F_INST_SECONDS] = t->instance_seconds;
  v[F_CPU_UTIL] = ratio(t->gauge_mean[OUT_CPU_BUSY], t->gauge_mean[OUT_CPU_ALLOC]);
  v[F_COST] = c[OUT_COST_USD];
  v[F_COST_PER_MILLION] = ratio(c[OUT_COST_USD] * 1e6, c[OUT_ARRIVALS]);
  v[F_DECISIONS] = c[OUT_DECISIONS];
}

/* Formats v as a plain decimal (no exponent) into buf; returns false (buf
 * empty) when v is not a finite number. Counts keep every integer digit; other
 * values their format's significant digits, at most 20 decimals, trailing
 * zeros dropped. */
bool out_format_decimal(char *buf, size_t len, double v, int significant) {
  buf[0] = '\0';
  if (!isfinite(v)) return false;
  if (v == 0) v = 0; /* -0 prints as 0 */
  int decimals = 0;
  if (significant > 0 && v != 0) {
    decimals = significant - 1 - (int)floor(log10(fabs(v)));
    if (decimals < 0) decimals = 0;
    if (decimals > 20) decimals = 20;
  }
  int n = snprintf(buf, len, "%.*f", decimals, v);
  if (decimals > 0) {
    while (n > 0 && buf[n - 1] == '0') n--;
    if (n > 0 && buf[n - 1] == '.') n--;
    buf[n] = '\0';
  }
  if (strcmp(buf, "-0") == 0) strcpy(buf, "0"); /* a tiny negative rounded away */
  return true;
}

static bool format_number(char *buf, size_t len, double v, field_fmt fmt) {
  int digits = fmt == FMT_COUNT ? 0 : fmt == FMT_QUANTILE ? 6 : 10;
  return out_format_decimal(buf, len, v, digits);
}

/* --- summary.json --------------------------------------------------------- */

typedef struct json_out {
  struct fy_emitter *emit;
  bool failed;
} json_out;

/* Queues ev; callers create events only while nothing has failed. */
static void emit(json_out *j, struct fy_event *ev) {
  if (!ev || fy_emit_event(j->emit, ev) != 0) j->failed = true;
}

static void emit_scalar(json_out *j, enum fy_scalar_style style, const char *text) {
  if (j->failed) return;
  emit(j, fy_emit_event_create(j->emit, FYET_SCALAR, style, text, FY_NT, NULL, NULL));
}

static void emit_string(json_out *j, const char *s) {
  emit_scalar(j, FYSS_DOUBLE_QUOTED, s ? s : "");
}

static void emit_key_string(json_out *j, const char *key, const char *s) {
  emit_string(j, key);
  emit_string(j, s);
}

static void emit_key_number(json_out *j, const char *key, double v, field_fmt fmt) {
  char buf[512];
  emit_string(j, key);
  emit_scalar(j, FYSS_PLAIN, format_number(buf, sizeof buf, v, fmt) ? buf : "null");
}

static void emit_start(json_out *j, enum fy_event_type type) {
  if (j->failed) return;
  emit(j, fy_emit_event_create(j->emit, type, FYNS_BLOCK, NULL, NULL));
}

static void emit_end(json_out *j, enum fy_event_type type) {
  if (j->failed) return;
  emit(j, fy_emit_event_create(j->emit, type));
}

static void emit_key_bool(json_out *j, const char *key, bool value) {
  emit_string(j, key);
  emit_scalar(j, FYSS_PLAIN, value ? "true" : "false");
}

static void emit_platform(json_out *j, const out_platform_result *r) {
  double v[F_COUNT];
  field_values(r, v);
  emit_start(j, FYET_MAPPING_START);
  emit_key_string(j, "name", r->name);
  emit_key_string(j, "kind", r->kind);
  emit_key_bool(j, "complete", !r->incomplete);
  for (int f = 0; f < F_COUNT; f++) emit_key_number(j, fields[f].key, v[f], fields[f].fmt);
  emit_end(j, FYET_MAPPING_END);
}

/* The whole JSON text (malloc'd, NUL-terminated), or NULL on failure. */
static char *json_text(const char *scenario_name, uint64_t seed, const out_platform_result *r,
                       size_t n, const char *stopped) {
  json_out j = {fy_emit_to_string(FYECF_MODE_JSON | FYECF_WIDTH_INF | FYECF_INDENT_2), false};
  if (!j.emit) return NULL;
  char seed_text[32];
  snprintf(seed_text, sizeof seed_text, "%" PRIu64, seed);
  if (!j.failed) emit(&j, fy_emit_event_create(j.emit, FYET_STREAM_START));
  if (!j.failed) emit(&j, fy_emit_event_create(j.emit, FYET_DOCUMENT_START, 1, NULL, NULL));
  emit_start(&j, FYET_MAPPING_START);
  emit_key_string(&j, "scenario", scenario_name);
  emit_string(&j, "seed");
  emit_scalar(&j, FYSS_PLAIN, seed_text);
  emit_key_bool(&j, "complete", stopped == NULL);
  if (stopped) emit_key_string(&j, "stopped", stopped);
  emit_string(&j, "platforms");
  emit_start(&j, FYET_SEQUENCE_START);
  for (size_t i = 0; i < n; i++) emit_platform(&j, &r[i]);
  emit_end(&j, FYET_SEQUENCE_END);
  emit_end(&j, FYET_MAPPING_END);
  if (!j.failed) emit(&j, fy_emit_event_create(j.emit, FYET_DOCUMENT_END, 1));
  if (!j.failed) emit(&j, fy_emit_event_create(j.emit, FYET_STREAM_END));
  size_t size;
  char *text = j.failed ? NULL : fy_emit_to_string_collect(j.emit, &size);
  fy_emitter_destroy(j.emit);
  return text;
}

static int write_json(const char *path, const char *scenario_name, uint64_t seed,
                      const out_platform_result *r, size_t n, const char *stopped,
                      sim_error *err) {
  char *text = json_text(scenario_name, seed, r, n, stopped);
  if (!text) return sim_errorf(err, SIM_EFAIL, "%s: the JSON emitter failed", path);
  size_t len = strlen(text); /* the collected size counts the NUL */
  out_file *f = out_file_open(path, err);
  if (!f) {
    free(text);
    return err ? err->status : SIM_EFAIL;
  }
  fwrite(text, 1, len, out_file_stream(f));
  free(text);
  return out_file_commit(f, err);
}

/* --- summary.csv ---------------------------------------------------------- */

static void put_text(FILE *fp, const char *s) { csv_fwrite(fp, s ? s : "", s ? strlen(s) : 0); }

static void write_csv_row(FILE *fp, const char *scenario_name, const char *seed_text,
                          const out_platform_result *r) {
  double v[F_COUNT];
  char buf[512];
  field_values(r, v);
  put_text(fp, scenario_name);
  fprintf(fp, ",%s,", seed_text);
  put_text(fp, r->name);
  fputc(',', fp);
  put_text(fp, r->kind);
  fputs(r->incomplete ? ",false" : ",true", fp);
  for (int f = 0; f < F_COUNT; f++) {
    fputc(',', fp);
    if (format_number(buf, sizeof buf, v[f], fields[f].fmt)) fputs(buf, fp);
  }
  fputc('\n', fp);
}

static int write_csv(const char *path, const char *scenario_name, uint64_t seed,
                     const out_platform_result *r, size_t n, sim_error *err) {
  out_file *f = out_file_open(path, err);
  if (!f) return err ? err->status : SIM_EFAIL;
  FILE *fp = out_file_stream(f);
  fputs("scenario,seed,name,kind,complete", fp);
  for (int i = 0; i < F_COUNT; i++) fprintf(fp, ",%s", fields[i].key);
  fputc('\n', fp);
  char seed_text[32];
  snprintf(seed_text, sizeof seed_text, "%" PRIu64, seed);
  for (size_t i = 0; i < n; i++) write_csv_row(fp, scenario_name, seed_text, &r[i]);
  return out_file_commit(f, err);
}

/* --- the API -------------------------------------------------------------- */

static char *join(const char *dir, const char *name) {
  size_t len = strlen(dir) + 1 + strlen(name) + 1;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/%s", dir, name);
  return path;
}

int out_write_summary(const char *dir, const char *scenario_name, uint64_t seed,
                      const out_platform_result *r, size_t n, sim_error *err) {
  return out_write_summary_run(dir, scenario_name, seed, r, n, NULL, err);
}

int out_write_summary_run(const char *dir, const char *scenario_name, uint64_t seed,
                          const out_platform_result *r, size_t n, const char *stopped,
                          sim_error *err) {
  SIM_ASSERT(dir != NULL && (r != NULL || n == 0));
  char *json_path = join(dir, "summary.json");
  char *csv_path = join(dir, "summary.csv");
  int rc = write_json(json_path, scenario_name, seed, r, n, stopped, err);
  if (rc == SIM_OK) rc = write_csv(csv_path, scenario_name, seed, r, n, err);
  free(json_path);
  free(csv_path);
  return rc;
}
