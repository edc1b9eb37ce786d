/* charts.h — the charts of a run (issue #6), drawn from its files with the
 * chart layer (output/chart.h). docs/charts.md shows each one and what to read
 * from it.
 *
 * Per platform, in DIR/<platform>/ (from timeseries.csv and decisions.csv):
 *   requests     request rate (area, left axis) with instances desired (step),
 *                starting (provisioning + starting) and ready on the right axis;
 *                scaling decisions as markers (▲ desired up, ▽ down, | other)
 *   latency      p50, p95, p99 per interval, the p50–p99 band shaded
 *   cpu          CPU and memory utilisation (%), the policy's CPU target as a
 *                dashed line when settings.csv tags one (OUT_ROLE_CPU_TARGET)
 *   queue        requests queued / pending (left) and errors per second by
 *                HTTP code (right)
 *   cold_starts  instance starts and requests that waited for a cold start,
 *                per interval
 *   cost         cumulative cost (USD)
 * Across platforms, in DIR/charts/:
 *   instances    instances over time, one line per platform
 *   latency_cdf  the whole-run latency CDF per platform (log x; latency.csv)
 *   cost, p99, errors   one bar per platform
 * A platform keeps its palette colour (its index in summary.json) in every
 * comparison. Charts whose data is missing (no timeseries.csv, no latency.csv)
 * are skipped, never drawn empty. */
#ifndef OUT_CHARTS_H
#define OUT_CHARTS_H

#include <stddef.h>

#include "output/report_data.h"
#include "sim/error.h"

/* One chart that was written. */
typedef struct out_chart_ref {
  char *file;     /* path relative to the run folder, without extension
                     ("fixed-8/requests", "charts/instances") */
  char *title;
  int platform;   /* index into run->platforms, or -1 for a comparison */
  char *svg;      /* the SVG document (NUL-terminated), as written */
} out_chart_ref;

typedef struct out_chart_list {
  out_chart_ref *v;
  size_t n, cap;
} out_chart_list;

void out_chart_list_free(out_chart_list *l); /* frees the entries, not l itself */

/* Draws every chart of run (read by out_run_read) into run->dir in the formats
 * (OUT_PLOT_* bits), appending each chart drawn to list (with its SVG text even
 * when no .svg file is asked for). Returns 0 or SIM_EFAIL with err. */
int out_charts_write(const out_run *run, unsigned formats, out_chart_list *list,
                     sim_error *err);

#endif
