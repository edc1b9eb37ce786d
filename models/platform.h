/* platform.h — the interface every platform model implements.
 *
 * A platform type is a const descriptor selected by the scenario's `kind`, in
 * the way of gsl_rng_type. The loader reads the platform's section with the
 * type's schema into a plain config struct; the runner then creates one state
 * per run, feeds it every arrival, and finishes it at the end. A model reports
 * everything through the recorder in its context, never by writing files. */
#ifndef MODELS_PLATFORM_H
#define MODELS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "models/faults.h"
#include "output/recorder.h"
#include "sim/cfg.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "workloads/source.h"

/* What a model gets from the runner; all borrowed for the run's life. */
typedef struct platform_ctx {
  sim_engine *eng;
  out_recorder *rec;
  const char *name; /* the platform's name in the scenario */
  uint64_t seed;    /* scenario seed; name streams "<name>/<purpose>" via sim_rng */
  double end_s;     /* simulated horizon of arrivals */
  /* The calendar time of t = 0, Unix epoch seconds (UTC): the scenario's
   * start_time, else the trace's first timestamp (wl_source origin_epoch_s);
   * 0 when unknown (a generator without start_time, a trace without dates).
   * Simulated time t is the calendar time start_epoch_s + t. */
  double start_epoch_s;
} platform_ctx;

typedef struct platform_type {
  const char *name;         /* the scenario's `kind` */
  const char *summary;      /* one line for --help and docs */
  const cfg_schema *schema; /* the platform's keys (besides name and kind) */
  /* Builds the model; returns NULL with err set on failure. */
  void *(*create)(const void *cfg, const platform_ctx *ctx, sim_error *err);
  /* One request arrives now (sim_now == req->arrival_s); req is borrowed. */
  void (*on_arrival)(void *state, const wl_request *req);
  /* Requests in the platform (queued or in service), for draining. */
  uint64_t (*in_flight)(const void *state);
  /* The run ends now: settle what accrues (billing up to now). */
  void (*finish)(void *state);
  void (*destroy)(void *state);
  /* Optional: the key path (relative to the platform, e.g. "policies[0].target")
   * of the CPU utilisation target the autoscaler tracks, for the report's CPU
   * chart; NULL when it tracks none. */
  const char *(*cpu_target_key)(const void *cfg);
  /* Optional: a fault of the scenario (models/faults.h) begins or ends now.
   * Returns the number of instances a lose_instances or lose_zone fault took
   * (>= 0), else 0. The runner applies degraded_dependency itself and never
   * passes it here. A model without on_fault accepts no other fault. */
  int (*on_fault)(void *state, const fault_event *ev);
  /* Optional, with on_fault: why the model cannot apply fault f under cfg (a
   * short clause, e.g. "fixed instances never start"), or NULL when it can.
   * Asked when the scenario loads, so a fault a model cannot apply is an
   * error then, naming the platform and the fault. Without it every kind
   * on_fault receives is applied. */
  const char *(*fault_check)(const void *cfg, const fault_cfg *f);
  /* Optional: whether cfg needs the calendar time of t = 0 (start_epoch_s):
   * what does, as a noun phrase ("a cron schedule"), with the key path of its
   * setting relative to the platform ("scheduled_actions[0].schedule") written
   * into key (len bytes); NULL when nothing does. Asked when the scenario
   * loads, so that a generator without start_time is an error there. */
  const char *(*needs_calendar)(const void *cfg, char *key, size_t len);
} platform_type;

/* The registry: looks a type up by kind; NULL when unknown. */
const platform_type *platform_find(const char *kind);
/* All known types, NULL-terminated (for hints and docs). */
extern const platform_type *const platform_types[];

#endif
