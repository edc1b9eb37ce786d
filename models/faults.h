/* faults.h — faults injected into the simulated system (issue 8): the
 * scenario's `faults:` list, and the scheduler that makes them happen.
 *
 * A fault happens at a fixed time (`at`) or at the times of a Poisson process
 * (`rate`, between `from` and `until`, drawn from the named stream
 * "faults/<index>", so every platform of a scenario meets the same faults at
 * the same times). It is either instantaneous — lose_instances (a fraction or a
 * count of the instances that exist), lose_zone (the instances of one zone,
 * instances being spread over zones round robin by id) — or a window of length
 * `for` — start_failures (instances fail to start), slow_starts (startup time x
 * factor), degraded_dependency (wait_s, and cpu_s with `cpu: true`, of the
 * requests arriving in the window x factor).
 *
 * The scheduler (fault_sched) schedules the begin and end events on a run's
 * engine, calls a hook for each, and logs each one in the decision log (source
 * "fault", event "fault_begin" or "fault_end", status "faults[<index>]",
 * metric the kind, value the instances lost or the factor, reason a sentence),
 * so that faults show in decisions.csv and as markers on the charts. The
 * runner applies degraded_dependency itself; everything else goes to the
 * platform's on_fault (models/platform.h). docs/faults.md describes each kind
 * and what each model does. */
#ifndef MODELS_FAULTS_H
#define MODELS_FAULTS_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/instance.h"
#include "output/recorder.h"
#include "sim/cfg.h"
#include "sim/engine.h"

typedef enum fault_kind {
  FAULT_LOSE_INSTANCES = 0,
  FAULT_LOSE_ZONE,
  FAULT_START_FAILURES,
  FAULT_SLOW_STARTS,
  FAULT_DEGRADED_DEPENDENCY,
  FAULT_KIND_COUNT
} fault_kind;

/* Scenario spellings of fault_kind, NULL-terminated. */
extern const char *const fault_kind_names[];

/* One item of `faults:`. Fields a kind does not use are zero (the schema
 * rejects them). */
typedef struct fault_cfg {
  int kind;               /* fault_kind */
  double at_s;            /* when (fixed time); used when rate_per_s == 0 */
  double rate_per_s;      /* Poisson rate of occurrences; 0 = a fixed time */
  double from_s;          /* rate-driven: occurrences in [from_s, until_s) */
  double until_s;         /* 0 = until the scenario's horizon (or the run's end) */
  double for_s;           /* window length (windowed kinds; > 0) */
  double fraction;        /* lose_instances: in (0, 1], or 0 when count is given */
  int count;              /* lose_instances: >= 1, or 0 when fraction is given */
  int zone, zones;        /* lose_zone: zone 1..zones of zones >= 2 */
  double factor;          /* slow_starts, degraded_dependency: >= 1 */
  bool cpu;               /* degraded_dependency: scale cpu_s too */
  bool replace;           /* lose_*: replace_after was given (fixed only) */
  double replace_after_s; /* lose_*: fixed replaces a lost instance this long after */
} fault_cfg;

/* The schema of one item (sim/scenario.c reads `faults:` as a list of it). */
extern const cfg_schema fault_cfg_schema;

/* True for kinds that last a window (`for`), false for instantaneous ones. */
bool fault_is_window(fault_kind kind);

/* A one-line description of f ("lose_instances fraction 0.33", "slow_starts
 * x3 for 20m", ...) into buf; returns buf. */
char *fault_describe(const fault_cfg *f, char *buf, size_t len);

/* --- what a hook receives -------------------------------------------------- */

typedef struct fault_event {
  size_t index;         /* the fault's position in the scenario's list */
  const fault_cfg *cfg;
  bool begin;           /* true: it starts (or happens, when instantaneous) */
  double end_s;         /* a window's end (on both events); the time itself otherwise */
  gsl_rng *rng;         /* lose_*: the fault's stream for choosing victims (fault_select) */
} fault_event;

/* Called at each begin and end. For lose_instances and lose_zone it returns
 * the number of instances the fault took (>= 0), which goes into the log; for
 * the other kinds 0. Faults are validated when the scenario loads, so a hook
 * has nothing to fail on. */
typedef int (*fault_hook)(void *arg, const fault_event *ev);

/* The instances a lose_* fault takes among the n that exist (live, in the
 * model's own order): lose_instances a uniformly random subset of
 * round(fraction x n) (halves up) or min(count, n) of them, drawn from ev->rng;
 * lose_zone those whose id falls in the zone ((id - 1) mod zones + 1 == zone).
 * Writes them into out (room for n), in the order of live, and returns how
 * many. O(n). */
size_t fault_select(const fault_event *ev, instance *const *live, size_t n, instance **out);

/* --- the open windows, as a model or the runner tracks them ---------------- */

typedef struct fault_windows {
  int open[FAULT_KIND_COUNT];  /* windows of each kind open now */
  double slow_factor;          /* product of the open slow_starts factors; 1 if none */
  double wait_factor;          /* product of the open degraded_dependency factors */
  double cpu_factor;           /* the same, over those with cpu: true */
} fault_windows;

void fault_windows_init(fault_windows *w);
/* Opens or closes the window of ev (instantaneous kinds leave w unchanged). */
void fault_windows_apply(fault_windows *w, const fault_event *ev);

/* --- the scheduler ----------------------------------------------------------- */

typedef struct fault_sched fault_sched;

/* Schedules faults[0..n) on eng (whose clock reads the run's start): each
 * fixed-time fault at its time, each rate-driven one at its first occurrence
 * (the next is drawn when one fires, so memory stays flat). horizon_s bounds
 * rate-driven faults without `until` (0: no bound). seed is the scenario's
 * seed. hook(arg, ev) is called for every begin and end; rec receives the log.
 * faults must outlive the scheduler. Returns the scheduler (owned; free with
 * fault_sched_free, NULL a no-op, which leaves pending events to die with the
 * engine: free it after the run, with the engine). */
fault_sched *fault_sched_alloc(sim_engine *eng, out_recorder *rec, const fault_cfg *faults,
                               size_t n, uint64_t seed, double horizon_s, fault_hook hook,
                               void *arg);
void fault_sched_free(fault_sched *fs);

/* Occurrences (begins) so far, of all faults. */
uint64_t fault_sched_fired(const fault_sched *fs);

#endif
