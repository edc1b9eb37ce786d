/* scenario.h — a scenario file (DESIGN.md §6) loaded into plain structs.
 *
 * The loader parses YAML with libfyaml, applies `--set key.path=value`
 * overrides to the document, then reads it through the schemas of cfg.h: the
 * scenario's own keys here, the workload's from workloads/, each platform's from
 * its type. Every error names file:line:col, the key path and what was expected. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "models/platform.h"
#include "sim/cfg.h"
#include "sim/limits.h"
#include "workloads/workload.h"

typedef struct scenario_platform {
  char *name;                 /* unique within the scenario */
  const platform_type *type;  /* from `kind` */
  void *cfg;                  /* type->schema->size bytes */
} scenario_platform;

typedef struct scenario_output {
  char *dir;           /* output folder */
  double resolution_s; /* time-series interval */
} scenario_output;

/* Service level objectives the report measures recovery against (`slo:`). */
typedef struct scenario_slo {
  double latency_p99_s; /* p99 latency per interval at most this; 0 = none */
} scenario_slo;

typedef struct scenario {
  char *name;
  uint64_t seed;
  double duration_s;   /* horizon of arrivals; 0 = the workload's own end */
  double drain_s;      /* after the horizon, run at most this long for in-flight requests */
  wl_config workload;
  scenario_output output;
  sim_limits limits;   /* resource budgets (`limits:`); 0: none */
  scenario_platform *platforms;
  size_t n_platforms;
  char *source;        /* the file name or "<demo>" */
  cfg_ctx *ctx;        /* keeps which values were defaulted */
  cfg_list faults;     /* fault_cfg items (models/faults.h), in scenario order */
  scenario_slo slo;
  /* `start_time`: the calendar time of t = 0, ISO 8601 with its zone, and the
   * same as Unix epoch seconds; NULL and 0 when not given (a trace's own first
   * timestamp serves then, when it has one). */
  char *start_time;
  double start_epoch_s;
} scenario;

/* One `--set key.path=value` override. */
typedef struct scenario_override {
  const char *text; /* "key.path=value" as given */
} scenario_override;

/* The schema of `slo:` (for the report's settings). */
extern const cfg_schema scenario_slo_schema;

/* Loads a scenario from a file, or from text (name used in messages), applying
 * overrides in order. Relative file paths in a scenario file (traces, imports)
 * are resolved against the file's own folder; in text, against the working
 * directory, except for the built-in demo (name "<demo>"), whose paths are
 * resolved against the data folder the binary was built for. On error returns SIM_ESCENARIO (or SIM_EINPUT when the
 * file cannot be read) with err set; *out is NULL. */
int scenario_load_file(const char *path, const scenario_override *ov, size_t n_ov,
                       scenario **out, sim_error *err);
int scenario_load_text(const char *name, const char *text, size_t len,
                       const scenario_override *ov, size_t n_ov, scenario **out,
                       sim_error *err);
void scenario_free(scenario *sc);

/* Writes the reference of every scenario key in Markdown to f: the scenario's
 * own, the workload's, and each known platform kind's (`scalesim keys`). */
void scenario_write_reference(FILE *f);

/* The built-in demo scenario's YAML text (docs/examples/demo.yaml). */
extern const char scenario_demo_yaml[];

#endif
