/* test_sweep_report.c — the sweep page (output/sweep_report.h): a small
 * sweep.csv written by hand (two numeric keys, one text key, two platforms,
 * known Pareto flags) is rendered, and the page is checked: well-formed HTML,
 * every linked SVG written, the Pareto table listing exactly the flagged rows,
 * the text key noted and given no chart; then the `_mean` columns of a
 * replicated sweep, same bytes on a second rendering, and malformed tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/sweep_report.h"
#include "tests/check.h"
#include "tests/files.h"

#define TMP_DIR "/tmp/scalesim_test_sweep_report"

/* Two platforms; keys: instances (numeric), target (numeric), memory (text). */
static const char header[] =
    "variant,platforms[0].instances,platforms[0].policies[0].target,"
    "platforms[0].instance.memory,platform,kind,";
static const char *const rows[][3] = {
    /* variant,keys,platform,kind | metrics | pareto_cost_p99 */
    {"v0000,2,50,512MiB,ecs-a,ecs", "1.0,0.900,0.01", "1"},
    {"v0000,2,50,512MiB,run-b,cloudrun", "1.5,0.800,0", "0"},
    {"v0001,2,70,1GiB,ecs-a,ecs", "0.8,1.200,0.02", "1"},
    {"v0001,2,70,1GiB,run-b,cloudrun", "1.4,0.700,0", "1"},
    {"v0002,4,50,512MiB,ecs-a,ecs", "2.0,0.500,0", "1"},
    {"v0002,4,50,512MiB,run-b,cloudrun", "2.5,0.600,0", "0"},
    {"v0003,4,70,1GiB,ecs-a,ecs", "1.9,0.650,0", "0"},
    {"v0003,4,70,1GiB,run-b,cloudrun", "3.0,0.400,0", "1"},
};
#define N_ROWS (sizeof rows / sizeof rows[0])

/* Writes dir/sweep.csv from rows; `mean` names the metrics as a replicated
 * sweep does (<metric>_mean, <metric>_ci95, after a replications column). */
static void write_sweep(const char *dir, int mean) {
  char path[512];
  snprintf(path, sizeof path, "mkdir -p %s && rm -rf %s/charts %s/sweep.html", dir, dir, dir);
  if (system(path) != 0) abort();
  snprintf(path, sizeof path, "%s/sweep.csv", dir);
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fputs(header, f);
  fputs(mean ? "replications,cost_usd_mean,cost_usd_ci95,latency_p99_s_mean,latency_p99_s_ci95,"
               "error_rate_mean,error_rate_ci95"
             : "cost_usd,latency_p99_s,error_rate",
        f);
  fputs(",pareto_cost_p99,pareto_cost_errors\n", f);
  for (size_t i = 0; i < N_ROWS; i++) {
    fprintf(f, "%s,", rows[i][0]);
    if (mean) {
      double c, p, e;
      sscanf(rows[i][1], "%lf,%lf,%lf", &c, &p, &e);
      fprintf(f, "3,%g,0.1,%g,0.05,%g,0,", c, p, e);
    } else {
      fprintf(f, "%s,", rows[i][1]);
    }
    fprintf(f, "%s,0\n", rows[i][2]);
  }
  fclose(f);
}

/* The HTML parses: xmllint's HTML parser reports nothing but the SVG tags it
 * does not know, and the page is well-formed XML too. */
static void check_well_formed(const char *page) {
  if (system("command -v xmllint >/dev/null 2>&1") != 0) {
    printf("SKIP: xmllint not installed; the well-formedness checks are skipped\n");
    return;
  }
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "xmllint --html --noout %s 2>&1 | grep 'error' | grep -v 'Tag [a-z]* invalid' "
           "> " TMP_DIR "/lint.txt; test ! -s " TMP_DIR "/lint.txt",
           page);
  int rc = system(cmd);
  if (rc != 0) {
    char *lint = read_file(TMP_DIR "/lint.txt", NULL);
    fprintf(stderr, "xmllint --html:\n%s", lint ? lint : "");
    free(lint);
  }
  CHECK(rc == 0, "xmllint --html finds no errors besides SVG tags in %s", page);
  snprintf(cmd, sizeof cmd, "xmllint --noout %s", page);
  CHECK(system(cmd) == 0, "%s is well-formed XML", page);
}

/* Every `href="X.svg"` exists under dir; returns how many there are. */
static int check_links(const char *dir, const char *page) {
  int n = 0;
  for (const char *p = strstr(page, "href=\""); p; p = strstr(p + 1, "href=\"")) {
    const char *from = p + 6, *to = strchr(from, '"');
    if (!to) break;
    char rel[512], path[1024];
    snprintf(rel, sizeof rel, "%.*s", (int)(to - from), from);
    if (!strstr(rel, ".svg")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    CHECK(access(path, R_OK) == 0, "linked chart %s exists", path);
    n++;
  }
  return n;
}

/* The Pareto table holds a row for (variant, platform) exactly when it is
 * flagged. */
static void check_front_table(const char *page) {
  int flagged = 0;
  for (size_t i = 0; i < N_ROWS; i++) {
    char variant[16], keys[64], platform[16], needle[128];
    sscanf(rows[i][0], "%15[^,],%63[^,]", variant, keys);
    const char *comma = rows[i][0];
    for (int c = 0; c < 4; c++) comma = strchr(comma, ',') + 1;
    sscanf(comma, "%15[^,]", platform);
    snprintf(needle, sizeof needle, "<tr data-variant=\"%s\" data-platform=\"%s\">", variant,
             platform);
    int on_front = strcmp(rows[i][2], "1") == 0;
    flagged += on_front;
    CHECK_INT(count_of(page, needle), on_front ? 1 : 0, "front table row %s", needle);
  }
  CHECK_INT(count_of(page, "<tr data-variant="), flagged, "the front table has the %d flagged rows", flagged);
}

static void test_page(void) {
  const char *dir = TMP_DIR "/plain";
  write_sweep(dir, 0);
  sim_error err = {0};
  CHECK_INT(out_sweep_report_write(dir, &err), 0, "render %s", dir);
  if (err.status) fprintf(stderr, "%s\n", err.msg);
  char *page = read_file(TMP_DIR "/plain/sweep.html", NULL);
  CHECK(page != NULL, "sweep.html written");
  if (!page) return;
  check_well_formed(TMP_DIR "/plain/sweep.html");
  /* cost vs p99 plus one sensitivity chart per numeric key */
  CHECK_INT(check_links(dir, page), 3, "three charts linked");
  CHECK_INT(count_of(page, "<svg"), 3, "three charts inlined");
  CHECK(access(TMP_DIR "/plain/charts/sweep_cost_p99.svg", R_OK) == 0, "the cost/p99 chart");
  CHECK(access(TMP_DIR "/plain/charts/sweep_key1_platforms_0_instances.svg", R_OK) == 0,
        "the chart of key 1");
  CHECK(access(TMP_DIR "/plain/charts/sweep_key2_platforms_0_policies_0_target.svg", R_OK) == 0,
        "the chart of key 2");
  check_front_table(page);
  /* the text key: noted, no chart */
  CHECK_CONTAINS(page, "No sensitivity chart for <code>platforms[0].instance.memory</code>", "the text key is noted");
  CHECK_CONTAINS(page, "(e.g. <code>512MiB</code>)", "the note quotes a text value");
  CHECK(!strstr(page, "Sensitivity to platforms[0].instance.memory"), "no chart for the text key");
  CHECK(system("ls " TMP_DIR "/plain/charts | grep -q key3") != 0, "no file for the text key");
  /* the front table is cheapest first: v0001 ecs-a (0.8) before v0000 ecs-a (1.0) */
  const char *a = strstr(page, "data-variant=\"v0001\" data-platform=\"ecs-a\"");
  const char *b = strstr(page, "data-variant=\"v0000\" data-platform=\"ecs-a\"");
  CHECK(a && b && a < b, "front rows sorted by cost");
  /* scatter: one marker per row of each platform (ecs-a circles, run-b
   * squares), and the legend sample of each */
  char *svg = read_file(TMP_DIR "/plain/charts/sweep_cost_p99.svg", NULL);
  CHECK(svg && count_of(svg, "<circle") == (int)N_ROWS / 2 + 1, "a circle per ecs-a row + legend");
  CHECK(svg && strstr(svg, "ecs-a Pareto front") && strstr(svg, "run-b Pareto front"),
        "a front line per platform in the legend");
  /* same sweep.csv, same bytes */
  CHECK_INT(out_sweep_report_write(dir, &err), 0, "render %s", dir);
  char *again = read_file(TMP_DIR "/plain/sweep.html", NULL);
  CHECK(again && strcmp(page, again) == 0, "rendering twice gives the same page");
  free(again);
  free(svg);
  free(page);
}

static void test_replicated(void) {
  const char *dir = TMP_DIR "/replicated";
  write_sweep(dir, 1);
  sim_error err = {0};
  CHECK_INT(out_sweep_report_write(dir, &err), 0, "render %s", dir);
  if (err.status) fprintf(stderr, "%s\n", err.msg);
  char *page = read_file(TMP_DIR "/replicated/sweep.html", NULL);
  CHECK(page != NULL, "sweep.html written from _mean columns");
  if (!page) return;
  CHECK_CONTAINS(page, "means over each variant's replications", "the page says the metrics are means");
  check_front_table(page);
  CHECK_CONTAINS(page, "<td class=\"num\">0.8000</td><td class=\"num\">1200.0</td>"
                       "<td class=\"num\">2.00</td>", "the cheapest front row with mean cost, p99 and error rate");
  free(page);
}

/* A sweep whose runs all failed: a header without metric columns, no rows. */
static void test_no_rows(void) {
  if (system("mkdir -p " TMP_DIR "/empty") != 0) abort();
  write_file(TMP_DIR "/empty/sweep.csv",
             "variant,k,platform,kind,pareto_cost_p99,pareto_cost_errors\n");
  sim_error err = {0};
  CHECK_INT(out_sweep_report_write(TMP_DIR "/empty", &err), 0, "a table without rows renders");
  char *page = read_file(TMP_DIR "/empty/sweep.html", NULL);
  CHECK(page && strstr(page, "no run is complete yet"), "the page says there are no runs");
  CHECK(page && !strstr(page, "<svg"), "and draws no chart");
  free(page);
}

static void test_malformed(void) {
  const char *dir = TMP_DIR "/bad";
  sim_error err = {0};
  if (system("mkdir -p " TMP_DIR "/bad && rm -f " TMP_DIR "/bad/*") != 0) abort();
  CHECK_INT(out_sweep_report_write(dir, &err), SIM_EINPUT, "malformed input rejected");
  CHECK_CONTAINS(err.msg, "sweep.csv", "a missing sweep.csv is named");
  write_file(TMP_DIR "/bad/sweep.csv",
             "variant,k,platform,kind,cost_usd,latency_p99_s,pareto_cost_p99\n"
             "v0000,1,a,ecs,1,0.5,1\nv0001,2,a,ecs,1\n");
  err = (sim_error){0};
  CHECK_INT(out_sweep_report_write(dir, &err), SIM_EINPUT, "malformed input rejected");
  CHECK_CONTAINS(err.msg, "sweep.csv:3: 5 fields", "a short row is named by line");
  write_file(TMP_DIR "/bad/sweep.csv",
             "variant,k,platform,kind,cost_usd,latency_p99_s,pareto_cost_p99\n"
             "v0000,1,a,ecs,cheap,0.5,1\n");
  err = (sim_error){0};
  CHECK_INT(out_sweep_report_write(dir, &err), SIM_EINPUT, "malformed input rejected");
  CHECK_CONTAINS(err.msg, "sweep.csv:2: column 'cost_usd': not a number: 'cheap'", "a text metric is named by line and column");
  write_file(TMP_DIR "/bad/sweep.csv",
             "variant,k,platform,kind,cost_usd,pareto_cost_p99\nv0000,1,a,ecs,1,1\n");
  err = (sim_error){0};
  CHECK_INT(out_sweep_report_write(dir, &err), SIM_EINPUT, "malformed input rejected");
  CHECK_CONTAINS(err.msg, "no column 'latency_p99_s'", "a missing metric column is named");
  CHECK(access(TMP_DIR "/bad/sweep.html", F_OK) != 0, "no page from a malformed table");
}

int main(void) {
  check_init();
  if (system("rm -rf " TMP_DIR " && mkdir -p " TMP_DIR) != 0) abort();
  test_page();
  test_replicated();
  test_no_rows();
  test_malformed();
  return check_done();
}
