/* trace.h — replaying request traces: the `workload.trace` section, the
 * transforms applied in the stream, and the seam between format parsers and
 * the pipeline that turns their records into a wl_source.
 *
 * The pipeline, for one trace (one file or a glob of several):
 *
 *   parser (one per file; a format: csv, tsv, clf, alb, azure2019, azure2021,
 *           counts, count_series) — one record per request, filters applied,
 *           same-timestamp requests spread over the timestamp's resolution
 *     → re-order window (per file; formats whose lines may be out of order)
 *     → merge of the files in time order (merge.c)
 *     → origin (t = 0 at the trace start, or at the window start)
 *     → window, speedup, rate_scale (transform.c)
 *     → request: the trace's duration (or one drawn from the scenario's
 *       distribution) split into cpu_s and wait_s by cpu_share (DESIGN.md §4).
 *
 * Every stage streams: memory is bounded by the buffers, the re-order window
 * and the number of files open at once, never by the length of the trace. */
#ifndef WL_TRACE_H
#define WL_TRACE_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/cfg.h"
#include "workloads/dist.h"
#include "workloads/linebuf.h"
#include "workloads/source.h"

/* --- configuration -------------------------------------------------------- */

enum wl_trace_format {
  WL_FMT_CSV = 0,
  WL_FMT_TSV,
  WL_FMT_CLF,          /* Common and Combined Log Format */
  WL_FMT_ALB,          /* AWS Application Load Balancer access logs */
  WL_FMT_AZURE2019,    /* Azure Functions 2019: per-minute counts per function */
  WL_FMT_AZURE2021,    /* Azure Functions 2021: one row per invocation */
  WL_FMT_COUNTS,       /* CSV rows (interval start, count) */
  WL_FMT_COUNT_SERIES  /* whitespace-separated counts of consecutive intervals */
};
enum { WL_ON_ERROR_FAIL = 0, WL_ON_ERROR_SKIP };
/* How requests are placed inside the time one timestamp or one count stands for. */
enum { WL_SPREAD_UNIFORM = 0, WL_SPREAD_POISSON, WL_SPREAD_EQUIDISTANT, WL_SPREAD_NONE };
enum { WL_TIME_AUTO = 0, WL_TIME_S, WL_TIME_MS, WL_TIME_US, WL_TIME_ISO8601 };
enum { WL_MARKS_START = 0, WL_MARKS_END };
enum { WL_UNIT_S = 0, WL_UNIT_MS, WL_UNIT_US };
enum { WL_ORIGIN_ERRORS_REPLAY = 0, WL_ORIGIN_ERRORS_DROP };

/* `workload.trace`: where the trace is and how to read it. */
typedef struct wl_trace_cfg {
  char *path;              /* a file, or a glob of several merged in time order */
  int format;              /* enum wl_trace_format */
  int on_error;            /* fail: a malformed record stops the run; skip: counted */
  double reorder_window_s; /* how far out of time order records may be */
  int spread;              /* WL_SPREAD_*: within a timestamp's resolution or a count's interval */
  /* csv / tsv / azure2021 / counts */
  bool header;             /* the first row names the columns */
  char *delimiter;         /* one character; empty: ',' (csv) or tab (tsv) */
  char *time_column;       /* a header name, or a 0-based index */
  int time_format;         /* WL_TIME_* */
  int time_marks;          /* WL_MARKS_*: the time is the request's start or end */
  char *duration_column;   /* empty: the trace has no durations */
  int duration_unit;       /* WL_UNIT_*, also for cpu_column */
  char *cpu_column;
  char *size_column;
  char *status_column;
  char *url_column;
  char *function_column;
  /* counts / count_series */
  char *count_column;
  double interval_s;       /* the length of one count's interval */
  char *series_start;      /* count_series: time of the first interval (epoch s or ISO 8601) */
  /* azure2019 */
  char *durations;         /* the function_durations_percentiles file (optional) */
  char *memory;            /* the app_memory_percentiles file (optional) */
  /* alb */
  int origin_errors;       /* WL_ORIGIN_ERRORS_*: requests the original system failed */
} wl_trace_cfg;

extern const cfg_schema wl_trace_schema;

/* `workload.filter`: which records of the trace to keep. Empty fields keep all. */
typedef struct wl_filter_cfg {
  char *url_prefix;   /* the URL's path starts with this */
  cfg_numbers status; /* the logged status is one of these */
  char *function;     /* comma-separated function (or app) ids */
  char *trigger;      /* azure2019: comma-separated triggers (http, timer, ...) */
} wl_filter_cfg;

extern const cfg_schema wl_filter_schema;

/* The transforms of the `workload` section that apply to a trace. */
typedef struct wl_transform_cfg {
  char *start;           /* window start: a duration from the trace start or an ISO 8601 time */
  char *end;             /* window end, likewise; empty: none */
  double speedup;        /* > 0: time between arrivals divided by this */
  double rate_scale;     /* > 0: below 1 thins, above 1 replicates */
  double rate_scale_jitter_s; /* replicas arrive up to this long after their original */
  wl_filter_cfg filter;
} wl_transform_cfg;

/* Fills *t with the transform defaults (no window, speedup 1, rate_scale 1,
 * jitter 1 s, no filter). */
void wl_transform_defaults(wl_transform_cfg *t);

/* Opens a trace replay as a wl_source. `duration` is drawn for requests the
 * trace gives no duration for; every duration splits by cpu_share; horizon_s >
 * 0 ends the stream at that time (the scenario's duration). Randomness comes
 * from named streams of `seed`: "workload/spread", "workload/service",
 * "workload/thin". Nothing given is kept: the configs may be freed once this
 * returns. The source counts skipped records (wl_source.skipped) and requests
 * the original system failed (wl_source.origin_errors). Returns SIM_EINPUT
 * (unreadable file, bad header or first record) or SIM_ESCENARIO (inconsistent
 * settings) with err set. */
int wl_trace_open(const wl_trace_cfg *cfg, const wl_transform_cfg *tf,
                  const wl_dist *duration, double cpu_share, double horizon_s,
                  uint64_t seed, wl_source **out, sim_error *err);

/* Totals of a counts or count_series trace read without expanding a single
 * request (for trace-stats and for checking a long series cheaply). */
typedef struct wl_counts_summary {
  uint64_t rows;        /* intervals read */
  uint64_t total;       /* requests they count */
  uint64_t peak;        /* the largest count of one interval */
  double first_s, last_s; /* start of the first and last interval (trace clock) */
  uint64_t skipped;     /* malformed rows skipped under on_error: skip */
  uint64_t peak_per_min; /* the most requests in one minute (intervals <= 1 min
                            that divide it; else 0: not known) */
} wl_counts_summary;

/* Sums cfg's counts file (one path, format counts or count_series). Returns
 * SIM_OK, or SIM_EINPUT / SIM_ESCENARIO with err set. */
int wl_counts_summarize(const wl_trace_cfg *cfg, wl_counts_summary *out, sim_error *err);

/* --- the seam between the pipeline and the format parsers ---------------- */

/* One record as a parser yields it, in the trace's own clock. */
typedef struct wl_rec {
  double t_s;        /* arrival (s), after spreading within the resolution */
  double t_raw_s;    /* the time as logged (the origin is taken from it) */
  double duration_s; /* NAN: the trace gives none */
  double cpu_s;      /* NAN: the trace gives none */
  double size;       /* 0: unknown */
  int status;        /* 0: unknown */
  long line;         /* where it came from, for messages */
} wl_rec;

/* What parsers count beside the records they yield. */
typedef struct wl_trace_counts {
  uint64_t skipped;       /* malformed records skipped under on_error: skip */
  uint64_t origin_errors; /* requests the original system failed */
  uint64_t filtered;      /* records the filter removed */
  uint64_t missing_durations; /* azure2019: functions without a duration row */
  char first_skip[1024];  /* the message of the first skipped record */
} wl_trace_counts;

/* What every parser of one trace shares (owned by the pipeline). */
typedef struct wl_parse_env {
  const wl_trace_cfg *cfg;
  const wl_filter_cfg *filter; /* NULL: keep all */
  gsl_rng *spread_rng;         /* placing requests within a resolution or interval */
  gsl_rng *service_rng;        /* durations a parser draws itself (azure2019) */
  wl_trace_counts *counts;
  /* Count formats: keep each interval's requests with this probability by
   * drawing the kept count Binomial(n, p) before expanding (rate_scale < 1);
   * 1 = keep all. Thinning the count instead of every request gives the same
   * process for uniform, equidistant and none spreading, and makes a scaled-
   * down replay of a busy series cost what it keeps, not what it reads.
   * 0 (unset) also keeps all. */
  double count_keep;
  gsl_rng *thin_rng;
} wl_parse_env;

typedef struct wl_parser wl_parser; /* each format defines its own */

/* The start of a parser of a format with one record per line whose records
 * carry a status and a URL (CLF, ALB): its struct wl_parser begins with one. */
typedef struct wl_line_parser {
  wl_parse_env *env;
  wl_linebuf *lb;
} wl_line_parser;

/* Opens path for such a format: checks that the filter asks only for status
 * and URL, allocates a zeroed parser of `size` bytes (its own struct, which
 * starts with a wl_line_parser) and opens the file. Returns 0 with *out set,
 * or the status with err set and *out NULL. */
int wl_line_parser_open(const char *path, wl_parse_env *env, const char *format, size_t size,
                        wl_parser **out, sim_error *err);

/* Closes the parser's file and frees it; NULL is a no-op. */
void wl_line_parser_free(wl_parser *p);

typedef struct wl_format {
  const char *name;
  bool sorted; /* yields records in non-decreasing t_s by construction */
  /* Opens path; SIM_EINPUT with err set when it cannot be read. */
  int (*open)(const char *path, wl_parse_env *env, wl_parser **out, sim_error *err);
  /* The next record: 1, 0 at the end, or -SIM_EINPUT with err set. */
  int (*read)(wl_parser *p, wl_rec *out, sim_error *err);
  /* Optional: records before t_s (trace clock) will be discarded, so a parser
   * that expands counts may skip whole intervals without drawing them. */
  void (*skip_before)(wl_parser *p, double t_s);
  void (*free)(wl_parser *p);
} wl_format;

/* The format descriptor for an enum wl_trace_format value. */
const wl_format *wl_format_get(int format);

/* The enum wl_trace_format value of a format name ("clf", ...), or -1. */
int wl_format_by_name(const char *name);

extern const wl_format wl_format_csv, wl_format_tsv, wl_format_clf, wl_format_alb,
    wl_format_azure2019, wl_format_azure2021, wl_format_counts, wl_format_count_series;

/* A parser calls this after setting err to the message of a malformed record
 * (`path:line: field: what is wrong`). Under on_error: skip it counts the
 * record, keeps the first message and returns 0 (read on); otherwise it
 * returns -SIM_EINPUT (stop) with err kept. */
int wl_parse_bad_record(wl_parse_env *env, sim_error *err);

/* Sets err (SIM_EINPUT) to a record's message and returns -1: the parsers'
 * way to report a malformed record before wl_parse_bad_record decides. */
int wl_rec_fail(sim_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* t + a uniform offset in [0, min(res_s, 1 s)) when spreading is on, else t. */
double wl_spread_in(wl_parse_env *env, double t_s, double res_s);

/* True if a record with these fields passes the filter (NULL fields are not
 * tested; a NULL filter keeps everything). `url` may be absolute
 * (scheme://host/path) or a path; the prefix is matched against the path. */
bool wl_filter_accepts(const wl_filter_cfg *f, const char *url, int status,
                       const char *function);
/* True if the comma-separated list `ids` (NULL or empty: everything) contains
 * the len bytes at s. */
bool wl_id_listed(const char *ids, const char *s, size_t len);

/* --- the merged, time-ordered record stream (merge.c) ---------------------- */

typedef struct wl_merge wl_merge;

/* Opens every file that `pattern` names (a path, or a glob) with format fmt.
 * Records come out in non-decreasing t_s across all files; each file may be
 * out of order by up to window_s. Files wait unopened until the merged stream
 * reaches their first record, so a day of logs does not hold every file open. */
int wl_merge_open(const wl_format *fmt, const char *pattern, wl_parse_env *env,
                  double window_s, wl_merge **out, sim_error *err);
/* The next record in time order: 1, 0 at the end, or -SIM_EINPUT with err set. */
int wl_merge_next(wl_merge *m, wl_rec *out, sim_error *err);
/* Passes a skip_before hint to every file's parser (see wl_format). */
void wl_merge_skip_before(wl_merge *m, double t_s);
/* Number of files the pattern matched. */
size_t wl_merge_files(const wl_merge *m);
void wl_merge_free(wl_merge *m);

#endif
