/* limits.c — the scenario's resource budgets, checked from time to time during
 * a run (see limits.h). */
#include "sim/limits.h"

#include <math.h>
#include <stddef.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/units.h"

static const cfg_field limits_fields[] = {
    {.key = "memory", .type = CFG_SIZE, .offset = offsetof(sim_limits, memory_mib), .def = "0",
     .doc = "stop the run when the process's peak resident memory exceeds this "
            "(e.g. 8GiB); 0: no limit"},
    {.key = "wall_time", .type = CFG_DURATION, .offset = offsetof(sim_limits, wall_time_s),
     .def = "0", .doc = "stop the run when it has taken this long in real time (e.g. 1h); "
                        "0: no limit"},
    {.key = "requests", .type = CFG_NUMBER, .offset = offsetof(sim_limits, requests),
     .def = "1e11", .min = 0, .max = INFINITY,
     .doc = "most requests one platform may be fed: a generator expected to exceed it is an "
            "error at validation, a trace that does stops the run; 0: no limit"},
    {.key = "timeseries_rows", .type = CFG_NUMBER,
     .offset = offsetof(sim_limits, timeseries_rows), .def = "1e7", .min = 0, .max = INFINITY,
     .doc = "most rows of one platform's timeseries.csv (duration / output.resolution; "
            "about 100 bytes each on disk); more is an error at validation; 0: no limit"},
    {0}};

const cfg_schema sim_limits_schema = {
    .name = "limits", .size = sizeof(sim_limits), .fields = limits_fields};

static double monotonic_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void sim_limits_start(sim_limits *l) { l->started_s = monotonic_s(); }

double sim_limits_elapsed_s(const sim_limits *l) { return monotonic_s() - l->started_s; }

double sim_limits_peak_rss_mib(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return ru.ru_maxrss / 1024.0; /* Linux reports KiB (getrusage(2)) */
}

int sim_limits_check(const sim_limits *l, uint64_t requests, sim_error *err) {
  if (!l) return SIM_OK;
  char used[32], budget[32];
  if (l->requests > 0 && (double)requests > l->requests)
    return sim_errorf(err, SIM_EFAIL,
                      "limits.requests: the run was fed %llu requests, over its budget of %.6g",
                      (unsigned long long)requests, l->requests);
  if (l->wall_time_s > 0) {
    double elapsed = sim_limits_elapsed_s(l);
    /* Whole seconds read best; short budgets (tests) need milliseconds. */
    double shown = elapsed >= 10 ? round(elapsed) : round(elapsed * 1e3) / 1e3;
    if (elapsed > l->wall_time_s)
      return sim_errorf(err, SIM_EFAIL,
                        "limits.wall_time: the run took %s, over its budget of %s",
                        sim_format_duration(shown, used, sizeof used),
                        sim_format_duration(l->wall_time_s, budget, sizeof budget));
  }
  if (l->memory_mib > 0) {
    double peak = sim_limits_peak_rss_mib();
    if (peak > l->memory_mib)
      return sim_errorf(err, SIM_EFAIL,
                        "limits.memory: the run used %.6g MiB of memory, over its budget of "
                        "%.6g MiB",
                        round(peak), l->memory_mib);
  }
  return SIM_OK;
}
