/* sweep.h — batch experiments: the design of a sweep, its runs, and its result
 * table (`scalesim sweep`, `scalesim merge`; docs/experiments.md).
 *
 * Terms. A *variant* is one point of the design: a set of `key.path=value`
 * overrides, applied to the scenario after the sweep's own `--set`s. A *run*
 * is one replication of a variant: replication r runs with the seed
 * sim_rng_replication_seed(seed, r), where seed is the variant's scenario seed,
 * so replication 0 is the plain run of the variant. Ids are `v0007` for a
 * variant and `v0007-r02` for a run, zero-padded to at least 4 and 2 digits
 * (more when the design is larger), so that ids sort as text in design order.
 *
 * The design (sweep.c). `--grid key=v1,v2,...`, repeated, gives the cartesian
 * product of the grids' values; the first grid varies slowest, the last
 * fastest (like nested loops written in the order of the flags). A grid file
 * gives explicit rows instead, for designs that are not a product:
 *
 *   - platforms[0].instance.vcpu: 1
 *     platforms[0].instances: 20
 *   - {platforms.0.instance.vcpu: 2, "platforms[0].instances": 10}
 *
 * (YAML's flow style forbids brackets in plain keys: quote them there, or use
 * the dotted form `platforms.0`, or a platform's name.) With both, every file
 * row is combined with every grid combination, the file rows varying slowest.
 * Values are YAML, as in `--set`; a grid value may itself hold commas inside
 * brackets, braces or quotes (`k={a: 1, b: 2},{a: 3}`).
 *
 * The output folder DIR:
 *   variants.csv   the design, one row per run: run, variant, replication,
 *                  run_seed, then one column per swept key (empty: the variant
 *                  leaves that key alone)
 *   runs/<run>/    that run's outputs (summary.json, summary.csv,
 *                  <platform>/timeseries.csv, ...). A run is written into
 *                  runs/<run>.tmp/ and renamed to runs/<run>/ only when it
 *                  succeeded, so a run is complete exactly when
 *                  runs/<run>/summary.json exists; a resumed sweep skips it.
 *   sweep.csv      the results (sweep_results.c), a function of variants.csv
 *                  and the complete runs' summary.json files only, so that a
 *                  merge of shard folders writes the same bytes as one
 *                  unsharded sweep.
 *   failed.csv     the runs that failed in the last invocation (sweep_cli.c):
 *                  run, exit_status, signal, message (its stderr's tail)
 *   .lock          held (flock) while a sweep or merge writes DIR, so that two
 *                  never write one folder at once */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/error.h"
#include "sim/scenario.h"

/* Runs (variants × replications) a sweep may have at most. */
#define SWEEP_MAX_RUNS 10000000ul

/* --- the design (sweep.c) --------------------------------------------------- */

/* What the command line asked for: grids and at most one grid file. */
typedef struct sweep_spec sweep_spec;

sweep_spec *sweep_spec_alloc(void);
void sweep_spec_free(sweep_spec *s); /* NULL is a no-op */

/* Adds a grid "key.path=v1,v2,..." (as given to --grid). Returns 0, or
 * SIM_EUSAGE with err quoting the argument (no '=', an empty key or value, a
 * key already swept, unbalanced brackets or quotes). */
int sweep_spec_add_grid(sweep_spec *s, const char *arg, sim_error *err);

/* Reads a grid file: a YAML list of mappings from key path to value. Returns
 * 0; SIM_EINPUT when it cannot be read; SIM_ESCENARIO with file:line:col for
 * a malformed one (not a list of mappings, an empty list, a second file). */
int sweep_spec_add_file(sweep_spec *s, const char *path, sim_error *err);

/* A design: its variants, each a setting (or none) per swept key, and the
 * seed of every run. Plain data; free with sweep_design_free. */
typedef struct sweep_design {
  size_t n_keys;
  char **keys;             /* the swept key paths, in column order */
  size_t n_variants;       /* >= 1 */
  unsigned replications;   /* >= 1 */
  const char **settings;   /* [v * n_keys + k]: "key=value", or NULL when variant v
                              leaves key k alone; the strings live in `owned` */
  uint64_t *seeds;         /* [v * replications + r]: the run's seed (sweep_validate
                              or variants.csv fills them) */
  char **owned;            /* the strings settings point to */
  size_t n_owned, cap_owned;
} sweep_design;

/* Expands spec into the design of its variants, each run `replications`
 * times. Returns 0, or SIM_EUSAGE with err set (a key both in the grid file
 * and a --grid, more than SWEEP_MAX_RUNS runs, no replications). */
int sweep_expand(const sweep_spec *spec, unsigned replications, sweep_design **out,
                 sim_error *err);

void sweep_design_free(sweep_design *d); /* NULL is a no-op */

/* Variants × replications. */
size_t sweep_n_runs(const sweep_design *d);

/* The value variant v gives key k (the text after '=' of its setting), or NULL. */
const char *sweep_value(const sweep_design *d, size_t v, size_t k);

/* Writes variant v's overrides into out (room for d->n_keys; the texts are
 * borrowed from d) and returns how many there are. */
size_t sweep_overrides(const sweep_design *d, size_t v, scenario_override *out);

/* Ids, written into buf (SWEEP_ID_LEN bytes) and returned. Run index
 * run = v * replications + r. */
enum { SWEEP_ID_LEN = 48 };
char *sweep_variant_id(const sweep_design *d, size_t v, char *buf);
char *sweep_run_id(const sweep_design *d, size_t run, char *buf);

/* The scenario every run of a sweep starts from. */
typedef struct sweep_scenario {
  const char *name;               /* the file name in messages, or "<demo>" */
  const char *text;               /* its YAML text */
  size_t len;
  const scenario_override *base;  /* the sweep's own --set, applied before a variant's */
  size_t n_base;
} sweep_scenario;

/* Loads the scenario once per variant, before anything runs, so that a bad
 * key path or value stops the sweep at once, and fills d->seeds. Returns 0, or
 * the first failing variant's status (SIM_ESCENARIO, or SIM_EINPUT for an
 * unreadable file) with err "variant v0003: <the loader's message>". */
int sweep_validate(sweep_design *d, const sweep_scenario *sc, sim_error *err);

/* Loads variant v's scenario with the seed of run `run` (which must be one of
 * v's). The caller owns *out (scenario_free). Returns a scenario_load status. */
int sweep_load_run(const sweep_design *d, size_t run, const sweep_scenario *sc,
                   scenario **out, sim_error *err);

/* The text of variants.csv for d (malloc'd, NUL-terminated). */
char *sweep_variants_csv(const sweep_design *d);

/* Reads a variants.csv back into a design equal to the one that wrote it.
 * Returns 0; SIM_EINPUT with path:line when it cannot be read or is not a
 * variants.csv this version wrote. */
int sweep_read_variants(const char *path, sweep_design **out, sim_error *err);

/* --- small helpers shared by the sweep files (sweep.c) ---------------------- */

/* Writes one CSV field: as it is, or quoted (libcsv) when it holds a comma,
 * quote, line break or leading/trailing space. NULL is an empty field. */
void sweep_csv_put(FILE *f, const char *text);

/* "a/b" in a malloc'd string. */
char *sweep_path(const char *dir, const char *name);

/* --- runs on disk (sweep_runs.c) --------------------------------------------- */

/* True when DIR/runs/<run_id>/summary.json exists: the run is complete. */
bool sweep_run_complete(const char *dir, const char *run_id);

/* Runs run `run` of d into DIR/runs/<id>/ (through DIR/runs/<id>.tmp/, see
 * above): meant to be called in a worker process. Leftovers of an earlier
 * attempt are removed first; a failed run leaves nothing. Returns 0 or the
 * run's status with err set. */
int sweep_run_one(const sweep_design *d, size_t run, const sweep_scenario *sc, const char *dir,
                  sim_error *err);

/* Removes the file or folder tree at path (`rm -rf`, never following symbolic
 * links); a missing path is fine. Returns 0 or SIM_EFAIL with err set. */
int sweep_remove_tree(const char *path, sim_error *err);

/* Makes from_dir/runs/<run_id>/ appear in to_dir/runs/<run_id>/ (hard links,
 * or copies across file systems), atomically through a .tmp folder. Returns 0
 * or SIM_EFAIL with err set. */
int sweep_import_run(const char *from_dir, const char *to_dir, const char *run_id,
                     sim_error *err);

/* --- the result table (sweep_results.c) --------------------------------------- */

/* Writes DIR/sweep.csv (atomically) from d and the complete runs under
 * DIR/runs/, in design order, one row per variant × platform for every variant
 * with at least one complete run:
 *
 *   variant, <one column per swept key>, platform, kind, then
 *   - one replication: every metric of summary.json as it is written there;
 *   - replications > 1: `replications` (how many are complete), then for each
 *     metric <metric>_mean and <metric>_ci95, the half-width of the 95%
 *     confidence interval of the mean from Student's t distribution
 *     (t_{0.975, n-1} s / sqrt(n), gsl_cdf_tdist_Pinv), each over the
 *     replications where the metric exists (empty below two);
 *   then pareto_cost_p99 and pareto_cost_errors: 1 when the row is on the
 *   Pareto front of (cost_usd, latency_p99_s), resp. (cost_usd, error_rate),
 *   among all rows (means with replications), else 0.
 *
 * Sets *n_complete to the complete runs found. Returns 0; SIM_EINPUT when a
 * summary.json is malformed; SIM_EFAIL when sweep.csv cannot be written. */
int sweep_write_results(const sweep_design *d, const char *dir, size_t *n_complete,
                        sim_error *err);

/* --- the commands (sweep_cli.c) ------------------------------------------------ */

/* `scalesim sweep [SCENARIO] [OPTIONS]` and `scalesim merge [-o OUT] DIR...`;
 * argv[0] is the command's name. They print their own messages and return the
 * process exit status: 0 ok, 1 some run failed or is missing (or outputs could
 * not be written), 2 misuse, 3 invalid scenario or grid (merge: folders that are
 * not shards of one sweep), 4 unreadable or malformed input. `--help` prints
 * the usage on stdout and returns 0. */
int sweep_command(int argc, char **argv);
int merge_command(int argc, char **argv);

#endif
