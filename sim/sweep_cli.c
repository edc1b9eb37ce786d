/* sweep_cli.c — the `scalesim sweep` and `scalesim merge` commands: options,
 * the order of the work (validate everything, then run the shard's pending
 * runs in worker processes, then write the tables), and what they print (see
 * sweep.h for the folder layout, docs/experiments.md for the user's view). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/atomic.h"
#include "output/sweep_report.h"
#include "sim/pool.h"
#include "sim/shard.h"
#include "sim/signals.h"
#include "sim/sweep.h"
#include "sim/file.h"

enum { MAX_JOBS = 1024, MAX_REPLICATIONS = 100000, LIST_MISSING = 10 };

static const char sweep_usage[] =
    "usage: scalesim sweep [SCENARIO] --grid KEY=V1,V2,... [OPTIONS]\n"
    "\n"
    "Runs every variant of a design (the cartesian product of the grids, or the\n"
    "rows of a grid file) and tabulates the results in DIR/sweep.csv, with the\n"
    "Pareto fronts of cost vs p99 latency and cost vs error rate marked, and\n"
    "charts them in DIR/sweep.html. No SCENARIO: the built-in demo. A re-run\n"
    "skips the runs already complete.\n"
    "\n"
    "options:\n"
    "  -o, --out DIR            output folder (default: the scenario's output.dir/sweep)\n"
    "  -g, --grid KEY=V1,V2,... sweep KEY over the values; repeated grids multiply,\n"
    "                           the first varying slowest\n"
    "      --grid-file FILE     variants from a YAML list of {KEY: VALUE, ...} maps\n"
    "  -r, --replications R     run each variant R times with derived seeds (default 1)\n"
    "  -s, --set KEY=VALUE      override a scenario key in every variant\n"
    "      --seed N             the scenario's seed (replication 0 uses it as is)\n"
    "  -j, --jobs N             worker processes (default: the online CPUs)\n"
    "      --shard I/N          run only shard I of N (0 <= I < N); without it the\n"
    "                           shard comes from Slurm, Kubernetes, AWS Batch or Cloud\n"
    "                           Run array-job variables\n"
    "      --shard-count N      the shard count when the environment gives an index only\n"
    "  -q, --quiet              no progress line and no closing report\n"
    "  -h, --help               this help\n"
    "\n"
    "exit status: 0 every run complete, 1 some run failed, 2 misuse, 3 invalid\n"
    "scenario or grid, 4 unreadable scenario or grid file.\n"
    "Documentation: docs/experiments.md.\n";

static const char merge_usage[] =
    "usage: scalesim merge [-o OUT] DIR...\n"
    "\n"
    "Combines the folders of a sharded sweep: brings every complete run into OUT\n"
    "(hard links where possible) and writes OUT/sweep.csv, byte for byte what one\n"
    "unsharded sweep writes, and OUT/sweep.html. OUT defaults to the first DIR.\n"
    "\n"
    "options:\n"
    "  -o, --out OUT   the merged folder\n"
    "  -q, --quiet     no closing report\n"
    "  -h, --help      this help\n"
    "\n"
    "exit status: 0 every run present, 1 some run missing (sweep.csv is written\n"
    "anyway), 2 misuse, 3 the folders are not shards of one sweep, 4 unreadable\n"
    "or malformed input.\n";

static int complain(const sim_error *err) {
  fprintf(stderr, "scalesim: %s\n", err->msg);
  return err->status ? err->status : SIM_EFAIL;
}

static int misuse(const char *command, const char *fmt, const char *arg) {
  fputs("scalesim: ", stderr);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'scalesim %s --help'.\n", command);
  return SIM_EUSAGE;
}

/* Parses a whole number in [min, max] for option `opt`. */
static bool parse_count(const char *text, unsigned long min, unsigned long max,
                        unsigned *out) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(text, &end, 10);
  if (!*text || *end || errno || v < min || v > max || text[0] == '-') return false;
  *out = (unsigned)v;
  return true;
}

/* --- the output folder --------------------------------------------------------- */

/* Creates dir and takes its lock (held until the process exits or *fd is
 * closed). Returns 0, SIM_EFAIL, or SIM_EUSAGE when another process holds it. */
static int lock_dir(const char *dir, int *fd, sim_error *err) {
  int rc = out_mkdirs(dir, err);
  if (rc) return rc;
  char *path = sweep_path(dir, ".lock");
  *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  int e = errno;
  free(path);
  if (*fd < 0) return sim_errorf(err, SIM_EFAIL, "%s/.lock: cannot open: %s", dir, strerror(e));
  if (flock(*fd, LOCK_EX | LOCK_NB) == 0) return SIM_OK;
  e = errno;
  close(*fd);
  *fd = -1;
  if (e == EWOULDBLOCK)
    return sim_errorf(err, SIM_EUSAGE,
                      "%s: another sweep or merge is writing this folder (give each shard "
                      "its own folder)", dir);
  return sim_errorf(err, SIM_EFAIL, "%s/.lock: cannot lock: %s", dir, strerror(e));
}

/* Writes DIR/variants.csv, or checks that the one there is the same design:
 * runs of another design must never be mixed in. `clash` is the status of a
 * different design. */
static int claim_variants(const char *dir, const char *text, int clash, sim_error *err) {
  char *path = sweep_path(dir, "variants.csv"), *old;
  size_t len;
  sim_error ignored = {0};
  int rc = SIM_OK;
  if (sim_read_file(path, &old, &len, &ignored) == SIM_OK) {
    if (len != strlen(text) || memcmp(old, text, len) != 0)
      rc = sim_errorf(err, clash,
                      "%s holds a different sweep (its variants.csv lists other variants or "
                      "seeds): choose another folder, or remove it", dir);
    free(old);
  } else {
    out_file *f = out_file_open(path, err);
    if (!f) rc = SIM_EFAIL;
    else {
      fputs(text, out_file_stream(f));
      rc = out_file_commit(f, err);
    }
  }
  free(path);
  return rc;
}

/* --- sweep: options -------------------------------------------------------------- */

typedef struct sweep_cli {
  const char *scenario_path, *out_dir, *grid_file, *shard, *shard_count, *seed_text;
  unsigned replications, jobs;
  bool quiet;
  const char **grids;
  size_t n_grids;
  scenario_override *sets; /* --set, then seed=N */
  size_t n_sets;
  char seed_set[64];
} sweep_cli;

/* Returns 0, SIM_EUSAGE, or -1 when help was printed. */
static int parse_sweep_args(int argc, char **argv, sweep_cli *c) {
  static const struct option opts[] = {
      {"out", required_argument, 0, 'o'},         {"grid", required_argument, 0, 'g'},
      {"grid-file", required_argument, 0, 'G'},   {"replications", required_argument, 0, 'r'},
      {"set", required_argument, 0, 's'},         {"seed", required_argument, 0, 'S'},
      {"jobs", required_argument, 0, 'j'},        {"shard", required_argument, 0, 'I'},
      {"shard-count", required_argument, 0, 'N'}, {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
  c->grids = sim_xcalloc((size_t)argc + 1, sizeof *c->grids);
  c->sets = sim_xcalloc((size_t)argc + 2, sizeof *c->sets);
  c->replications = 1;
  c->jobs = pool_default_workers();
  optind = 0; /* glibc: start a fresh scan */
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "o:g:r:s:j:qh", opts, NULL)) != -1) {
    switch (ch) {
      case 'o': c->out_dir = optarg; break;
      case 'g': c->grids[c->n_grids++] = optarg; break;
      case 'G': c->grid_file = optarg; break;
      case 's': c->sets[c->n_sets++].text = optarg; break;
      case 'S': c->seed_text = optarg; break;
      case 'I': c->shard = optarg; break;
      case 'N': c->shard_count = optarg; break;
      case 'q': c->quiet = true; break;
      case 'h': fputs(sweep_usage, stdout); return -1;
      case 'r':
        if (!parse_count(optarg, 1, MAX_REPLICATIONS, &c->replications))
          return misuse("sweep", "--replications: expected a whole number from 1, got '%s'",
                        optarg);
        break;
      case 'j':
        if (!parse_count(optarg, 1, MAX_JOBS, &c->jobs))
          return misuse("sweep", "--jobs: expected a whole number from 1 to 1024, got '%s'",
                        optarg);
        break;
      default: return misuse("sweep", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) c->scenario_path = argv[optind++];
  if (optind < argc) return misuse("sweep", "unexpected argument '%s'", argv[optind]);
  if (c->n_grids == 0 && !c->grid_file && c->replications == 1)
    return misuse("sweep", "%s", "nothing to sweep: give --grid, --grid-file or --replications");
  if (c->seed_text) {
    snprintf(c->seed_set, sizeof c->seed_set, "seed=%s", c->seed_text);
    c->sets[c->n_sets++].text = c->seed_set;
  }
  return 0;
}

/* --- sweep: running ------------------------------------------------------------------- */

typedef struct failure {
  size_t run;
  int exit_status, signal;
  char *message;
} failure;

/* What the workers share (read-only after fork) and the parent's tally. */
typedef struct sweep_state {
  const sweep_design *d;
  const sweep_scenario *sc;
  const char *dir;
  size_t *pending;      /* run indices still to do, in design order */
  size_t n_pending;
  size_t done, skipped;
  failure *failures;
  size_t n_failures;
  bool progress;
} sweep_state;

static int run_job(size_t job, void *arg) {
  sweep_state *s = arg;
  sim_error err = {0};
  int rc = sweep_run_one(s->d, s->pending[job], s->sc, s->dir, &err);
  if (rc) fprintf(stderr, "%s\n", err.msg);
  return rc;
}

static char *trimmed(const char *text) {
  size_t len = strlen(text);
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ')) len--;
  char *s = sim_xmalloc(len + 1);
  memcpy(s, text, len);
  s[len] = '\0';
  return s;
}

/* How a failed run ended: "failed (exit 3)", "killed by signal 11 (...)". */
static void describe_end(const pool_outcome *o, char *buf, size_t len) {
  if (o->signal) snprintf(buf, len, "killed by signal %d (%s)", o->signal, strsignal(o->signal));
  else snprintf(buf, len, "failed (exit %d)", o->exit_status);
}

static void on_job_done(const pool_outcome *o, void *arg) {
  sweep_state *s = arg;
  s->done++;
  if (o->exit_status != 0) {
    char id[SWEEP_ID_LEN], how[160];
    size_t run = s->pending[o->job];
    describe_end(o, how, sizeof how);
    char *output = trimmed(o->output);
    if (s->progress) fputs("\r\033[K", stderr);
    fprintf(stderr, "scalesim: run %s %s%s%s\n", sweep_run_id(s->d, run, id), how,
            *output ? ": " : "", output);
    if (!*output) { /* failed.csv then says how it ended */
      free(output);
      output = sim_xstrdup(how);
    }
    s->failures[s->n_failures++] = (failure){run, o->exit_status, o->signal, output};
  }
  if (s->progress)
    fprintf(stderr, "\rsweep: %zu/%zu runs done, %zu failed   ", s->done, s->n_pending,
            s->n_failures);
}

/* Removes the .tmp folders that runs killed with the sweep left behind. */
static void remove_leftovers(const sweep_state *s) {
  for (size_t i = 0; i < s->n_pending; i++) {
    char id[SWEEP_ID_LEN], name[SWEEP_ID_LEN + 16];
    snprintf(name, sizeof name, "runs/%s.tmp", sweep_run_id(s->d, s->pending[i], id));
    char *path = sweep_path(s->dir, name);
    sim_error ignored = {0};
    sweep_remove_tree(path, &ignored); /* a resumed sweep removes it anyway */
    free(path);
  }
}

static int by_run(const void *a, const void *b) {
  const failure *x = a, *y = b;
  return x->run < y->run ? -1 : x->run > y->run;
}

/* Writes DIR/failed.csv for this invocation's failures, or removes an old one. */
static int write_failed(sweep_state *s, sim_error *err) {
  char *path = sweep_path(s->dir, "failed.csv");
  int rc = SIM_OK;
  if (s->n_failures == 0) {
    if (unlink(path) != 0 && errno != ENOENT)
      rc = sim_errorf(err, SIM_EFAIL, "%s: cannot remove: %s", path, strerror(errno));
    free(path);
    return rc;
  }
  qsort(s->failures, s->n_failures, sizeof *s->failures, by_run);
  out_file *f = out_file_open(path, err);
  free(path);
  if (!f) return SIM_EFAIL;
  FILE *fp = out_file_stream(f);
  fputs("run,exit_status,signal,message\n", fp);
  for (size_t i = 0; i < s->n_failures; i++) {
    char id[SWEEP_ID_LEN];
    fprintf(fp, "%s,%d,%d,", sweep_run_id(s->d, s->failures[i].run, id),
            s->failures[i].exit_status, s->failures[i].signal);
    sweep_csv_put(fp, s->failures[i].message);
    fputc('\n', fp);
  }
  return out_file_commit(f, err);
}

/* Lists the shard's runs that are not complete yet. */
static void find_pending(sweep_state *s, const shard_spec *shard) {
  const sweep_design *d = s->d;
  s->pending = sim_xcalloc(sweep_n_runs(d) + 1, sizeof(size_t));
  for (size_t v = 0; v < d->n_variants; v++) {
    if (!shard_owns(shard, v)) continue;
    for (unsigned r = 0; r < d->replications; r++) {
      char id[SWEEP_ID_LEN];
      size_t run = v * d->replications + r;
      if (sweep_run_complete(s->dir, sweep_run_id(d, run, id))) s->skipped++;
      else s->pending[s->n_pending++] = run;
    }
  }
  s->failures = sim_xcalloc(s->n_pending + 1, sizeof(failure));
}

static void report(const sweep_state *s, const shard_spec *shard, size_t n_complete,
                   unsigned jobs) {
  const sweep_design *d = s->d;
  printf("sweep: %zu variant%s x %u replication%s = %zu runs", d->n_variants,
         d->n_variants == 1 ? "" : "s", d->replications, d->replications == 1 ? "" : "s",
         sweep_n_runs(d));
  if (shard->count > 1)
    printf("; shard %lu/%lu (from %s)", shard->index, shard->count, shard->source);
  printf("\n  this time: ran %zu (-j %u), %zu failed, %zu skipped (already complete)\n",
         s->done, jobs, s->n_failures, s->skipped);
  printf("  complete in %s: %zu of %zu runs\n", s->dir, n_complete, sweep_n_runs(d));
  printf("  results: %s/sweep.csv, page: sweep.html%s\n", s->dir,
         s->n_failures ? ", failures: failed.csv" : "");
}

/* Writes sweep.html from the sweep.csv just written (output/sweep_report.h).
 * sweep.csv is complete before this starts, so a failure here loses nothing
 * but the page; it is reported, and the command exits 1 as for any output that
 * could not be written. */
static int write_page(const char *dir, sim_error *err) {
  int rc = out_sweep_report_write(dir, err);
  if (rc) sim_error_prefix(err, "sweep.html not written (sweep.csv is): ");
  return rc;
}

/* Runs the shard's pending runs, then writes failed.csv, sweep.csv and
 * sweep.html. */
static int run_sweep(sweep_state *s, const shard_spec *shard, const sweep_cli *c,
                     sim_error *err) {
  find_pending(s, shard);
  s->progress = !c->quiet && isatty(STDERR_FILENO);
  sim_signals_install();
  int rc = s->n_pending ? pool_run(s->n_pending, c->jobs, run_job, on_job_done, s, err) : 0;
  if (s->progress) fputs("\r\033[K", stderr);
  remove_leftovers(s);
  sim_error later = {0};
  int rc2 = write_failed(s, &later);
  size_t n_complete = 0;
  if (!rc2) rc2 = sweep_write_results(s->d, s->dir, &n_complete, &later);
  if (!rc2) rc2 = write_page(s->dir, &later);
  if (rc2) complain(&later);
  if (!rc && !rc2 && !c->quiet) report(s, shard, n_complete, c->jobs);
  if (!rc) rc = rc2;
  if (!rc && s->n_failures) rc = SIM_EFAIL;
  for (size_t i = 0; i < s->n_failures; i++) free(s->failures[i].message);
  free(s->failures);
  free(s->pending);
  return rc;
}

/* --- sweep: the command ------------------------------------------------------------------ */

/* Reads the scenario's text (or the demo's) and checks it with the sweep's
 * own --set; fills the default output folder. */
static int load_base(const sweep_cli *c, sweep_scenario *sc, char **text, char **default_dir,
                     sim_error *err) {
  *text = NULL;
  if (c->scenario_path) {
    size_t len;
    int rc = sim_read_file(c->scenario_path, text, &len, err);
    if (rc) return rc;
    *sc = (sweep_scenario){c->scenario_path, *text, len, c->sets, c->n_sets};
  } else {
    *sc = (sweep_scenario){"<demo>", scenario_demo_yaml, strlen(scenario_demo_yaml), c->sets,
                           c->n_sets};
  }
  scenario *s;
  int rc = scenario_load_text(sc->name, sc->text, sc->len, sc->base, sc->n_base, &s, err);
  if (rc) return rc;
  *default_dir = sweep_path(s->output.dir, "sweep");
  scenario_free(s);
  return SIM_OK;
}

static int build_design(const sweep_cli *c, const sweep_scenario *sc, sweep_design **d,
                        sim_error *err) {
  sweep_spec *spec = sweep_spec_alloc();
  int rc = SIM_OK;
  for (size_t i = 0; i < c->n_grids && !rc; i++) rc = sweep_spec_add_grid(spec, c->grids[i], err);
  if (!rc && c->grid_file) rc = sweep_spec_add_file(spec, c->grid_file, err);
  if (!rc) rc = sweep_expand(spec, c->replications, d, err);
  sweep_spec_free(spec);
  if (!rc) rc = sweep_validate(*d, sc, err);
  return rc;
}

int sweep_command(int argc, char **argv) {
  sweep_cli c = {0};
  int rc = parse_sweep_args(argc, argv, &c);
  sim_error err = {0};
  shard_spec shard;
  sweep_scenario sc;
  sweep_design *d = NULL;
  sweep_state s = {0};
  char *text = NULL, *default_dir = NULL, *variants = NULL;
  int lock_fd = -1;
  if (rc) goto done;
  if ((rc = shard_resolve(c.shard, c.shard_count, getenv, &shard, &err)) ||
      (rc = load_base(&c, &sc, &text, &default_dir, &err)) ||
      (rc = build_design(&c, &sc, &d, &err))) {
    complain(&err);
    goto done;
  }
  s = (sweep_state){.d = d, .sc = &sc, .dir = c.out_dir ? c.out_dir : default_dir};
  variants = sweep_variants_csv(d);
  if ((rc = lock_dir(s.dir, &lock_fd, &err)) ||
      (rc = claim_variants(s.dir, variants, SIM_EUSAGE, &err))) {
    complain(&err);
    goto done;
  }
  if ((rc = run_sweep(&s, &shard, &c, &err)) && err.status) complain(&err);
done:
  if (lock_fd >= 0) close(lock_fd);
  free(variants);
  sweep_design_free(d);
  free(default_dir);
  free(text);
  free(c.grids);
  free(c.sets);
  if (sim_signals_pending()) sim_signals_reraise();
  return rc < 0 ? 0 : rc;
}

/* --- merge ---------------------------------------------------------------------------------- */

static bool same_folder(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* Reads every folder's variants.csv: the same design in all of them, or
 * SIM_ESCENARIO. Returns the first one's text in *text. */
static int same_design(char **dirs, size_t n, char **text, sim_error *err) {
  *text = NULL;
  for (size_t i = 0; i < n; i++) {
    char *path = sweep_path(dirs[i], "variants.csv"), *t;
    size_t len;
    int rc = sim_read_file(path, &t, &len, err);
    free(path);
    if (rc) {
      free(*text);
      *text = NULL;
      return sim_error_prefix(err, "%s is not a sweep folder: ", dirs[i]);
    }
    if (i == 0) *text = t;
    else {
      bool same = strlen(*text) == len && memcmp(*text, t, len) == 0;
      free(t);
      if (!same) {
        free(*text);
        *text = NULL;
        return sim_errorf(err, SIM_ESCENARIO,
                          "%s and %s are not shards of the same sweep (their variants.csv "
                          "differ)", dirs[0], dirs[i]);
      }
    }
  }
  return SIM_OK;
}

/* Brings every run missing from out that some folder has; counts the runs
 * still missing and lists the first few on stderr. */
static int import_runs(const sweep_design *d, char **dirs, size_t n, const char *out,
                       size_t *missing, sim_error *err) {
  *missing = 0;
  for (size_t run = 0; run < sweep_n_runs(d); run++) {
    char id[SWEEP_ID_LEN];
    sweep_run_id(d, run, id);
    if (sweep_run_complete(out, id)) continue;
    size_t i = 0;
    while (i < n && (same_folder(dirs[i], out) || !sweep_run_complete(dirs[i], id))) i++;
    if (i < n) {
      int rc = sweep_import_run(dirs[i], out, id, err);
      if (rc) return rc;
    } else if ((*missing)++ < LIST_MISSING) {
      fprintf(stderr, "scalesim: merge: run %s is in none of the folders\n", id);
    }
  }
  if (*missing > LIST_MISSING)
    fprintf(stderr, "scalesim: merge: ... and %zu more runs are missing\n",
            *missing - LIST_MISSING);
  return SIM_OK;
}

static int merge_into(char **dirs, size_t n, const char *out, bool quiet, sim_error *err) {
  char *text = NULL, *first = NULL;
  sweep_design *d = NULL;
  int lock_fd = -1;
  size_t missing = 0, complete = 0;
  int rc = same_design(dirs, n, &text, err);
  if (!rc) {
    first = sweep_path(dirs[0], "variants.csv");
    rc = sweep_read_variants(first, &d, err);
  }
  if (!rc) rc = lock_dir(out, &lock_fd, err);
  if (!rc) rc = claim_variants(out, text, SIM_ESCENARIO, err);
  if (!rc) rc = import_runs(d, dirs, n, out, &missing, err);
  if (!rc) rc = sweep_write_results(d, out, &complete, err);
  if (!rc) rc = write_page(out, err);
  if (!rc && !quiet)
    printf("merge: %zu folder%s, %zu of %zu runs complete\n"
           "  results: %s/sweep.csv, page: sweep.html\n", n,
           n == 1 ? "" : "s", complete, sweep_n_runs(d), out);
  if (!rc && missing) rc = sim_errorf(err, SIM_EFAIL, "merge: %zu runs are missing", missing);
  if (lock_fd >= 0) close(lock_fd);
  sweep_design_free(d);
  free(first);
  free(text);
  return rc;
}

int merge_command(int argc, char **argv) {
  static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *out = NULL;
  bool quiet = false;
  optind = 0;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    switch (ch) {
      case 'o': out = optarg; break;
      case 'q': quiet = true; break;
      case 'h': fputs(merge_usage, stdout); return 0;
      default: return misuse("merge", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc) return misuse("merge", "%s", "merge needs at least one sweep folder");
  sim_error err = {0};
  int rc = merge_into(argv + optind, (size_t)(argc - optind), out ? out : argv[optind], quiet,
                      &err);
  if (rc) complain(&err);
  return rc;
}
