/* pool.h — runs jobs in worker processes, a few at a time.
 *
 * Each job runs in its own forked process, so a job that fails, aborts or
 * crashes takes nothing else down: its exit status (or the signal that killed
 * it) and the tail of what it wrote on stderr come back to the parent, and the
 * other jobs go on. No threads: the parent waits in poll(2) on the children's
 * stderr pipes and reaps each child when its pipe closes.
 *
 * SIGINT and SIGTERM: when the caller has installed sim/signals.h's handler,
 * the pool stops starting jobs once a signal is pending, passes SIGTERM to the
 * running children and waits for them. A child restores the default action of
 * both signals, so it dies at once and leaves only what it wrote atomically. */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <stddef.h>

#include "sim/error.h"

/* The tail of a job's stderr kept for its outcome, in bytes. */
#define POOL_OUTPUT_MAX 4096

/* How one job ended. */
typedef struct pool_outcome {
  size_t job;         /* its index, 0 <= job < n_jobs */
  int exit_status;    /* the child's exit status (0-255) if it exited, else -1 */
  int signal;         /* the signal that killed it, 0 if it exited */
  const char *output; /* the last POOL_OUTPUT_MAX bytes of its stderr (NUL-terminated,
                         possibly empty); borrowed for the callback's duration */
  double wall_s;      /* wall-clock seconds from fork to reaping */
} pool_outcome;

/* Runs job `job` in the child; the return value (0-255) is its exit status. */
typedef int (*pool_job_fn)(size_t job, void *arg);

/* Called in the parent as each job ends, in the order they end. */
typedef void (*pool_done_fn)(const pool_outcome *o, void *arg);

/* Runs jobs 0..n_jobs-1, in order of their index, at most `workers` (>= 1) at
 * once, calling done (may be NULL) for each. Returns 0 once every job has run,
 * whatever their exit statuses; SIM_EFAIL with err set when a process or pipe
 * cannot be created (the running jobs are waited for first) or when a signal
 * stopped the pool (the jobs not started are not reported). */
int pool_run(size_t n_jobs, unsigned workers, pool_job_fn run, pool_done_fn done, void *arg,
             sim_error *err);

/* The default number of workers: the online CPUs (at least 1). */
unsigned pool_default_workers(void);

#endif
