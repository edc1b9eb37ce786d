/* bench_run.c — runs one scenario file and prints simulated requests per second
 * (requests fed to every platform over the wall time of the runs, and over the
 * CPU time the process used — the speed on one core, whatever else the
 * machine is doing) and the peak resident set size, as one line:
 * `NAME  REQUESTS  WALL_S  M REQ/S  CPU_S  M REQ/S PER CORE  PEAK_RSS_MIB`.
 * Each benchmark is its own process so that peak RSS belongs to it alone.
 * The report (charts and HTML, which read the finished time series back) is
 * not written: this measures the simulation, whose memory must not grow with
 * the length of the run. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/run.h"
#include "sim/scenario.h"

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: bench_run SCENARIO\n");
    return 2;
  }
  sim_error err = {0};
  scenario *sc = NULL;
  int rc = scenario_load_file(argv[1], NULL, 0, &sc, &err);
  if (rc) {
    fprintf(stderr, "bench_run: %s\n", err.msg);
    return rc;
  }
  run_result *res = calloc(sc->n_platforms, sizeof *res);
  double t0 = wall_now();
  rc = run_scenario(sc, &(run_options){.no_report = true}, res, &err);
  double wall = wall_now() - t0;
  if (rc) {
    fprintf(stderr, "bench_run: %s\n", err.msg);
    return rc;
  }
  double requests = 0;
  for (size_t i = 0; i < sc->n_platforms; i++) requests += res[i].totals.counters[OUT_ARRIVALS];
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec * 1e-6;
  printf("%-24s %11.0f req %7.2f s wall %6.2f M req/s %7.2f s cpu %6.2f M req/s/core "
         "%7.1f MiB peak RSS\n",
         sc->name, requests, wall, requests / wall / 1e6, cpu, requests / cpu / 1e6,
         ru.ru_maxrss / 1024.0);
  free(res);
  scenario_free(sc);
  return 0;
}
