/* test_report.c — the report (output/report.h) rendered from a run folder
 * built by hand, plus the files it reads: latency.csv (output/latency_csv.h),
 * settings.csv (output/report_settings.h) and the folder reader
 * (output/report_data.h).
 *
 * The folder: 20 minutes at 10 s resolution, two platforms fed the same
 * arrivals, 50/s that surge to 150/s at t = 300 s.
 *   ecs-a   desired 4 -> 10 by a decision at 480 s (after an alarm at 420 s),
 *           ready 10 from 600 s; 503s during the surge; p99 1.5 s then.
 *   run-b   desired 2 -> 6 at 310 s, ready 6 from 330 s; no errors.
 * The report must be well-formed, link only files that exist, show
 * summary.json's numbers, and explain the reaction times (180 s and 10 s). */
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/latency_csv.h"
#include "output/report.h"
#include "output/report_data.h"
#include "output/report_notes.h"
#include "output/report_settings.h"
#include "output/sketch.h"
#include "tests/check.h"
#include "tests/files.h"

#define DIR "/tmp/scalesim_test_report"

/* --- the hand-built run ------------------------------------------------------- */

typedef struct field {
  const char *key;
  double a, b; /* ecs-a, run-b; NaN is written as null */
} field;

/* summary.json's fields, as output/summary.c writes them. */
static const field summary[] = {
    {"duration_s", 1200, 1200},
    {"requests", 150000, 150000},
    {"completed", 148500, 150000},
    {"errors_429", 0, 0},
    {"errors_500", 0, 0},
    {"errors_502", 0, 0},
    {"errors_503", 1500, 0},
    {"errors_504", 0, 0},
    {"errors_total", 1500, 0},
    {"error_rate", 0.01, 0},
    {"unfinished", 0, 0},
    {"waited", 20500, 830},
    {"queue_wait_mean_s", 0.8123, NAN},
    {"latency_mean_s", 0.2345678, 0.1234567},
    {"latency_p50_s", 0.120001, 0.110004},
    {"latency_p90_s", 0.33, 0.251},
    {"latency_p95_s", 0.61234, 0.30449},
    {"latency_p99_s", 1.4567, 0.52},
    {"latency_p999_s", 2.5, 0.9},
    {"latency_max_s", 4.75, 1.25},
    {"instance_starts", 6, 12},
    {"cold_requests", 0, 830},
    {"cold_wait_s", 0, 996.5},
    {"cold_share", 0, 996.5 / (0.1234567 * 150000)}, /* cold wait / summed latency */
    {"instances_mean", 7.123, 4.4567},
    {"instances_max", 10, 6},
    {"instance_seconds", 8547.6, 5348.04},
    {"cpu_utilization_mean", 0.5567, 0.6012},
    {"cost_usd", 0.2531, 0.1876},
    {"cost_per_million_usd", 1.687333, 1.250667},
    {"decisions", 1, 2},
};
#define N_FIELDS (sizeof summary / sizeof summary[0])

static void write_summary(void) {
  FILE *f = fopen(DIR "/summary.json", "w");
  fputs("{\n  \"scenario\": \"surge-test\",\n  \"seed\": 7,\n  \"platforms\": [", f);
  for (int p = 0; p < 2; p++) {
    fprintf(f, "%s\n    {\n      \"name\": \"%s\",\n      \"kind\": \"%s\"", p ? "," : "",
            p ? "run-b" : "ecs-a", p ? "cloudrun" : "ecs");
    for (size_t i = 0; i < N_FIELDS; i++) {
      double v = p ? summary[i].b : summary[i].a;
      if (isnan(v)) fprintf(f, ",\n      \"%s\": null", summary[i].key);
      else fprintf(f, ",\n      \"%s\": %.10g", summary[i].key, v);
    }
    fputs("\n    }", f);
  }
  fputs("]\n}\n", f);
  fclose(f);
}

enum { ROWS = 120 };

/* One platform's time series: arrivals surge at 300 s; desired rises at
 * decide_s, ready at ready_s; 503s and slow p99 while it is not ready. */
static void write_timeseries(const char *name, double decide_s, double ready_s, double before,
                             double after, bool errors) {
  char path[256];
  snprintf(path, sizeof path, DIR "/%s/timeseries.csv", name);
  FILE *f = fopen(path, "w");
  fputs("t_s,arrivals,completions,errors_429,errors_500,errors_502,errors_503,errors_504,"
        "waited,cold_requests,instance_starts,instance_stops,in_flight,queued,provisioning,"
        "starting,ready,draining,desired,instances,cpu_utilization,mem_utilization,"
        "latency_p50_s,latency_p95_s,latency_p99_s,cost_usd,cost_cum_usd\n",
        f);
  double cum = 0;
  for (int i = 0; i < ROWS; i++) {
    double t = 10.0 * i;
    bool surge = t >= 300, slow = surge && t < ready_s;
    double arrivals = surge ? 1500 : 500;
    double e503 = errors && slow && t < 400 ? 150 : 0;
    double desired = t >= decide_s ? after : before, ready = t >= ready_s ? after : before;
    double starting = desired - ready;
    double cost = 0.0002 * (ready + starting);
    cum += cost;
    /* Before the surge, a few errors of every other code: the queue chart draws
     * one line per code that occurred. */
    double other = errors && t < 100 ? 1 : 0;
    fprintf(f, "%g,%g,%g,%g,%g,%g,%g,%g,%g,%g,%g,0,%g,%g,0,%g,%g,0,%g,%g,%.3f,0.2,%g,%g,%g,%g,%g\n",
            t, arrivals, arrivals - e503 - 4 * other, other, other, other, e503, other,
            slow ? 300.0 : 0.0, slow ? 50.0 : 0.0,
            t == decide_s ? after - before : 0, slow ? 90.0 : 12.0, slow ? 40.0 : 0.0, starting,
            ready, desired, ready + starting, slow ? 0.95 : 0.5, 0.1, slow ? 0.9 : 0.4,
            slow ? 1.5 : 0.2, cost, cum);
  }
  fclose(f);
}

static void write_run(void) {
  mkdir(DIR, 0777);
  mkdir(DIR "/ecs-a", 0777);
  mkdir(DIR "/run-b", 0777);
  write_summary();
  write_timeseries("ecs-a", 480, 600, 4, 10, true);
  write_timeseries("run-b", 310, 330, 2, 6, false);
  write_file(DIR "/ecs-a/decisions.csv",
             "t_s,source,event,metric,value,old_desired,new_desired,status,reason\n"
             "420,cpu60,alarm,CPUUtilization,95,,,ALARM,\"3 datapoints, all > 60\"\n"
             "480,cpu60,scale,CPUUtilization,95,4,10,Successful,TargetTracking\n");
  write_file(DIR "/run-b/decisions.csv",
             "t_s,source,event,metric,value,old_desired,new_desired,status,reason\n"
             "310,autoscaler,scale,concurrency,160,2,6,Successful,panic\n"
             "900,autoscaler,scale,concurrency,40,6,5,Successful,\n");
  write_file(DIR "/ecs-a/latency.csv", "latency_s,count\n0.1,100000\n0.2,40000\n1.5,8500\n");
  write_file(DIR "/run-b/latency.csv", "latency_s,count\n0.1,120000\n0.3,29000\n0.9,1000\n");
}

static out_settings *make_settings(void) {
  out_settings *s = out_settings_alloc();
  out_settings_add(s, NULL, "workload.arrivals.rate", "50/s", false);
  out_settings_add(s, "ecs-a", "capacity.max", "10", false);
  out_settings_add(s, "ecs-a", "policies[0].target", "60%", false);
  out_settings_add(s, "ecs-a", "metrics.publish_delay", "60s", true);
  out_settings_add(s, "run-b", "scaling.max_instances", "100", true);
  CHECK(out_settings_set_role(s, "ecs-a", "policies[0].target", OUT_ROLE_CPU_TARGET),
        "role set on an existing setting");
  CHECK(!out_settings_set_role(s, "ecs-a", "no.such.key", OUT_ROLE_CPU_TARGET),
        "role on a missing setting is refused");
  return s;
}

/* --- checks -------------------------------------------------------------------- */

static double expected(const char *platform, const char *key, bool *found) {
  for (size_t i = 0; i < N_FIELDS; i++)
    if (strcmp(summary[i].key, key) == 0) {
      *found = true;
      return strcmp(platform, "ecs-a") == 0 ? summary[i].a : summary[i].b;
    }
  *found = false;
  return NAN;
}

static const char *attr(const char *tag, const char *name, char *buf, size_t len) {
  char pat[64];
  snprintf(pat, sizeof pat, " %s=\"", name);
  const char *p = strstr(tag, pat);
  const char *end = p ? strchr(p + strlen(pat), '"') : NULL;
  if (!end) return NULL;
  p += strlen(pat);
  snprintf(buf, len, "%.*s", (int)(end - p), p);
  return buf;
}

/* Every results cell shows its summary.json value, rounded as displayed: the
 * difference is at most half a unit of the last digit shown. */
static void check_results(const char *html) {
  int cells = 0, bad = 0;
  for (const char *p = strstr(html, "<td class=\"num\""); p;
       p = strstr(p + 1, "<td class=\"num\"")) {
    const char *close = strchr(p, '>');
    char tag[512], platform[64], key[64], unit[16], text[64];
    snprintf(tag, sizeof tag, "%.*s", (int)(close - p), p);
    const char *end = strstr(close, "</td>");
    snprintf(text, sizeof text, "%.*s", (int)(end - close - 1), close + 1);
    if (!attr(tag, "data-platform", platform, sizeof platform) ||
        !attr(tag, "data-key", key, sizeof key) || !attr(tag, "data-unit", unit, sizeof unit)) {
      bad++;
      continue;
    }
    cells++;
    bool found;
    double want = expected(platform, key, &found);
    if (!found) {
      fprintf(stderr, "FAIL: cell %s/%s is not a summary field\n", platform, key);
      bad++;
      continue;
    }
    if (isnan(want)) {
      if (strcmp(text, "n/a") != 0) {
        fprintf(stderr, "FAIL: %s/%s: null shown as '%s'\n", platform, key, text);
        bad++;
      }
      continue;
    }
    char digits[64];
    size_t j = 0;
    for (const char *c = text; *c && j + 1 < sizeof digits; c++)
      if (*c != ',') digits[j++] = *c;
    digits[j] = '\0';
    const char *dot = strchr(digits, '.');
    int decimals = dot ? (int)strlen(dot + 1) : 0;
    double shown = strtod(digits, NULL);
    double scale = strcmp(unit, "ms") == 0 ? 1e3 : strcmp(unit, "%") == 0 ? 100 : 1;
    double tol = 0.5 * pow(10, -decimals) * (1 + 1e-9);
    if (fabs(shown - want * scale) > tol) {
      fprintf(stderr, "FAIL: %s/%s shows %s, summary.json has %.10g (x%g)\n", platform, key,
              text, want, scale);
      bad++;
    }
  }
  CHECK_INT(bad, 0, "every results cell equals summary.json's value as rounded");
  /* 30 summary fields besides duration_s, for 2 platforms. */
  CHECK_INT(cells, 2 * ((int)N_FIELDS - 1), "every summary field is in the table");
}

/* Every href (but #anchors) in report.html and every link target in report.md
 * names a file of the run folder. */
static void check_links(const char *html, const char *md) {
  int links = 0, svg_links = 0, missing = 0;
  char path[512];
  for (const char *p = strstr(html, "href=\""); p; p = strstr(p + 1, "href=\"")) {
    const char *end = strchr(p + 6, '"');
    if (p[6] == '#') continue;
    snprintf(path, sizeof path, DIR "/%.*s", (int)(end - p - 6), p + 6);
    links++;
    svg_links += strncmp(end - 4, ".svg", 4) == 0;
    if (access(path, R_OK) != 0) {
      fprintf(stderr, "FAIL: report.html links %s, which does not exist\n", path);
      missing++;
    }
  }
  CHECK_INT(svg_links, 17, "report.html links each chart's SVG (12 per-platform, 5 across)");
  int md_links = 0;
  for (const char *p = strstr(md, "]("); p; p = strstr(p + 1, "](")) {
    const char *end = strchr(p + 2, ')');
    snprintf(path, sizeof path, DIR "/%.*s", (int)(end - p - 2), p + 2);
    md_links++;
    if (access(path, R_OK) != 0) {
      fprintf(stderr, "FAIL: report.md links %s, which does not exist\n", path);
      missing++;
    }
  }
  CHECK_INT(md_links, svg_links, "report.md links the same charts");
  CHECK(links > svg_links, "and the PNGs, when they were asked for");
  CHECK_INT(missing, 0, "every linked chart exists");
}

/* Well-formed per a real parser: xmllint as XML (strict), and as HTML, where
 * libxml2's HTML 4 parser only may object to HTML5 and SVG tag names. */
static void check_well_formed(void) {
  if (system("command -v xmllint >/dev/null 2>&1") != 0) {
    fprintf(stderr, "note: xmllint not installed (scripts/deps.sh adds libxml2-utils); "
                    "skipping the parser checks\n");
    return;
  }
  CHECK(system("xmllint --noout --nonet " DIR "/report.html") == 0,
        "report.html is well-formed XML");
  CHECK(system("xmllint --html --noout --nonet " DIR "/report.html 2> " DIR "/xmllint.log") == 0,
        "xmllint --html accepts report.html");
  char *log = read_file(DIR "/xmllint.log", NULL);
  int other = 0;
  for (char *line = log ? strtok(log, "\n") : NULL; line; line = strtok(NULL, "\n")) {
    if (!strstr(line, "parser error")) continue;
    char tag[64];
    if (sscanf(strstr(line, "parser error"), "parser error : Tag %63s invalid", tag) == 1)
      continue;
    fprintf(stderr, "FAIL: xmllint --html: %s\n", line);
    other++;
  }
  CHECK_INT(other, 0, "no HTML parser errors besides HTML5/SVG tag names");
  free(log);
}

static void check_notes(const char *html) {
  CHECK_CONTAINS(html, "The largest surge: arrivals rose from 50/s to 150/s, starting at 5:00",
                 "the surge is found at 300 s");
  CHECK_CONTAINS(html, "ecs-a needed 3 min to react to the 5:00 surge: first scale-out at 8:00 "
                       "(cpu60, desired 4 to 10: TargetTracking)",
                 "ECS reaction: decision 180 s after the surge");
  CHECK_CONTAINS(html, "ready instances rose by 10:10, 5 min 10 s after the surge began",
                 "ECS: ready rose in the interval starting at 600 s");
  CHECK_CONTAINS(html, "Before it: cpu60 alarm ALARM at 7:00", "the alarm is the evidence");
  CHECK_CONTAINS(html, "run-b needed 10 s to react", "Cloud Run reaction: 10 s");
  CHECK_CONTAINS(html, "p99 latency peaked at 1.5 s (median 200 ms in the same time before); 1500 errors", "p99 during the ECS surge");
  CHECK_CONTAINS(html, "Cost: run-b is cheapest at $0.19", "cheapest platform");
  CHECK_CONTAINS(html, "ecs-a $0.25 (1.35x)", "relative cost");
  CHECK_CONTAINS(html, "Errors: ecs-a failed 1500 requests (1% of all), most of them 503",
                 "errors explained by code");
  CHECK_CONTAINS(html, "830 requests (0.553%) waited for one, 1.2 s on average",
                 "cold starts: share and mean wait");
  CHECK_CONTAINS(html, "against a target of 60%", "utilisation against the CPU target");
}

static void test_report(void) {
  write_run();
  out_settings *settings = make_settings();
  out_report_options opt = {.plots = OUT_PLOT_SVG | OUT_PLOT_PNG, .settings = settings};
  sim_error err = {0};
  CHECK_INT(out_report_write(DIR, &opt, &err), SIM_OK, "report renders (%s)", err.msg);
  out_settings_free(settings);
  char *html = read_file(DIR "/report.html", NULL), *md = read_file(DIR "/report.md", NULL);
  CHECK(html && md, "report.html and report.md written");
  if (!html || !md) return;
  check_well_formed();
  check_links(html, md);
  check_results(html);
  check_notes(html);
  CHECK(strstr(html, "<script") == NULL, "no scripts");
  int remote = 0;
  for (const char *p = strstr(html, "http"); p; p = strstr(p + 1, "http"))
    remote += strncmp(p, "http://www.w3.org/", 18) != 0 && (p[4] == ':' || p[4] == 's');
  CHECK_INT(remote, 0, "nothing from the network (only the SVG namespace URIs)");
  CHECK_CONTAINS(html, "publish_delay</td><td>60s<span class=\"default\">default</span>",
                 "a defaulted setting is marked");
  CHECK_CONTAINS(html, "capacity.max</td><td>10</td>", "a set value is not marked");
  CHECK_CONTAINS(md, "| metrics.publish\\_delay | 60s *(default)* |",
                 "report.md marks the default too");
  CHECK_CONTAINS(md, "| p99 | 1456.7 | 520.0 |", "report.md has the results table");
  char *cpu = read_file(DIR "/ecs-a/cpu.svg", NULL);
  CHECK(cpu && strstr(cpu, ">CPU target 60%</text>"), "the CPU chart draws the tagged target");
  free(cpu);
  char *requests = read_file(DIR "/ecs-a/requests.svg", NULL);
  CHECK(requests && strstr(requests, ">+6</text>"), "the scale-out decision is a marker");
  free(requests);
  CHECK(access(DIR "/charts/latency_cdf.png", R_OK) == 0, "PNG charts when asked");
  char *queue = read_file(DIR "/ecs-a/queue.svg", NULL);
  static const char *const code_labels[] = {">429/s</text>", ">500/s</text>", ">502/s</text>",
                                             ">503/s</text>", ">504/s</text>"};
  int codes = 0;
  for (int k = 0; k < 5; k++) codes += queue && strstr(queue, code_labels[k]) != NULL;
  CHECK(queue && strstr(queue, ">errors/s</text>") && strstr(queue, ">503/s</text>"),
        "the queue chart has an errors axis and a line per code");
  CHECK_INT(codes, 5, "all five codes occurred, so five error lines");
  free(queue);
  queue = read_file(DIR "/run-b/queue.svg", NULL);
  CHECK(queue && !strstr(queue, ">errors/s</text>"), "no errors, no errors axis");
  free(queue);

  /* As `scalesim report DIR` does: no settings given, settings.csv as the run
   * wrote it; the same plots, so the same bytes. */
  out_report_options again_opt = {.plots = opt.plots, .settings = NULL};
  CHECK_INT(out_report_write(DIR, &again_opt, &err), SIM_OK,
            "report renders again from the folder");
  char *again = read_file(DIR "/report.html", NULL);
  CHECK(again && strcmp(again, html) == 0, "same folder, same report.html");
  free(again);
  free(html);
  free(md);
}

static void test_bad_folders(void) {
  sim_error err = {0};
  mkdir("/tmp/scalesim_test_report_empty", 0777);
  CHECK_INT(out_report_write("/tmp/scalesim_test_report_empty", NULL, &err), SIM_EINPUT,
            "a folder without summary.json");
  CHECK_CONTAINS(err.msg, "summary.json", "the error names summary.json");

  write_run();
  write_file(DIR "/run-b/timeseries.csv", "t_s,arrivals\n0,5\n10,abc\n");
  sim_error_clear(&err);
  CHECK_INT(out_report_write(DIR, NULL, &err), SIM_EINPUT, "a malformed timeseries.csv");
  CHECK_CONTAINS(err.msg, "run-b/timeseries.csv:3: column 'arrivals': not a number: 'abc'",
                 "the error names file, line, column and text");

  write_run();
  write_file(DIR "/summary.json", "{\"platforms\": [{\"name\": \"x\", \"requests\": \"many\"}]}");
  sim_error_clear(&err);
  CHECK_INT(out_report_write(DIR, NULL, &err), SIM_EINPUT, "a malformed summary.json");
  CHECK_CONTAINS(err.msg, "requests: expected a number or null", "the error names the key");
}

/* The surge detector finds nothing in steady Poisson-like traffic. */
static void test_no_surge(void) {
  out_table ts = {0};
  const char *names[] = {"t_s", "arrivals"};
  double t[60], a[60];
  for (int i = 0; i < 60; i++) {
    t[i] = 10.0 * i;
    a[i] = 500 + (i % 5) * 20 - 40; /* +-8%: well inside noise and half-rises */
  }
  double *cols[] = {t, a};
  ts.n_cols = 2;
  ts.n_rows = 60;
  ts.names = (char **)names;
  ts.cols = cols;
  out_run_platform p = {.name = "x", .kind = "fixed", .ts = &ts};
  out_run run = {.platforms = &p, .n_platforms = 1};
  out_surge s;
  CHECK(!out_find_surge(&run, &s), "steady traffic has no surge");
  a[30] = a[31] = a[32] = 1200;
  CHECK(out_find_surge(&run, &s), "a 2.4x step is a surge");
  CHECK_ABS(s.start_s, 300, 0, "it starts at its first interval");
  CHECK_ABS(s.rate_peak, 120, 1e-9, "its peak rate");
}

static void test_latency_csv(void) {
  out_sketch *sk = out_sketch_alloc();
  enum { N = 10000 };
  for (int i = 0; i < N; i++) out_sketch_add(sk, 0.001 * (1 + i % 1000)); /* 1 ms .. 1 s */
  sim_error err = {0};
  CHECK_INT(out_write_latency_csv(DIR "/lat/latency.csv", sk, &err), SIM_OK,
            "latency.csv written (%s)", err.msg);
  out_table *t = NULL;
  CHECK_INT(out_table_read(DIR "/lat/latency.csv", &t, &err), SIM_OK, "and read back");
  const double *x = out_table_col(t, "latency_s"), *n = out_table_col(t, "count");
  CHECK(x && n, "columns latency_s and count");
  if (x && n) {
    double total = 0, below_half = 0;
    int increasing = 1;
    for (size_t i = 0; i < t->n_rows; i++) {
      total += n[i];
      if (x[i] <= 0.5) below_half += n[i];
      if (i && x[i] <= x[i - 1]) increasing = 0;
    }
    CHECK_INT(increasing, 1, "buckets in increasing latency");
    CHECK_ABS(total, N, 0, "every value counted once");
    /* 500 of each 1000 values are <= 0.5 s; buckets are 2% wide around it. */
    CHECK_REL(below_half / N, 0.5, 0.02, "the histogram keeps the distribution");
    CHECK(x[0] >= 0.001 * 0.99 && x[t->n_rows - 1] <= 1.0 * 1.01, "range within 1%");
  }
  out_table_free(t);
  out_sketch_free(sk);
}

static void test_settings_collect(void) {
  typedef struct sub {
    double wait_s, mem_mib;
  } sub;
  typedef struct obj {
    double target;
    int mode;
    sub inner;
    cfg_list items;
    char *label;
  } obj;
  static const char *const modes[] = {"fast", "slow", NULL};
  static const cfg_field sub_fields[] = {
      {.key = "wait", .type = CFG_DURATION, .offset = offsetof(sub, wait_s), .def = "15m"},
      {.key = "memory", .type = CFG_SIZE, .offset = offsetof(sub, mem_mib), .def = "2GiB"},
      {0}};
  static const cfg_schema sub_schema = {.name = "sub", .size = sizeof(sub), .fields = sub_fields};
  static const cfg_field fields[] = {
      {.key = "target", .type = CFG_PERCENT, .offset = offsetof(obj, target)},
      {.key = "mode", .type = CFG_ENUM, .offset = offsetof(obj, mode), .choices = modes},
      {.key = "inner", .type = CFG_MAP, .offset = offsetof(obj, inner), .sub = &sub_schema},
      {.key = "items", .type = CFG_LIST, .offset = offsetof(obj, items), .sub = &sub_schema},
      {.key = "label", .type = CFG_STRING, .offset = offsetof(obj, label)},
      {0}};
  static const cfg_schema schema = {.name = "obj", .size = sizeof(obj), .fields = fields};
  sub items[2] = {{0.25, 512}, {90, 1536}};
  obj o = {60, 1, {900, 2048}, {items, 2}, "a,b"};
  out_settings *s = out_settings_alloc();
  out_settings_collect(s, "p", "platforms[0]", &schema, &o, NULL);
  CHECK_INT(out_settings_count(s), 9, "every leaf collected");
  CHECK_STR(out_settings_value(s, "p", "target"), "60%", "percent");
  CHECK_STR(out_settings_value(s, "p", "mode"), "slow", "enum by name");
  CHECK_STR(out_settings_value(s, "p", "inner.wait"), "15m", "minutes");
  CHECK_STR(out_settings_value(s, "p", "inner.memory"), "2GiB", "GiB");
  CHECK_STR(out_settings_value(s, "p", "items[0].wait"), "250ms", "list item, ms");
  CHECK_STR(out_settings_value(s, "p", "items[1].wait"), "90s", "seconds");
  CHECK_STR(out_settings_value(s, "p", "items[1].memory"), "1536MiB", "MiB");
  out_settings_collect(s, NULL, "workload", &sub_schema, &items[0], NULL);
  CHECK_STR(out_settings_value(s, NULL, "workload.wait"), "250ms",
            "scenario-wide settings are keyed by their full path");

  /* Read from YAML by the cfg reader: what the scenario left out is marked
   * defaulted, and an optional key without a default is not a setting. */
  const char yaml[] = "target: 75\nmode: fast\ninner: {wait: 45s}\n";
  struct fy_document *doc = fy_document_build_from_string(NULL, yaml, FY_NT);
  cfg_ctx *ctx = cfg_ctx_alloc("inline.yaml");
  obj r = {0};
  CHECK_INT(cfg_read(ctx, fy_document_root(doc), "platforms[1]", &schema, &r), SIM_OK,
            "the cfg reader reads the object");
  out_settings *d = out_settings_alloc();
  out_settings_collect(d, "q", "platforms[1]", &schema, &r, ctx);
  CHECK_STR(out_settings_value(d, "q", "inner.wait"), "45s", "a value that was set");
  CHECK_STR(out_settings_value(d, "q", "inner.memory"), "2GiB", "a default that was assumed");
  CHECK(out_settings_value(d, "q", "label") == NULL, "an absent optional string is left out");
  sim_error err = {0};
  CHECK_INT(out_settings_write(d, DIR "/settings_cfg", &err), SIM_OK, "settings.csv written");
  char *dcsv = read_file(DIR "/settings_cfg/settings.csv", NULL);
  CHECK(dcsv && strstr(dcsv, "\"q\",\"inner.memory\",\"2GiB\",true,") &&
            strstr(dcsv, "\"q\",\"inner.wait\",\"45s\",false,"),
        "defaulted is true exactly for the assumed default");
  free(dcsv);
  out_settings_free(d);
  cfg_free(&schema, &r);
  cfg_ctx_free(ctx);
  fy_document_destroy(doc);

  CHECK_INT(out_settings_write(s, DIR "/settings_only", &err), SIM_OK, "settings.csv written");
  char *csv = read_file(DIR "/settings_only/settings.csv", NULL);
  CHECK(csv && strstr(csv, "\"p\",\"label\",\"a,b\",false,\"\""),
        "text with a comma is quoted");
  free(csv);
  out_settings_free(s);
}

/* A time series longer than the report holds is merged on reading: 10 rows
 * kept in at most 4 become [1-4], [5-8], [9-10] (pairs merge when the table
 * fills, twice), with counters added, t_s the first row's, cost_cum_usd the
 * last's, latency quantiles the worst, gauges averaged, NaN skipped. */
static void test_series_merge(void) {
  char text[2048] = "t_s,arrivals,in_flight,latency_p99_s,cost_cum_usd\n";
  for (int r = 1; r <= 10; r++) {
    size_t used = strlen(text);
    char lat[16] = "";
    if (r != 3) snprintf(lat, sizeof lat, "%d", r % 3);
    snprintf(text + used, sizeof text - used, "%d,%d,%d,%s,%d\n", 10 * (r - 1), r, r, lat, r);
  }
  write_file(DIR "/series.csv", text);
  out_table *t = NULL;
  size_t per_row = 0;
  sim_error err = {0};
  CHECK_INT(out_series_read(DIR "/series.csv", 4, &t, &per_row, &err), 0, "series reads: %s",
            err.msg);
  if (!t) return;
  CHECK_INT(t->n_rows, 3, "10 rows in at most 4: three rows");
  CHECK_INT(per_row, 4, "each standing for 4 rows of the file");
  const double *ts = out_table_col(t, "t_s"), *arr = out_table_col(t, "arrivals"),
               *fl = out_table_col(t, "in_flight"), *p99 = out_table_col(t, "latency_p99_s"),
               *cum = out_table_col(t, "cost_cum_usd");
  const double want_ts[] = {0, 40, 80}, want_arr[] = {10, 26, 19}, want_fl[] = {2.5, 6.5, 9.5},
               want_p99[] = {2, 2, 1}, want_cum[] = {4, 8, 10};
  for (int i = 0; i < 3; i++) {
    CHECK_REL(ts[i], want_ts[i], 0, "merged row %d: t_s is its first row's", i);
    CHECK_REL(arr[i], want_arr[i], 0, "merged row %d: arrivals add up", i);
    CHECK_REL(fl[i], want_fl[i], 1e-12, "merged row %d: a gauge averages", i);
    CHECK_REL(p99[i], want_p99[i], 0, "merged row %d: p99 is the worst (NaN skipped)", i);
    CHECK_REL(cum[i], want_cum[i], 0, "merged row %d: cost_cum_usd is its last row's", i);
  }
  out_table_free(t);
  CHECK_INT(out_series_read(DIR "/series.csv", 0, &t, &per_row, &err), 0, "unbounded read");
  CHECK(t && t->n_rows == 10 && per_row == 1, "max_rows 0 keeps every row");
  out_table_free(t);
}

int main(void) {
  check_init();
  mkdir(DIR, 0777);
  test_series_merge();
  test_report();
  test_bad_folders();
  test_no_surge();
  test_latency_csv();
  test_settings_collect();
  return check_done();
}
