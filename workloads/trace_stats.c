/* trace_stats.c — `scalesim trace-stats`: summarize a trace before replaying
 * it (see trace_stats.h). The requests are read through the same parsers and
 * merge as a replay (so what is counted is what would be replayed), with bad
 * records counted instead of stopping the read. */
#include "workloads/trace_stats.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#include "output/sketch.h"
#include "sim/rng.h"
#include "sim/units.h"
#include "workloads/csvrows.h"
#include "workloads/trace_csv.h"

/* --- summarizing -------------------------------------------------------------------- */

/* Requests per second and per minute: the stream is in time order, so one
 * running bucket of each size suffices. */
typedef struct bucket {
  double width_s, index;
  uint64_t n, peak;
} bucket;

static void bucket_add(bucket *b, double t_s) {
  double i = floor(t_s / b->width_s);
  if (i != b->index) b->n = 0;
  b->index = i;
  if (++b->n > b->peak) b->peak = b->n;
}

static int summarize_counts(const wl_trace_cfg *cfg, wl_trace_summary *s, sim_error *err) {
  wl_counts_summary c;
  int rc = wl_counts_summarize(cfg, &c, err);
  if (rc) return rc;
  s->requests = c.total;
  s->intervals = c.rows;
  s->interval_s = cfg->interval_s;
  s->first_s = c.rows ? c.first_s : NAN;
  s->last_s = c.rows ? c.last_s + cfg->interval_s : NAN;
  s->peak_per_s = cfg->interval_s == 1 ? (double)c.peak : NAN;
  s->peak_per_min = c.peak_per_min ? (double)c.peak_per_min : NAN;
  s->bad = c.skipped;
  return SIM_OK;
}

/* Welford's running mean and variance of the gaps between arrivals. */
typedef struct running {
  uint64_t n;
  double mean, m2;
} running;

static void running_add(running *r, double x) {
  r->n++;
  double d = x - r->mean;
  r->mean += d / (double)r->n;
  r->m2 += d * (x - r->mean);
}

static void fill_durations(wl_trace_summary *s, const out_sketch *d) {
  static const double q[5] = {0.5, 0.9, 0.99, 0.999, 1};
  s->with_duration = out_sketch_count(d);
  for (int i = 0; i < 5 && s->with_duration; i++) s->duration_pct[i] = out_sketch_quantile(d, q[i]);
}

static int summarize_records(const wl_trace_cfg *cfg, wl_trace_summary *s, sim_error *err) {
  wl_trace_counts counts = {0};
  gsl_rng *spread = sim_rng_alloc(1, "workload/spread"),
          *service = sim_rng_alloc(1, "workload/service");
  wl_parse_env env = {.cfg = cfg, .spread_rng = spread, .service_rng = service, .counts = &counts};
  wl_merge *m;
  int rc =
      wl_merge_open(wl_format_get(cfg->format), cfg->path, &env, cfg->reorder_window_s, &m, err);
  out_sketch *durations = out_sketch_alloc();
  bucket sec = {1, NAN, 0, 0}, min = {60, NAN, 0, 0};
  running gaps = {0};
  wl_rec rec = {0};
  double prev_s = 0;
  while (rc == 0) {
    int got = wl_merge_next(m, &rec, err);
    if (got <= 0) {
      rc = -got;
      break;
    }
    /* The span as logged; gaps and peaks as a replay spreads them. */
    if (s->requests == 0) s->first_s = s->last_s = rec.t_raw_s;
    else running_add(&gaps, rec.t_s - prev_s);
    prev_s = rec.t_s;
    s->first_s = fmin(s->first_s, rec.t_raw_s);
    s->last_s = fmax(s->last_s, rec.t_raw_s);
    s->requests++;
    bucket_add(&sec, rec.t_s);
    bucket_add(&min, rec.t_s);
    if (!isnan(rec.duration_s)) out_sketch_add(durations, rec.duration_s);
  }
  /* An azure2019 record's logged time is its minute's start: the span runs
   * to the end of the last minute. */
  if (cfg->format == WL_FMT_AZURE2019 && s->requests) s->last_s += 60;
  if (rc == 0) {
    s->peak_per_s = (double)sec.peak;
    s->peak_per_min = (double)min.peak;
    s->iat_mean_s = gaps.n ? gaps.mean : NAN;
    s->iat_cv =
        gaps.n > 1 && gaps.mean > 0 ? sqrt(gaps.m2 / (double)(gaps.n - 1)) / gaps.mean : NAN;
    fill_durations(s, durations);
    s->bad = counts.skipped;
    snprintf(s->first_bad, sizeof s->first_bad, "%s", counts.first_skip);
    s->origin_errors = counts.origin_errors;
    s->filtered = counts.filtered;
  }
  out_sketch_free(durations);
  wl_merge_free(m);
  gsl_rng_free(spread);
  gsl_rng_free(service);
  return rc;
}

int wl_trace_summarize(const wl_trace_cfg *cfg, wl_trace_summary *out, sim_error *err) {
  memset(out, 0, sizeof *out);
  out->first_s = out->last_s = out->peak_per_s = out->peak_per_min = NAN;
  out->iat_mean_s = out->iat_cv = NAN;
  /* The Azure traces, and a count series without a start, count seconds from
   * their own beginning. */
  bool unanchored = cfg->format == WL_FMT_COUNT_SERIES &&
                    (!cfg->series_start || strcmp(cfg->series_start, "0") == 0);
  out->epoch_clock =
      cfg->format != WL_FMT_AZURE2019 && cfg->format != WL_FMT_AZURE2021 && !unanchored;
  wl_trace_cfg c = *cfg;
  c.on_error = WL_ON_ERROR_SKIP;
  if (c.format == WL_FMT_COUNTS || c.format == WL_FMT_COUNT_SERIES)
    return summarize_counts(&c, out, err);
  return summarize_records(&c, out, err);
}

/* --- printing ----------------------------------------------------------------------- */

/* An epoch time as ISO 8601 UTC (with milliseconds when not whole). */
static const char *iso_time(double t_s, char *buf, size_t len) {
  time_t whole = (time_t)floor(t_s);
  struct tm tm;
  gmtime_r(&whole, &tm);
  size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
  double frac = t_s - floor(t_s);
  if (frac > 0.0005) n += (size_t)snprintf(buf + n, len - n, ".%03.0f", floor(frac * 1000));
  snprintf(buf + n, len - n, "Z");
  return buf;
}

/* A length of time for people: "12h 52m 1s", "3d 4h 0m 0s", "0.25s". */
static const char *human_span(double s, char *buf, size_t len) {
  if (s < 60) {
    snprintf(buf, len, "%.4gs", s);
    return buf;
  }
  long t = lround(s), d = t / 86400, h = t % 86400 / 3600, m = t % 3600 / 60, sec = t % 60;
  if (d) snprintf(buf, len, "%ldd %ldh %ldm %lds", d, h, m, sec);
  else if (h) snprintf(buf, len, "%ldh %ldm %lds", h, m, sec);
  else snprintf(buf, len, "%ldm %lds", m, sec);
  return buf;
}

/* Seconds with four significant digits in a readable unit: 20.03ms, 1.624s. */
static const char *short_seconds(double s, char *buf, size_t len) {
  if (s > 0 && s < 1e-3) snprintf(buf, len, "%.4gus", s * 1e6);
  else if (s > 0 && s < 1) snprintf(buf, len, "%.4gms", s * 1e3);
  else snprintf(buf, len, "%.4gs", s);
  return buf;
}

static void print_rate(FILE *out, const char *label, double v) {
  if (isnan(v)) fprintf(out, "  %-6s n/a (finer than the trace's intervals)", label);
  else fprintf(out, "  %-6s %.0f", label, v);
}

void wl_trace_summary_print(const wl_trace_summary *s, const wl_trace_cfg *cfg, FILE *out) {
  char a[64], b[64], span[64];
  fprintf(out, "trace           %s (%s)\n", cfg->path, wl_format_get(cfg->format)->name);
  fprintf(out, "requests        %llu\n", (unsigned long long)s->requests);
  if (s->intervals)
    fprintf(out, "intervals       %llu of %s\n", (unsigned long long)s->intervals,
            sim_format_duration(s->interval_s, a, sizeof a));
  if (s->requests == 0 && !s->intervals) {
    fprintf(out, "bad records     %llu\n", (unsigned long long)s->bad);
    return;
  }
  double length = s->last_s - s->first_s;
  human_span(length, span, sizeof span);
  if (s->epoch_clock)
    fprintf(out, "time span       %s .. %s (%s)\n", iso_time(s->first_s, a, sizeof a),
            iso_time(s->last_s, b, sizeof b), span);
  else
    fprintf(out, "time span       %.3f s .. %.3f s of the trace's clock (%s)\n", s->first_s,
            s->last_s, span);
  double mean = length > 0 ? (double)s->requests / length : NAN;
  fprintf(out, "mean rate       %.4g/s  %.4g/min\n", mean, mean * 60);
  fprintf(out, "peak rate      ");
  print_rate(out, "per s", s->peak_per_s);
  print_rate(out, "per min", s->peak_per_min);
  fprintf(out, "\n");
  if (!isnan(s->iat_cv))
    fprintf(
        out, "inter-arrival   mean %.4g s, cv %.3f%s\n", s->iat_mean_s, s->iat_cv,
        cfg->spread == WL_SPREAD_NONE ? "" : " (same-timestamp requests spread as in a replay)");
  if (s->with_duration) {
    fprintf(out, "durations       %llu of %llu requests:", (unsigned long long)s->with_duration,
            (unsigned long long)s->requests);
    static const char *const names[5] = {"p50", "p90", "p99", "p99.9", "max"};
    for (int i = 0; i < 5; i++)
      fprintf(out, " %s %s", names[i], short_seconds(s->duration_pct[i], a, sizeof a));
    fprintf(out, "%s\n", cfg->format == WL_FMT_AZURE2019 ? " (drawn from percentile tables)" : "");
  } else {
    fprintf(out, "durations       none in the trace (a replay draws workload.request.duration)\n");
  }
  fprintf(out, "bad records     %llu%s%s\n", (unsigned long long)s->bad, s->bad ? "; first: " : "",
          s->bad ? s->first_bad : "");
  if (cfg->format == WL_FMT_ALB)
    fprintf(out, "origin errors   %llu (failed in the original system: -1 processing times)\n",
            (unsigned long long)s->origin_errors);
}

/* --- the command -------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static bool only_counts(const char *line) {
  size_t digits = 0;
  for (const char *p = line; *p; p++) {
    if (isdigit((unsigned char)*p)) digits++;
    else if (*p != ' ' && *p != '\t') return false;
  }
  return digits > 0;
}

/* The start of the file's first line (its first 4 KiB at most: a count
 * series may be one line of megabytes) into buf; false if unreadable. */
static bool first_line(const char *path, char *buf, size_t len, sim_error *err) {
  gzFile gz = gzopen(path, "rb");
  if (!gz) {
    sim_errorf(err, SIM_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    return false;
  }
  int n = gzread(gz, buf, (unsigned)(len - 1));
  gzclose(gz);
  if (n < 0) {
    sim_errorf(err, SIM_EINPUT, "%s: cannot read", path);
    return false;
  }
  buf[n] = '\0';
  char *start = buf + strspn(buf, "\r\n");
  memmove(buf, start, strlen(start) + 1);
  buf[strcspn(buf, "\r\n")] = '\0';
  /* A line cut at the buffer's end ends at its last blank (whole tokens). */
  if ((size_t)n == len - 1 && strchr(buf, ' ')) *strrchr(buf, ' ') = '\0';
  return true;
}

static bool looks_like_alb(const char *line) {
  static const char *const types[] = {"http ", "https ", "h2 ", "ws ", "wss ", "grpcs ", NULL};
  for (const char *const *t = types; *t; t++)
    if (strncmp(line, *t, strlen(*t)) == 0 && isdigit((unsigned char)line[strlen(*t)])) return true;
  return false;
}

/* The format a first line (and the file name) suggests, or -1. */
static int format_of_line(const char *path, const char *line) {
  if (strstr(line, "HashFunction") && strstr(line, "Trigger")) return WL_FMT_AZURE2019;
  if (strncmp(line, "app,func,end_timestamp,duration", 31) == 0) return WL_FMT_AZURE2021;
  if (looks_like_alb(line)) return WL_FMT_ALB;
  if (strstr(line, " [") && strstr(line, "] \"")) return WL_FMT_CLF;
  if (only_counts(line)) return WL_FMT_COUNT_SERIES;
  if (ends_with(path, ".tsv") || ends_with(path, ".tsv.gz") || strchr(line, '\t'))
    return WL_FMT_TSV;
  const char *comma = strrchr(line, ',');
  if (comma) return strcmp(comma + 1, "count") == 0 ? WL_FMT_COUNTS : WL_FMT_CSV;
  return -1;
}

/* Guesses a format from the path and the first line; -1 (err set) if unsure. */
static int guess_format(const char *path, sim_error *err) {
  char line[4096];
  if (!first_line(path, line, sizeof line, err)) return -1;
  int f = format_of_line(path, line);
  if (f < 0) sim_errorf(err, SIM_EINPUT, "%s: cannot tell the trace's format; give --format", path);
  return f;
}

/* The first header column whose name is one of names (case-insensitive). */
static const char *find_column(wl_csv *csv, const char *const *names) {
  for (const char *const *n = names; *n; n++)
    for (size_t i = 0; i < wl_csv_ncolumns(csv); i++)
      if (strcasecmp(wl_csv_colname(csv, i), *n) == 0) return wl_csv_colname(csv, i);
  return NULL;
}

/* Picks the time and duration columns of a csv/tsv from its header. */
static int pick_columns(wl_trace_cfg *c, sim_error *err) {
  wl_csv *csv;
  int rc = wl_csv_open(c->path, c->format == WL_FMT_TSV ? '\t' : ',', true, &csv, err);
  if (rc) return rc;
  static const char *const times[] = {"time",  "timestamp", "ts", "date",
                                      "period", "start",    NULL};
  static const char *const durations[] = {"duration", "duration_s", "latency", "elapsed",
                                          "request_time", NULL};
  const char *t = find_column(csv, times), *d = find_column(csv, durations);
  free(c->time_column);
  c->time_column = sim_xstrdup(t ? t : "0");
  if (d) {
    free(c->duration_column);
    c->duration_column = sim_xstrdup(d);
  }
  wl_csv_free(csv);
  return SIM_OK;
}

/* A counts file's interval: the gap between its first two rows (60 s when it
 * has fewer). */
static int pick_interval(wl_trace_cfg *c, sim_error *err) {
  wl_csv *csv;
  int rc = wl_csv_open(c->path, ',', true, &csv, err);
  if (rc) return rc;
  free(c->time_column);
  c->time_column = sim_xstrdup("0");
  free(c->count_column);
  c->count_column = sim_xstrdup(
      wl_csv_ncolumns(csv) > 1 && find_column(csv, (const char *const[]){"count", NULL}) ? "count"
                                                                                         : "1");
  double t[2] = {0, 60}, res;
  for (int i = 0; i < 2 && wl_csv_next(csv, err) == 1; i++) {
    size_t len;
    const char *s = wl_csv_field(csv, 0, &len);
    if (!s || !wl_csv_parse_time(s, len, WL_TIME_AUTO, &t[i], &res)) t[i] = i * 60.0;
  }
  c->interval_s = t[1] > t[0] ? t[1] - t[0] : 60;
  wl_csv_free(csv);
  return SIM_OK;
}

int wl_trace_stats(const char *path, const char *format, FILE *out, sim_error *err) {
  int f = format ? wl_format_by_name(format) : guess_format(path, err);
  if (format && f < 0)
    return sim_errorf(err, SIM_EUSAGE,
                      "unknown format '%s' (csv, tsv, clf, alb, azure2019, azure2021, counts, "
                      "count_series)",
                      format);
  if (f < 0) return err ? err->status : SIM_EINPUT;
  wl_trace_cfg c;
  memset(&c, 0, sizeof c);
  int rc = cfg_defaults(&wl_trace_schema, &c, err);
  if (rc) return rc;
  c.path = sim_xstrdup(path);
  c.format = f;
  if (f == WL_FMT_CSV || f == WL_FMT_TSV) rc = pick_columns(&c, err);
  else if (f == WL_FMT_COUNTS) rc = pick_interval(&c, err);
  else if (f == WL_FMT_COUNT_SERIES) c.interval_s = 1;
  wl_trace_summary s;
  if (rc == 0) rc = wl_trace_summarize(&c, &s, err);
  if (rc == 0) wl_trace_summary_print(&s, &c, out);
  cfg_free(&wl_trace_schema, &c);
  return rc;
}
