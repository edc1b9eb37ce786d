/* report.c — renders report.html and report.md from a run folder (see
 * report.h): the data comes from report_data, the charts from charts, the
 * notes from report_notes; this file only lays them out.
 *
 * The HTML is also well-formed XML (every element closed, attributes quoted,
 * only the five XML entities and numeric references), so both an HTML and an
 * XML parser accept it. */
#include "output/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/atomic.h"
#include "output/chart.h"
#include "output/charts.h"
#include "output/report_data.h"
#include "output/report_notes.h"

/* --- the results table --------------------------------------------------------- */

typedef enum unit { U_COUNT, U_PCT, U_MS, U_S, U_NUM, U_USD } unit;
static const char *const unit_names[] = {"count", "%", "ms", "s", "number", "usd"};

typedef struct result_row {
  const char *label, *key;
  unit unit;
} result_row;

typedef struct result_group {
  const char *title;
  result_row rows[16]; /* ends with an entry whose key is NULL */
} result_group;

static const result_group results[] = {
    {"Requests",
     {{"requests", "requests", U_COUNT},
      {"completed", "completed", U_COUNT},
      {"errors", "errors_total", U_COUNT},
      {"errors 429", "errors_429", U_COUNT},
      {"errors 500", "errors_500", U_COUNT},
      {"errors 502", "errors_502", U_COUNT},
      {"errors 503", "errors_503", U_COUNT},
      {"errors 504", "errors_504", U_COUNT},
      {"error rate (%)", "error_rate", U_PCT},
      {"unfinished at the end", "unfinished", U_COUNT},
      {"queued before service", "waited", U_COUNT},
      {"mean queue wait (ms)", "queue_wait_mean_s", U_MS}}},
    {"Latency (ms)",
     {{"mean", "latency_mean_s", U_MS},
      {"p50", "latency_p50_s", U_MS},
      {"p90", "latency_p90_s", U_MS},
      {"p95", "latency_p95_s", U_MS},
      {"p99", "latency_p99_s", U_MS},
      {"p99.9", "latency_p999_s", U_MS},
      {"max", "latency_max_s", U_MS}}},
    {"Cold starts",
     {{"instance starts", "instance_starts", U_COUNT},
      {"requests that waited for one", "cold_requests", U_COUNT},
      {"total wait for them (s)", "cold_wait_s", U_S},
      {"cold-start share of latency (%)", "cold_share", U_PCT}}},
    {"Instances",
     {{"mean instances", "instances_mean", U_NUM},
      {"max instances", "instances_max", U_NUM},
      {"instance-seconds", "instance_seconds", U_COUNT},
      {"mean CPU utilisation (%)", "cpu_utilization_mean", U_PCT},
      {"scaling decisions", "decisions", U_COUNT}}},
    {"Cost (USD)",
     {{"cost", "cost_usd", U_USD}, {"per million requests", "cost_per_million_usd", U_USD}}},
};

/* Inserts thousands separators into the digits of an integer text. */
static void group_thousands(const char *in, char *out, size_t len) {
  size_t n = strlen(in), lead = in[0] == '-' ? 1 : 0, j = 0;
  for (size_t i = 0; i < n && j + 2 < len; i++) {
    if (i > lead && (n - i) % 3 == 0) out[j++] = ',';
    out[j++] = in[i];
  }
  out[j] = '\0';
}

/* The number as the table shows it: rounded for reading, never exponents. */
static void format_cell(double v, unit u, char *buf, size_t len) {
  char tmp[64];
  if (isnan(v)) {
    snprintf(buf, len, "n/a");
    return;
  }
  switch (u) {
  case U_COUNT:
    snprintf(tmp, sizeof tmp, "%.0f", v);
    group_thousands(tmp, buf, len);
    break;
  case U_PCT: snprintf(buf, len, "%.2f", v * 100); break;
  case U_MS: snprintf(buf, len, "%.1f", v * 1e3); break;
  case U_S: snprintf(buf, len, "%.2f", v); break;
  case U_NUM: snprintf(buf, len, "%.2f", v); break;
  case U_USD: snprintf(buf, len, fabs(v) < 10 ? "%.4f" : "%.2f", v); break;
  }
}

/* --- escaping --------------------------------------------------------------------- */

void out_html_text(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(*s, f);
    }
  }
}

/* The style both pages (report.html, sweep.html) share. */
static const char base_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "margin:0;color:#1a1a1a;background:#f7f7f5;line-height:1.45}\n"
    "main{max-width:1120px;margin:0 auto;padding:20px 28px 60px}\n"
    "h1{font-size:1.7em;margin:0.6em 0 0.2em}h2{font-size:1.3em;border-bottom:2px solid #ddd;"
    "padding-bottom:4px;margin-top:2.2em}\n"
    ".meta{color:#555;margin:0 0 1em}\n"
    "nav a{margin-right:14px}\n"
    "table{border-collapse:collapse;margin:8px 0 18px;background:#fff;font-size:14px}\n"
    "th,td{border:1px solid #d8d8d8;padding:3px 10px;text-align:right;vertical-align:top}\n"
    "th:first-child,td:first-child{text-align:left}\n"
    "thead th{background:#ecece8}\n"
    "td.num{font-variant-numeric:tabular-nums}\n"
    "figure{margin:14px 0;background:#fff;border:1px solid #e2e2e2;padding:8px 8px 4px}\n"
    "figure svg{width:100%;height:auto;display:block}\n"
    "figcaption{font-size:13px;color:#555;margin-top:2px}\n"
    ".missing{color:#8a4b00}\n";

void out_html_head(FILE *f, const char *title, const char *extra_css) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
        f);
  out_html_text(f, title);
  fputs("</title>\n<style>\n", f);
  fputs(base_css, f);
  if (extra_css) fputs(extra_css, f);
  fputs("</style>\n</head>\n<body>\n<main>\n", f);
}

/* A relative URL: path characters kept, everything else percent-encoded. */
static void url(FILE *f, const char *s) {
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        strchr("-._~/", c))
      fputc(c, f);
    else
      fprintf(f, "%%%02X", c);
  }
}

/* Markdown table cell text: pipes and backslashes escaped, no newlines. */
static void md(FILE *f, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`') fputc('\\', f);
    fputc(*s == '\n' ? ' ' : *s, f);
  }
}

/* --- the workload, measured ------------------------------------------------------- */

typedef struct workload_facts {
  double duration_s, requests, mean_rate, peak_rate, peak_s;
} workload_facts;

static workload_facts measure_workload(const out_run *run) {
  workload_facts w = {NAN, NAN, NAN, NAN, NAN};
  if (run->n_platforms == 0) return w;
  const out_run_platform *p = &run->platforms[0];
  w.duration_s = out_run_value(p, "duration_s");
  w.requests = out_run_value(p, "requests");
  if (w.duration_s > 0) w.mean_rate = w.requests / w.duration_s;
  for (size_t i = 0; i < run->n_platforms; i++) {
    const out_table *ts = run->platforms[i].ts;
    const double *t = out_table_col(ts, "t_s"), *a = out_table_col(ts, "arrivals");
    if (!t || !a || ts->n_rows < 2) continue;
    double res = t[1] - t[0];
    for (size_t k = 0; k + 1 < ts->n_rows; k++) /* the last row may be partial */
      if (!isnan(a[k]) && (isnan(w.peak_rate) || a[k] / res > w.peak_rate)) {
        w.peak_rate = a[k] / res;
        w.peak_s = t[k];
      }
    break;
  }
  return w;
}

/* --- HTML ------------------------------------------------------------------------------ */

/* What the report adds to the pages' shared style (out_html_head). */
static const char report_css[] =
    "h3{font-size:1.1em;margin-top:1.6em}\n"
    "tr.group th{background:#f4f4f0;text-align:left}\n"
    "table.settings td,table.settings th{text-align:left}\n"
    "tr.defaulted td{color:#666}\n"
    ".default{font-size:11px;border:1px solid #aaa;border-radius:3px;padding:0 4px;"
    "color:#555;margin-left:6px;font-style:italic}\n"
    ".bars{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}\n"
    ".bars figure{margin:0}\n"
    "ul.notes li{margin:7px 0}\n"
    "details{margin:4px 0 14px}summary{cursor:pointer;color:#444}\n";

static void html_head(FILE *f, const out_run *run) {
  char title[512];
  snprintf(title, sizeof title, "%s - scalesim report", run->scenario ? run->scenario : "");
  out_html_head(f, title, report_css);
  fputs("<h1>scalesim report: ", f);
  out_html_text(f, run->scenario);
  fputs("</h1>\n<p class=\"meta\">seed ", f);
  out_html_text(f, run->seed);
  fprintf(f, ", %zu platform%s. ", run->n_platforms, run->n_platforms == 1 ? "" : "s");
  fputs("Generated from the run's files; <code>scalesim report DIR</code> regenerates it.</p>\n"
        "<nav><a href=\"#scenario\">Scenario</a><a href=\"#results\">Results</a>"
        "<a href=\"#notes\">Notes</a><a href=\"#charts\">Charts</a></nav>\n",
        f);
}

static void html_fact(FILE *f, const char *label, const char *value) {
  fputs("<tr><th>", f);
  out_html_text(f, label);
  fputs("</th><td>", f);
  out_html_text(f, value);
  fputs("</td></tr>\n", f);
}

static void html_workload(FILE *f, const out_run *run) {
  workload_facts w = measure_workload(run);
  char buf[64], clock[32];
  fputs("<h3>Workload (as measured in the run)</h3>\n<table>\n", f);
  html_fact(f, "duration", out_fmt_duration(w.duration_s, buf, sizeof buf));
  format_cell(w.requests, U_COUNT, buf, sizeof buf);
  html_fact(f, "requests", buf);
  snprintf(buf, sizeof buf, "%.3g/s", w.mean_rate);
  html_fact(f, "mean arrival rate", buf);
  if (!isnan(w.peak_rate)) {
    snprintf(buf, sizeof buf, "%.3g/s at %s", w.peak_rate,
             out_fmt_clock(w.peak_s, clock, sizeof clock));
    html_fact(f, "busiest interval", buf);
  }
  fputs("</table>\n", f);
}

static size_t count_settings(const out_run *run, const char *platform, bool defaulted) {
  size_t n = 0;
  for (size_t i = 0; i < run->n_settings; i++)
    n += strcmp(run->settings[i].platform, platform) == 0 &&
         run->settings[i].defaulted == defaulted;
  return n;
}

/* The rows of one platform's settings, set or defaulted. */
static void html_setting_rows(FILE *f, const out_run *run, const char *platform,
                              bool defaulted) {
  fputs("<table class=\"settings\">\n<thead><tr><th>key</th><th>value</th></tr></thead>\n"
        "<tbody>\n",
        f);
  for (size_t i = 0; i < run->n_settings; i++) {
    const out_setting_row *s = &run->settings[i];
    if (strcmp(s->platform, platform) != 0 || s->defaulted != defaulted) continue;
    fprintf(f, "<tr%s><td>", s->defaulted ? " class=\"defaulted\"" : "");
    out_html_text(f, s->key);
    fputs("</td><td>", f);
    out_html_text(f, s->value);
    if (s->defaulted) fputs("<span class=\"default\">default</span>", f);
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody>\n</table>\n", f);
}

/* The settings of one platform ("" = scenario-wide): those the scenario set,
 * then — folded, since a model has dozens — the defaults it assumed. */
static void html_settings(FILE *f, const out_run *run, const char *platform, const char *title) {
  size_t set = count_settings(run, platform, false), assumed = count_settings(run, platform, true);
  if (set + assumed == 0) return;
  fputs("<h3>", f);
  out_html_text(f, title);
  fputs("</h3>\n", f);
  if (set) html_setting_rows(f, run, platform, false);
  if (!assumed) return;
  fprintf(f, "<details><summary>%zu value%s assumed by default</summary>\n", assumed,
          assumed == 1 ? "" : "s");
  html_setting_rows(f, run, platform, true);
  fputs("</details>\n", f);
}

static void html_scenario(FILE *f, const out_run *run) {
  fputs("<h2 id=\"scenario\">Scenario</h2>\n", f);
  html_workload(f, run);
  if (!run->has_settings) {
    fputs("<p class=\"missing\">This run folder has no settings.csv, so the platforms' "
          "settings are not shown.</p>\n",
          f);
    return;
  }
  fputs("<p>Values marked <span class=\"default\">default</span> were not in the scenario: "
        "scalesim assumed the model's default.</p>\n",
        f);
  html_settings(f, run, "", "Scenario-wide settings");
  for (size_t i = 0; i < run->n_platforms; i++) {
    char title[512];
    snprintf(title, sizeof title, "%s (%s)", run->platforms[i].name, run->platforms[i].kind);
    html_settings(f, run, run->platforms[i].name, title);
  }
}

static void html_results(FILE *f, const out_run *run) {
  char buf[64];
  fputs("<h2 id=\"results\">Results</h2>\n<table class=\"results\">\n<thead><tr><th></th>", f);
  for (size_t i = 0; i < run->n_platforms; i++) {
    fputs("<th>", f);
    out_html_text(f, run->platforms[i].name);
    fputs("<br/><small>", f);
    out_html_text(f, run->platforms[i].kind);
    fputs("</small></th>", f);
  }
  fputs("</tr></thead>\n<tbody>\n", f);
  for (size_t g = 0; g < sizeof results / sizeof results[0]; g++) {
    fprintf(f, "<tr class=\"group\"><th colspan=\"%zu\">%s</th></tr>\n", run->n_platforms + 1,
            results[g].title);
    for (const result_row *r = results[g].rows; r->key; r++) {
      fprintf(f, "<tr><td>%s</td>", r->label);
      for (size_t i = 0; i < run->n_platforms; i++) {
        format_cell(out_run_value(&run->platforms[i], r->key), r->unit, buf, sizeof buf);
        fputs("<td class=\"num\" data-platform=\"", f);
        out_html_text(f, run->platforms[i].name);
        fprintf(f, "\" data-key=\"%s\" data-unit=\"%s\">%s</td>", r->key, unit_names[r->unit],
                buf);
      }
      fputs("</tr>\n", f);
    }
  }
  fputs("</tbody>\n</table>\n", f);
}

static void html_notes(FILE *f, const out_notes *notes) {
  fputs("<h2 id=\"notes\">Notes</h2>\n<ul class=\"notes\">\n", f);
  for (size_t i = 0; i < notes->n; i++) {
    fputs("<li>", f);
    out_html_text(f, notes->v[i]);
    fputs("</li>\n", f);
  }
  fputs("</ul>\n", f);
}

/* Inlines chart c from its <svg> element on (the XML declaration and doctype
 * before it are for the standalone file). */
static int inline_svg(FILE *f, const out_chart_ref *c, sim_error *err) {
  const char *svg = strstr(c->svg, "<svg");
  if (!svg) return sim_errorf(err, SIM_EFAIL, "chart %s: no <svg> element", c->file);
  fputs(svg, f);
  return SIM_OK;
}

static int html_figure(FILE *f, const out_chart_ref *c, unsigned plots, sim_error *err) {
  fputs("<figure>\n", f);
  int rc = inline_svg(f, c, err);
  fputs("\n<figcaption>", f);
  out_html_text(f, c->title);
  fputs(" &#8212; <a href=\"", f);
  url(f, c->file);
  fputs(".svg\">SVG</a>", f);
  if (plots & OUT_PLOT_PNG) {
    fputs(" <a href=\"", f);
    url(f, c->file);
    fputs(".png\">PNG</a>", f);
  }
  fputs("</figcaption>\n</figure>\n", f);
  return rc;
}

static bool is_bar(const out_chart_ref *c) {
  return strcmp(c->file, "charts/cost") == 0 || strcmp(c->file, "charts/p99") == 0 ||
         strcmp(c->file, "charts/errors") == 0;
}

static int html_charts(FILE *f, const out_run *run, const out_chart_list *charts,
                       unsigned plots, sim_error *err) {
  int rc = SIM_OK;
  fputs("<h2 id=\"charts\">Charts</h2>\n<p>What to read from each chart: docs/charts.md.</p>\n"
        "<h3>All platforms</h3>\n",
        f);
  for (size_t i = 0; !rc && i < charts->n; i++)
    if (charts->v[i].platform < 0 && !is_bar(&charts->v[i]))
      rc = html_figure(f, &charts->v[i], plots, err);
  fputs("<div class=\"bars\">\n", f);
  for (size_t i = 0; !rc && i < charts->n; i++)
    if (is_bar(&charts->v[i])) rc = html_figure(f, &charts->v[i], plots, err);
  fputs("</div>\n", f);
  for (size_t p = 0; !rc && p < run->n_platforms; p++) {
    fprintf(f, "<h3 id=\"charts-%zu\">", p);
    out_html_text(f, run->platforms[p].name);
    fputs("</h3>\n", f);
    size_t shown = 0;
    for (size_t i = 0; !rc && i < charts->n; i++)
      if (charts->v[i].platform == (int)p) {
        rc = html_figure(f, &charts->v[i], plots, err);
        shown++;
      }
    if (!shown) fputs("<p class=\"missing\">No timeseries.csv: no charts.</p>\n", f);
  }
  return rc;
}

static int write_html(const out_run *run, const out_chart_list *charts, const out_notes *notes,
                      unsigned plots, sim_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/report.html", run->dir);
  out_file *of = out_file_open(path, err);
  if (!of) return SIM_EFAIL;
  FILE *f = out_file_stream(of);
  html_head(f, run);
  html_scenario(f, run);
  html_results(f, run);
  html_notes(f, notes);
  int rc = html_charts(f, run, charts, plots, err);
  fputs("</main>\n</body>\n</html>\n", f);
  if (rc) {
    out_file_abort(of);
    return rc;
  }
  return out_file_commit(of, err);
}

/* --- Markdown --------------------------------------------------------------------------- */

static void md_settings(FILE *f, const out_run *run, const char *platform, const char *title) {
  size_t shown = 0;
  for (size_t i = 0; i < run->n_settings; i++) {
    const out_setting_row *s = &run->settings[i];
    if (strcmp(s->platform, platform) != 0) continue;
    if (shown++ == 0) {
      fputs("\n### ", f);
      md(f, title);
      fputs("\n\n| key | value |\n|---|---|\n", f);
    }
    fputs("| ", f);
    md(f, s->key);
    fputs(" | ", f);
    md(f, s->value);
    fputs(s->defaulted ? " *(default)* |\n" : " |\n", f);
  }
}

static void md_results(FILE *f, const out_run *run) {
  char buf[64];
  fputs("\n## Results\n\n| |", f);
  for (size_t i = 0; i < run->n_platforms; i++) {
    fputc(' ', f);
    md(f, run->platforms[i].name);
    fputs(" |", f);
  }
  fputs("\n|---|", f);
  for (size_t i = 0; i < run->n_platforms; i++) fputs("---:|", f);
  fputc('\n', f);
  for (size_t g = 0; g < sizeof results / sizeof results[0]; g++) {
    fprintf(f, "| **%s** |", results[g].title);
    for (size_t i = 0; i < run->n_platforms; i++) fputs(" |", f);
    fputc('\n', f);
    for (const result_row *r = results[g].rows; r->key; r++) {
      fprintf(f, "| %s |", r->label);
      for (size_t i = 0; i < run->n_platforms; i++) {
        format_cell(out_run_value(&run->platforms[i], r->key), r->unit, buf, sizeof buf);
        fprintf(f, " %s |", buf);
      }
      fputc('\n', f);
    }
  }
}

static void md_chart_link(FILE *f, const out_run *run, const out_chart_ref *c) {
  fputs("![", f);
  if (c->platform >= 0) {
    md(f, run->platforms[c->platform].name);
    fputs(": ", f);
  }
  md(f, c->title);
  fputs("](", f);
  url(f, c->file);
  fputs(".svg)\n\n", f);
}

static int write_md(const out_run *run, const out_chart_list *charts, const out_notes *notes,
                    sim_error *err) {
  char path[4096], buf[64];
  snprintf(path, sizeof path, "%s/report.md", run->dir);
  out_file *of = out_file_open(path, err);
  if (!of) return SIM_EFAIL;
  FILE *f = out_file_stream(of);
  fputs("# scalesim report: ", f);
  md(f, run->scenario);
  fputs("\n\nSeed ", f);
  md(f, run->seed);
  fputs(". Generated from the run's files; `scalesim report DIR` regenerates it.\n\n"
        "## Scenario\n\n",
        f);
  workload_facts w = measure_workload(run);
  format_cell(w.requests, U_COUNT, buf, sizeof buf);
  char dur[32];
  fprintf(f, "Workload: %s requests over %s, %.3g/s on average.\n", buf,
          out_fmt_duration(w.duration_s, dur, sizeof dur), w.mean_rate);
  if (run->has_settings) {
    fputs("Values marked *(default)* were not in the scenario: scalesim assumed the model's "
          "default.\n",
          f);
    md_settings(f, run, "", "Scenario-wide settings");
    for (size_t i = 0; i < run->n_platforms; i++) {
      char title[512];
      snprintf(title, sizeof title, "%s (%s)", run->platforms[i].name, run->platforms[i].kind);
      md_settings(f, run, run->platforms[i].name, title);
    }
  }
  md_results(f, run);
  fputs("\n## Notes\n\n", f);
  for (size_t i = 0; i < notes->n; i++) {
    fputs("- ", f);
    md(f, notes->v[i]);
    fputc('\n', f);
  }
  fputs("\n## Charts\n\n", f);
  /* As in the HTML: the comparisons first, then each platform's charts. */
  for (int p = -1; p < (int)run->n_platforms; p++)
    for (size_t i = 0; i < charts->n; i++)
      if (charts->v[i].platform == p) md_chart_link(f, run, &charts->v[i]);
  return out_file_commit(of, err);
}

/* --- the whole report ---------------------------------------------------------------------- */

int out_report_write(const char *dir, const out_report_options *opt, sim_error *err) {
  unsigned plots = (opt ? opt->plots : 0) | OUT_PLOT_SVG;
  int rc = SIM_OK;
  if (opt && opt->settings && (rc = out_settings_write(opt->settings, dir, err))) return rc;
  out_run *run = NULL;
  if ((rc = out_run_read(dir, &run, err))) return rc;
  out_chart_list charts = {0};
  out_notes notes = {0};
  rc = out_charts_write(run, plots, &charts, err);
  if (rc == SIM_OK) {
    out_notes_build(run, &notes);
    rc = write_html(run, &charts, &notes, plots, err);
  }
  if (rc == SIM_OK) rc = write_md(run, &charts, &notes, err);
  out_notes_free(&notes);
  out_chart_list_free(&charts);
  out_run_free(run);
  return rc;
}
