/* trace_csv.h — the one-row-per-request CSV reader behind the csv, tsv and
 * azure2021 formats (internal to the trace pipeline). A spec names the columns
 * (header name or 0-based index; NULL or empty: absent) and how to read them. */
#ifndef WL_TRACE_CSV_H
#define WL_TRACE_CSV_H

#include "workloads/trace.h"

typedef struct wl_csv_spec {
  const char *format; /* the format's name, for messages */
  char delim;
  bool header;
  const char *time, *duration, *cpu, *size, *status, *url;
  const char *function, *app; /* ids for filter.function (either may match) */
  int time_format;            /* WL_TIME_* */
  int time_marks;             /* WL_MARKS_* */
  int unit;                   /* WL_UNIT_* of duration and cpu */
} wl_csv_spec;

int wl_csv_requests_open(const char *path, const wl_csv_spec *spec, wl_parse_env *env,
                         wl_parser **out, sim_error *err);
int wl_csv_requests_read(wl_parser *p, wl_rec *out, sim_error *err);
void wl_csv_requests_free(wl_parser *p);

/* Parses a time field under time_format (WL_TIME_*): epoch seconds and its
 * resolution. Shared with the counts reader. */
bool wl_csv_parse_time(const char *s, size_t len, int time_format, double *t_s, double *res_s);

/* Checks that the filter asks only for fields the format has; SIM_ESCENARIO
 * with err naming the filter key otherwise. */
int wl_filter_check(const wl_filter_cfg *f, const char *format, bool has_url, bool has_status,
                    bool has_function, bool has_trigger, sim_error *err);

#endif
