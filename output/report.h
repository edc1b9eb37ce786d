/* report.h — the report of a run: DIR/report.html and DIR/report.md.
 *
 * report.html is one self-contained file (inline CSS and SVG, no scripts, no
 * network; it opens from disk) that answers "which platform and settings serve
 * this traffic, at what latency and cost, and why":
 *   1. the scenario: a workload summary measured from the run (requests, mean
 *      and peak rate, the largest surge) and each platform's settings, with the
 *      defaults the scenario did not set marked "default";
 *   2. the results, one column per platform: requests, errors by HTTP code,
 *      latency percentiles, cold starts, mean/max instances, CPU utilisation,
 *      cost and cost per million requests (numbers exactly as in summary.json,
 *      rounded for reading; each cell carries data-platform, data-key and
 *      data-unit attributes naming the summary field it shows);
 *   3. notes computed from the data: each platform's reaction to the largest
 *      surge (time from its start to the first scale-out decision and to ready
 *      instances rising, with the decisions as evidence), how latency and
 *      errors fared during it, and which platform is cheapest, fastest, and
 *      most reliable and by how much;
 *   4. the charts (output/charts.h), inlined, each linked to its SVG file.
 * report.md holds the same tables and notes with links to the SVG files, for
 * pasting into a design document.
 *
 * Everything is regenerated from the run folder alone (report_data.h), so
 * `scalesim report DIR` works on a finished run without re-running it. Same
 * folder, same bytes: nothing depends on the clock or the machine. */
#ifndef OUT_REPORT_H
#define OUT_REPORT_H

#include "output/chart.h"
#include "output/report_settings.h"
#include "sim/error.h"

typedef struct out_report_options {
  /* Chart files to write besides the report: OUT_PLOT_* bits (output/chart.h).
   * SVG files are always written: the report links them. */
  unsigned plots;
  /* The settings of the run (from the scenario), written to DIR/settings.csv
   * before the report is rendered; NULL keeps the folder's settings.csv (as
   * `scalesim report DIR` does). */
  const out_settings *settings;
} out_report_options;

/* Renders DIR/report.html, DIR/report.md and the chart files from the run in
 * dir. opt may be NULL (SVG charts; settings.csv as found). Returns 0, SIM_EINPUT
 * when the folder's files are missing or malformed (err names the file and
 * line), or SIM_EFAIL when an output cannot be written. */
int out_report_write(const char *dir, const out_report_options *opt, sim_error *err);

/* Writes s as HTML text: & < > " ' escaped (NULL writes nothing). */
void out_html_text(FILE *f, const char *s);

/* Opens an HTML page: doctype, head with the title (escaped here) and the
 * style the report and the sweep page share plus extra_css (may be NULL),
 * then <body><main>. The page closes with </main></body></html>. */
void out_html_head(FILE *f, const char *title, const char *extra_css);

#endif
