/* test_chart.c — the chart layer (output/chart.h): tick arithmetic, and golden
 * SVG files for fixed inputs (ticks, labels, legend, every series kind).
 *
 * The goldens live in tests/golden/chart_*.svg. Any byte difference fails;
 * after an intended change, `REGEN=1 build/tests/test_chart` rewrites them
 * (then look at them, and commit them with the change). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/chart.h"
#include "tests/check.h"
#include "tests/files.h"

#define GOLDEN_DIR "tests/golden"
#define TMP_DIR "/tmp/scalesim_test_chart"

/* Compares svg with the golden file `name`, or rewrites it under REGEN=1. */
static void check_golden(const char *name, const char *svg, size_t len) {
  char path[256];
  snprintf(path, sizeof path, GOLDEN_DIR "/%s", name);
  const char *regen = getenv("REGEN");
  if (regen && strcmp(regen, "1") == 0) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "REGEN: can write %s", path);
    if (f) {
      fwrite(svg, 1, len, f);
      fclose(f);
      fprintf(stderr, "rewrote %s\n", path);
    }
    return;
  }
  size_t glen = 0;
  char *golden = read_file(path, &glen);
  CHECK(golden != NULL, "golden %s exists (REGEN=1 creates it)", path);
  if (!golden) return;
  int same = glen == len && memcmp(golden, svg, len) == 0;
  if (!same) {
    char got[256];
    snprintf(got, sizeof got, TMP_DIR "/%s", name);
    FILE *f = fopen(got, "wb");
    if (f) {
      fwrite(svg, 1, len, f);
      fclose(f);
    }
    fprintf(stderr, "FAIL: %s differs from the golden; got %s (diff them)\n", path, got);
  }
  CHECK(same, "%s byte-identical to the golden", name);
  free(golden);
}

/* Well-formed XML per xmllint, when it is installed. */
static void check_xml(const char *svg, size_t len, const char *name) {
  if (system("command -v xmllint >/dev/null 2>&1") != 0) return;
  char path[256], cmd[512];
  snprintf(path, sizeof path, TMP_DIR "/wf_%s", name);
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fwrite(svg, 1, len, f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "xmllint --noout --nonet '%s'", path);
  CHECK(system(cmd) == 0, "%s is well-formed XML", name);
}

static void test_ticks(void) {
  CHECK_REL(out_nice_step(10, 5), 2, 1e-12, "span 10 in ~5 steps: 2");
  CHECK_REL(out_nice_step(7, 5), 2, 1e-12, "span 7 in ~5 steps: 2");
  CHECK_REL(out_nice_step(1, 5), 0.2, 1e-12, "span 1 in ~5 steps: 0.2");
  CHECK_REL(out_nice_step(100, 8), 20, 1e-12, "span 100 in ~8 steps: 20");
  CHECK_REL(out_nice_step(0.9, 5), 0.2, 1e-12, "span 0.9 in ~5 steps: 0.2");
  CHECK_REL(out_nice_step(3e6, 6), 5e5, 1e-12, "span 3e6 in ~6 steps: 5e5");
  CHECK_REL(out_nice_step(45, 5), 10, 1e-12, "span 45 in ~5 steps: 10");

  double unit;
  CHECK_STR(out_time_unit(300, &unit), "s", "5 min span in seconds");
  CHECK_REL(unit, 1, 0, "second");
  CHECK_STR(out_time_unit(3600, &unit), "min", "1 h span in minutes");
  CHECK_REL(unit, 60, 0, "minute");
  CHECK_STR(out_time_unit(86400, &unit), "h", "1 day span in hours");
  CHECK_REL(unit, 3600, 0, "hour");
  CHECK_STR(out_time_unit(7 * 86400, &unit), "day", "a week in days");
  CHECK_REL(unit, 86400, 0, "day");

  char buf[32];
  CHECK_STR(out_format_tick(12000, 2000, buf, sizeof buf), "12k", "thousands");
  CHECK_STR(out_format_tick(1.5e6, 5e5, buf, sizeof buf), "1.5M", "millions");
  CHECK_STR(out_format_tick(0.25, 0.05, buf, sizeof buf), "0.25", "two decimals");
  CHECK_STR(out_format_tick(0.4, 0.2, buf, sizeof buf), "0.4", "one decimal");
  CHECK_STR(out_format_tick(120, 20, buf, sizeof buf), "120", "integers");
  CHECK_STR(out_format_tick(-1e-17, 0.1, buf, sizeof buf), "0.0", "no negative zero");
  CHECK_STR(out_format_tick(2500, 500, buf, sizeof buf), "2500", "below 10k unsuffixed");
}

/* A fixed hour of synthetic data: a sine with a surge at 35-40 min. */
enum { N = 360 };
static double t_s[N], rate[N], ready[N], desired[N], p50[N], p99[N];

static void fill_data(void) {
  for (int i = 0; i < N; i++) {
    t_s[i] = 10.0 * i;
    double surge = i >= 210 && i < 240 ? 80 : 0;
    rate[i] = 50 + 30 * sin(i / 30.0) + surge;
    desired[i] = ceil((rate[i] + 10) / 20);
    ready[i] = i > 0 ? ready[i - 1] + 0.2 * (desired[i - 1] - ready[i - 1]) : desired[0];
    p50[i] = 0.08 + 0.01 * sin(i / 10.0);
    p99[i] = 0.4 + (surge > 0 ? 0.8 : 0.1 * cos(i / 15.0));
  }
  p50[100] = p99[100] = NAN; /* an interval without completions: a gap */
}

static out_chart *timeseries_chart(void) {
  out_chart_spec sp = out_chart_spec_default();
  sp.title = "demo: requests and instances";
  sp.x = (out_axis_spec){"time", OUT_UNIT_TIME, NAN, NAN};
  sp.y.label = "requests/s";
  sp.y2.label = "instances";
  sp.up_label = "scale out";
  sp.down_label = "scale in";
  sp.event_label = "alarm";
  out_chart *c = out_chart_alloc(&sp);
  out_chart_add(c, &(out_series){"arrivals", OUT_AREA, 0, -1, t_s, rate, N});
  out_chart_add(c, &(out_series){"desired", OUT_STEP, 1, -1, t_s, desired, N});
  out_chart_add(c, &(out_series){"ready", OUT_LINE, 1, -1, t_s, ready, N});
  out_chart_hline(c, 0, 100, "target 100/s");
  out_chart_marker(c, 2050, OUT_MARK_EVENT, "alarm");
  out_chart_marker(c, 2100, OUT_MARK_UP, "+4");
  out_chart_marker(c, 2420, OUT_MARK_DOWN, "-3");
  return c;
}

static out_chart *latency_chart(void) {
  out_chart_spec sp = out_chart_spec_default();
  sp.title = "demo: latency";
  sp.x = (out_axis_spec){"time", OUT_UNIT_TIME, NAN, NAN};
  sp.y = (out_axis_spec){"latency", OUT_UNIT_DURATION, NAN, NAN};
  out_chart *c = out_chart_alloc(&sp);
  out_chart_band(c, "p50 to p99", 0, 0, t_s, p50, p99, N);
  out_chart_add(c, &(out_series){"p50", OUT_LINE, 0, 0, t_s, p50, N});
  out_chart_add(c, &(out_series){"p99", OUT_LINE, 0, 3, t_s, p99, N});
  return c;
}

static out_chart *cdf_chart(void) {
  enum { M = 120 };
  double x[M], y[M];
  for (int i = 0; i < M; i++) {
    x[i] = 0.004 * pow(1.06, i); /* 4 ms .. ~4 s */
    y[i] = 1 - exp(-x[i] / 0.15);
  }
  out_chart_spec sp = out_chart_spec_default();
  sp.title = "latency CDF";
  sp.x_scale = OUT_X_LOG;
  sp.x = (out_axis_spec){"latency", OUT_UNIT_DURATION, NAN, NAN};
  sp.y = (out_axis_spec){"fraction of requests", OUT_UNIT_PLAIN, 0, 1};
  out_chart *c = out_chart_alloc(&sp);
  out_chart_add(c, &(out_series){"fixed-8", OUT_LINE, 0, 0, x, y, M});
  for (int i = 0; i < M; i++) y[i] = 1 - exp(-x[i] / 0.4);
  out_chart_add(c, &(out_series){"run-c80", OUT_LINE, 0, 1, x, y, M});
  return c;
}

static out_chart *bar_chart(void) {
  out_chart_spec sp = out_chart_spec_default();
  sp.title = "cost";
  sp.x_scale = OUT_X_CATEGORY;
  sp.y.label = "cost (USD)";
  sp.width_px = 400;
  sp.height_px = 260;
  out_chart *c = out_chart_alloc(&sp);
  out_chart_bar(c, "ecs-cpu60", 1.234, 0, "$1.23");
  out_chart_bar(c, "run-c80", 0.8, 1, "$0.80");
  out_chart_bar(c, "a-platform-with-a-long-name", 2.5, 2, "$2.50");
  return c;
}

/* Renders, checks determinism, well-formedness and the golden; returns the
 * SVG (owned by the caller) for content checks. */
static char *golden_case(out_chart *c, const char *name) {
  sim_error err = {0};
  char *a = NULL, *b = NULL;
  size_t la = 0, lb = 0;
  CHECK_INT(out_chart_svg(c, &a, &la, &err), SIM_OK, "%s renders (%s)", name, err.msg);
  CHECK_INT(out_chart_svg(c, &b, &lb, &err), SIM_OK, "%s renders again", name);
  CHECK(a && b && la == lb && memcmp(a, b, la) == 0, "%s: same chart, same bytes", name);
  free(b);
  if (!a) return NULL;
  check_xml(a, la, name);
  check_golden(name, a, la);
  return a;
}

static void test_goldens(void) {
  fill_data();
  out_chart *c = timeseries_chart();
  char *svg = golden_case(c, "chart_timeseries.svg");
  if (svg) {
    CHECK_CONTAINS(svg, "viewBox=\"0 0 800 360\"", "pixel viewBox");
    CHECK_CONTAINS(svg, "<title>demo: requests and instances</title>", "title element");
    CHECK_CONTAINS(svg, ">time (min)</text>", "an hour is shown in minutes");
    CHECK_CONTAINS(svg, ">60</text>", "the last time tick, 60 min");
    CHECK_CONTAINS(svg, ">requests/s</text>", "left axis title");
    CHECK_CONTAINS(svg, ">instances</text>", "right axis title");
    CHECK_CONTAINS(svg, ">200</text>", "left axis ends on the tick above the surge");
    CHECK_CONTAINS(svg, ">arrivals</text>", "legend: area series");
    CHECK_CONTAINS(svg, ">scale out</text>", "legend: marker kind");
    CHECK_CONTAINS(svg, ">target 100/s</text>", "reference line label");
    CHECK_CONTAINS(svg, "stroke-dasharray=\"8, 3\"", "second palette entry is dashed");
    CHECK(strstr(svg, "id=\"") == NULL, "no ids (charts are inlined together)");
  }
  free(svg);
  out_chart_free(c);

  c = latency_chart();
  svg = golden_case(c, "chart_latency.svg");
  if (svg) {
    CHECK_CONTAINS(svg, ">latency (s)</text>", "p99 above 1 s: axis in seconds");
    /* The NaN at row 100 splits each of the two lines and the band in two
     * (legend samples are <line> and <rect>). */
    CHECK_INT(count_of(svg, "<polyline") + count_of(svg, "<polygon"), 2 * 2 + 2,
              "a gap splits both lines and the band");
  }
  free(svg);
  out_chart_free(c);

  c = cdf_chart();
  svg = golden_case(c, "chart_cdf.svg");
  if (svg) {
    CHECK_CONTAINS(svg, ">1 ms</text>", "log axis starts at the decade below 4 ms");
    CHECK_CONTAINS(svg, ">100 ms</text>", "decade tick");
    CHECK_CONTAINS(svg, ">10 s</text>", "log axis ends at the decade above ~4 s");
    CHECK_CONTAINS(svg, ">1.0</text>", "fixed y max 1");
  }
  free(svg);
  out_chart_free(c);

  c = bar_chart();
  svg = golden_case(c, "chart_bars.svg");
  if (svg) {
    CHECK_CONTAINS(svg, ">$1.23</text>", "value label");
    CHECK_CONTAINS(svg, ">ecs-cpu60</text>", "category label");
    CHECK_CONTAINS(svg, "..</text>", "a long category name is shortened to fit");
    CHECK_CONTAINS(svg, ">2.5</text>", "axis ends at the top bar");
  }
  free(svg);
  out_chart_free(c);
}

/* 10^5 points are downsampled, but a one-point spike survives. */
static void test_downsampling(void) {
  enum { BIG = 100000 };
  double *x = malloc(BIG * sizeof *x), *y = malloc(BIG * sizeof *y);
  for (int i = 0; i < BIG; i++) {
    x[i] = i;
    y[i] = 1 + (i % 7) * 0.01;
  }
  y[77777] = 950;
  out_chart_spec sp = out_chart_spec_default();
  sp.x = (out_axis_spec){"time", OUT_UNIT_TIME, NAN, NAN};
  sp.y.label = "value";
  out_chart *c = out_chart_alloc(&sp);
  out_chart_add(c, &(out_series){"big", OUT_LINE, 0, 0, x, y, BIG});
  char *svg = NULL;
  size_t len = 0;
  sim_error err = {0};
  CHECK_INT(out_chart_svg(c, &svg, &len, &err), SIM_OK, "big series renders");
  if (svg) {
    CHECK_CONTAINS(svg, ">1000</text>", "the spike sets the axis top (1000)");
    CHECK_CONTAINS(svg, ">time (h)</text>", "10^5 s (28 h) is shown in hours");
    CHECK_CONTAINS(svg, ">24</text>", "6-hour ticks up to 24 h");
    const char *pl = strstr(svg, "<polyline");
    const char *end = pl ? strstr(pl, "/>") : NULL;
    int points = 0;
    for (const char *p = pl; p && p < end; p++) points += *p == ',';
    CHECK(points > 1000 && points <= OUT_CHART_MAX_POINTS,
          "downsampled to at most %d points (got %d)", OUT_CHART_MAX_POINTS, points);
  }
  free(svg);
  out_chart_free(c);
  free(x);
  free(y);
}

static void test_files(void) {
  fill_data();
  out_chart *c = timeseries_chart();
  sim_error err = {0};
  CHECK_INT(out_chart_write(c, TMP_DIR "/files/ts", OUT_PLOT_SVG | OUT_PLOT_PNG, &err), SIM_OK,
            "write svg + png (%s)", err.msg);
  size_t len = 0;
  char *png = read_file(TMP_DIR "/files/ts.png", &len);
  CHECK(png && len > 1000 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0, "a PNG was written");
  free(png);
  char *svg = read_file(TMP_DIR "/files/ts.svg", &len);
  CHECK(svg && strncmp(svg, "<?xml", 5) == 0, "the SVG file was written");
  free(svg);
  CHECK(access(TMP_DIR "/files/ts.svg.tmp", F_OK) != 0, "no temporary file left");
  /* A path under a regular file cannot be created. */
  FILE *f = fopen(TMP_DIR "/plainfile", "w");
  if (f) fclose(f);
  sim_error_clear(&err);
  CHECK_INT(out_chart_write(c, TMP_DIR "/plainfile/ts", OUT_PLOT_SVG, &err), SIM_EFAIL,
            "unwritable path is SIM_EFAIL");
  CHECK_CONTAINS(err.msg, "plainfile", "the error names the path");
  out_chart_free(c);
}

int main(void) {
  check_init();
  mkdir(TMP_DIR, 0777);
  test_ticks();
  test_goldens();
  test_downsampling();
  test_files();
  return check_done();
}
