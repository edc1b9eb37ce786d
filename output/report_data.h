/* report_data.h — a finished run read back from its folder, for the charts and
 * the report (so `scalesim report DIR` needs nothing but the folder).
 *
 * What a run folder holds (DESIGN.md §1):
 *   DIR/summary.json                  required: scenario, seed, one entry per
 *                                     platform (output/summary.h)
 *   DIR/settings.csv                  optional: the settings each platform ran
 *                                     with (output/report_settings.h)
 *   DIR/<platform>/timeseries.csv     optional: one row per interval
 *   DIR/<platform>/decisions.csv      optional: the scaling decision log
 *   DIR/<platform>/latency.csv        optional: the whole-run latency histogram
 *                                     (output/latency_csv.h)
 * CSV files are read with libcsv and JSON with libfyaml. A file that is absent
 * leaves its part empty (the report says what is missing); a file that is
 * present but malformed is an error `path:line: what is wrong` (SIM_EINPUT). */
#ifndef OUT_REPORT_DATA_H
#define OUT_REPORT_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

/* A CSV of numbers with a header, column by column; empty cells are NaN. */
typedef struct out_table {
  size_t n_cols, n_rows;
  char **names;  /* n_cols header names */
  double **cols; /* cols[c][r] */
} out_table;

/* Reads a numeric CSV. Returns 0 with *out set (owned; out_table_free), or
 * SIM_EINPUT (`path:line: column 'x': not a number: 'abc'`, also when the
 * file cannot be opened). */
int out_table_read(const char *path, out_table **out, sim_error *err);
void out_table_free(out_table *t);

/* The most rows of a platform's time series the report holds (about 60 MB of
 * a 29-column series): a longer one is read in bounded memory. */
#define OUT_SERIES_MAX_ROWS ((size_t)1 << 18)

/* Reads a timeseries.csv (output/recorder.h) keeping at most max_rows rows
 * (>= 2; 0: all): past that, neighbouring rows merge in pairs, as often as
 * needed, so each table row stands for *per_row consecutive rows of the file
 * (a power of two; the last row may stand for fewer). Merged, the recorder's
 * counters add up, t_s is the first row's, cost_cum_usd the last's, latency
 * quantiles are the worst row's and every other column the mean of its rows.
 * Errors as out_table_read. */
int out_series_read(const char *path, size_t max_rows, out_table **out, size_t *per_row,
                    sim_error *err);

/* The column named `name`, or NULL when the table (may be NULL) lacks it. */
const double *out_table_col(const out_table *t, const char *name);

/* One row of decisions.csv; NaN where the cell was empty. */
typedef struct out_decision_row {
  double t_s;
  const char *source, *event, *metric; /* owned by the platform's decision_texts */
  double value, old_desired, new_desired;
  const char *status, *reason;
} out_decision_row;

/* One row of settings.csv. */
typedef struct out_setting_row {
  char *platform; /* "" for scenario-wide keys */
  char *key, *value, *role;
  bool defaulted;
} out_setting_row;

/* One summary field: its key and number (NaN for JSON null). */
typedef struct out_field {
  char *key;
  double value;
} out_field;

typedef struct out_run_platform {
  char *name, *kind;
  out_field *fields;   /* summary.json's numbers, in file order */
  bool incomplete;     /* summary.json "complete": false (stopped early) */
  size_t n_fields;
  out_table *ts;       /* timeseries.csv, or NULL when absent */
  size_t ts_per_row;   /* rows of timeseries.csv in each row of ts (out_series_read) */
  out_decision_row *decisions;
  size_t n_decisions;
  void *decision_texts; /* each distinct text of the decisions once (a tsearch tree) */
  bool has_decisions;  /* decisions.csv was present */
  double *lat_s;       /* latency.csv: bucket values (s), increasing */
  double *lat_count;   /* requests in each bucket */
  size_t n_lat;
} out_run_platform;

typedef struct out_run {
  char *dir;
  char *scenario;      /* summary.json "scenario" */
  char *seed;          /* as written (a decimal integer) */
  bool incomplete;     /* summary.json "complete": false: the run stopped early */
  out_run_platform *platforms;
  size_t n_platforms;
  out_setting_row *settings;
  size_t n_settings;
  bool has_settings;
} out_run;

/* Reads the run folder dir. Returns 0 with *out (owned; out_run_free), or
 * SIM_EINPUT with err naming the file (and line) at fault. */
int out_run_read(const char *dir, out_run **out, sim_error *err);
void out_run_free(out_run *r);

/* The summary field `key` of p, or NaN when absent or null. */
double out_run_value(const out_run_platform *p, const char *key);

/* The setting row of `platform` ("" = scenario-wide) with role `role`, or NULL. */
const out_setting_row *out_run_setting_by_role(const out_run *r, const char *platform,
                                               const char *role);

/* The CPU utilisation target of platform in percent, from the setting tagged
 * with role "cpu_target" (output/report_settings.h), or NaN. A value written
 * with '%' is a percentage; a bare number above 1 too (ECS's TargetValue 60);
 * a bare number up to 1 is a fraction. */
double out_run_cpu_target_pct(const out_run *r, const char *platform);

#endif
