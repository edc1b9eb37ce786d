/* main.c — the scalesim command line (DESIGN.md §7).
 *
 *   scalesim run [SCENARIO] [-o DIR] [--set key=value]... [--seed N] [--quiet]
 *   scalesim validate SCENARIO [--set key=value]...
 *   scalesim keys              the scenario reference (every key, from the schemas)
 *
 * Exit codes: 0 success, 1 failure writing outputs, 2 misuse, 3 bad scenario,
 * 4 unreadable or malformed input. Help goes to stdout with exit 0. */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/platform.h"
#include "output/report.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/signals.h"
#include "sim/sweep.h"
#include "workloads/trace_stats.h"

#ifndef SCALESIM_VERSION
#define SCALESIM_VERSION "0.1.0"
#endif

static const char usage_text[] =
    "usage: scalesim COMMAND [OPTIONS]\n"
    "\n"
    "Discrete-event simulator of autoscaling: replays a request trace or a\n"
    "generated workload against models of ECS and Cloud Run, and reports\n"
    "instances, latency, cold starts and cost.\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]       run a scenario (no SCENARIO: the built-in demo)\n"
    "  validate SCENARIO    check a scenario and exit\n"
    "  report DIR           regenerate report.html and the charts of a finished run\n"
    "  sweep [SCENARIO] --grid KEY=V1,V2,... [-j N] [--shard I/N] [--replications R] -o DIR\n"
    "                       run every combination of the grid values (docs/experiments.md)\n"
    "  merge [-o OUT] DIR...  combine the folders of a sharded sweep\n"
    "  trace-stats TRACE [--format F]  what a trace holds: requests, span, rates,\n"
    "                       burstiness, durations, bad lines (docs/workloads.md)\n"
    "  keys                 print the scenario reference (every key) as Markdown\n"
    "\n"
    "options:\n"
    "  -o, --out DIR        output folder (default: the scenario's output.dir)\n"
    "  -s, --set KEY=VALUE  override a scenario key, e.g. --set platforms[0].instances=8\n"
    "      --seed N         override the scenario's seed\n"
    "  -q, --quiet          no progress line and no summary table\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n"
    "\n"
    "exit status: 0 ok, 1 outputs could not be written, 2 misuse, 3 invalid\n"
    "scenario, 4 unreadable or malformed input.\n"
    "Documentation: docs/guide.md, docs/scenario.md.\n";

typedef struct cli {
  const char *command;
  const char *scenario_path;
  const char *out_dir;
  scenario_override *overrides;
  size_t n_overrides;
  const char *seed_text;
  bool quiet;
} cli;

static int misuse(const char *fmt, const char *arg) {
  fputs("scalesim: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'scalesim --help'.\n", stderr);
  return SIM_EUSAGE;
}

/* Parses argv into c; returns 0, SIM_EUSAGE, or -1 when help/version was printed. */
static int parse_args(int argc, char **argv, cli *c) {
  static const struct option opts[] = {
      {"out", required_argument, 0, 'o'},  {"set", required_argument, 0, 's'},
      {"seed", required_argument, 0, 'S'}, {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},       {"version", no_argument, 0, 'V'},
      {0, 0, 0, 0}};
  int ch;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, "+o:s:qhV", opts, NULL)) != -1) {
    switch (ch) {
    case 'o': c->out_dir = optarg; break;
    case 's': c->overrides[c->n_overrides++].text = optarg; break;
    case 'S': c->seed_text = optarg; break;
    case 'q': c->quiet = true; break;
    case 'h': fputs(usage_text, stdout); return -1;
    case 'V': printf("scalesim %s\n", SCALESIM_VERSION); return -1;
    default:
      return misuse("unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  return 0;
}

static int parse_command(int argc, char **argv, cli *c) {
  if (argc < 2) return misuse("%s", "missing command");
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
    fputs(usage_text, stdout);
    return -1;
  }
  if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
    printf("scalesim %s\n", SCALESIM_VERSION);
    return -1;
  }
  c->command = cmd;
  /* Room for every argument as an override, plus --seed's. */
  c->overrides = sim_xcalloc((size_t)argc + 1, sizeof *c->overrides);
  /* Options may come before or after the scenario path. */
  int rc = parse_args(argc - 1, argv + 1, c);
  if (rc) return rc;
  int rest = argc - 1 - optind;
  char **args = argv + 1 + optind;
  if (rest > 0) {
    c->scenario_path = args[0];
    optind = 1;
    rc = parse_args(rest, args, c);
    if (rc) return rc;
    if (optind < rest) return misuse("unexpected argument '%s'", args[optind]);
  }
  return 0;
}

static int load(const cli *c, scenario **sc, sim_error *err) {
  size_t n = c->n_overrides;
  scenario_override *ov = c->overrides;
  char seed_override[64];
  if (c->seed_text) {
    snprintf(seed_override, sizeof seed_override, "seed=%s", c->seed_text);
    ov[n++].text = seed_override;
  }
  if (c->scenario_path)
    return scenario_load_file(c->scenario_path, ov, n, sc, err);
  return scenario_load_text("<demo>", scenario_demo_yaml, strlen(scenario_demo_yaml), ov, n,
                            sc, err);
}

static void fmt_ms(char *buf, size_t len, double s) {
  if (isnan(s)) snprintf(buf, len, "-");
  else snprintf(buf, len, "%.1f", s * 1e3);
}

static void print_table(const scenario *sc, const run_result *r, const char *dir) {
  printf("%-16s %-9s %12s %9s %9s %9s %9s %9s %10s\n", "platform", "kind", "requests",
         "errors", "p50 ms", "p99 ms", "inst avg", "inst max", "cost USD");
  for (size_t i = 0; i < sc->n_platforms; i++) {
    const out_totals *t = &r[i].totals;
    double errors = 0;
    for (int c = OUT_ERR_429; c <= OUT_ERR_504; c++) errors += t->counters[c];
    char p50[32], p99[32];
    fmt_ms(p50, sizeof p50, r[i].p50_s);
    fmt_ms(p99, sizeof p99, r[i].p99_s);
    printf("%-16s %-9s %12.0f %9.0f %9s %9s %9.2f %9.0f %10.2f\n", r[i].name, r[i].kind,
           t->counters[OUT_ARRIVALS], errors, p50, p99, t->instances_mean, t->instances_max,
           t->counters[OUT_COST_USD]);
  }
  printf("outputs: %s/\n", dir);
}

/* Ctrl-C or SIGTERM stops a run cleanly: the runner keeps what is complete
 * and marks the summary incomplete; then the process dies by the signal, so
 * that a shell or a scheduler sees the interruption (docs/guarantees.md). */
static int cmd_run(const cli *c) {
  sim_signals_install();
  sim_error err = {0};
  scenario *sc = NULL;
  int rc = load(c, &sc, &err);
  if (rc) {
    fprintf(stderr, "scalesim: %s\n", err.msg);
    sim_signals_reraise();
    return rc;
  }
  run_options opt = {.out_dir = c->out_dir, .progress = !c->quiet && isatty(2)};
  run_result *res = sim_xcalloc(sc->n_platforms, sizeof *res);
  rc = run_scenario(sc, &opt, res, &err);
  if (rc) fprintf(stderr, "scalesim: %s\n", err.msg);
  else if (!c->quiet) print_table(sc, res, run_out_dir(sc, &opt));
  free(res);
  scenario_free(sc);
  fflush(NULL);
  sim_signals_reraise(); /* after a SIGINT/SIGTERM: does not return */
  return rc;
}

static int cmd_validate(const cli *c) {
  if (!c->scenario_path) return misuse("%s", "validate needs a SCENARIO file");
  sim_error err = {0};
  scenario *sc = NULL;
  int rc = load(c, &sc, &err);
  if (rc) {
    fprintf(stderr, "scalesim: %s\n", err.msg);
    return rc;
  }
  if (!c->quiet)
    printf("%s: valid (%zu platform%s)\n", c->scenario_path, sc->n_platforms,
           sc->n_platforms == 1 ? "" : "s");
  scenario_free(sc);
  return SIM_OK;
}

static int cmd_report(const cli *c) {
  if (!c->scenario_path) return misuse("%s", "report needs a run folder DIR");
  sim_error err = {0};
  out_report_options opt = {.plots = OUT_PLOT_SVG};
  int rc = out_report_write(c->scenario_path, &opt, &err);
  if (rc) fprintf(stderr, "scalesim: %s\n", err.msg);
  else if (!c->quiet) printf("%s/report.html\n", c->scenario_path);
  return rc;
}

/* scalesim trace-stats TRACE [--format F] */
static int cmd_trace_stats(int argc, char **argv) {
  static const struct option opts[] = {{"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  const char *format = NULL;
  int ch;
  optind = 1;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
    if (ch == 'f') format = optarg;
    else if (ch == 'h') {
      fputs("usage: scalesim trace-stats TRACE [--format clf|csv|tsv|alb|azure2019|azure2021|"
            "counts]\n", stdout);
      return -1;
    } else return misuse("unknown or incomplete option '%s'", argv[optind - 1]);
  }
  if (optind != argc - 1) return misuse("%s", "trace-stats needs exactly one TRACE file");
  sim_error err = {0};
  int rc = wl_trace_stats(argv[optind], format, stdout, &err);
  if (rc) fprintf(stderr, "scalesim: %s\n", err.msg);
  return rc;
}

static int cmd_keys(void) {
  scenario_write_reference(stdout);
  return SIM_OK;
}

int main(int argc, char **argv) {
  gsl_set_error_handler_off();
  /* sweep and merge parse their own options (sim/sweep_cli.c). */
  if (argc >= 2 && !strcmp(argv[1], "sweep")) return sweep_command(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "merge")) return merge_command(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "trace-stats")) {
    int rc = cmd_trace_stats(argc - 1, argv + 1);
    return rc < 0 ? 0 : rc;
  }
  cli c = {0};
  int rc = parse_command(argc, argv, &c);
  if (rc == 0) {
    if (!strcmp(c.command, "run")) rc = cmd_run(&c);
    else if (!strcmp(c.command, "validate")) rc = cmd_validate(&c);
    else if (!strcmp(c.command, "keys")) rc = cmd_keys();
    else if (!strcmp(c.command, "report")) rc = cmd_report(&c);
    else rc = misuse("unknown command '%s'", c.command);
  }
  free(c.overrides);
  return rc < 0 ? 0 : rc;
}
