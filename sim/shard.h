/* shard.h — which part of a sweep this process runs.
 *
 * A sweep of n variants split into N shards gives variant i (0-based, in the
 * sweep's order) to shard i mod N, so every variant lands in exactly one shard
 * whatever N is, the shards differ in size by at most one, and a shard's set
 * depends only on (i, N): every machine computes the same split with no
 * coordination. Shards are numbered from 0, like the array indices of every
 * batch system below.
 *
 * Where the shard comes from, first match wins:
 *   1. `--shard I/N` (0 <= I < N).
 *   2. Slurm job arrays: SLURM_ARRAY_TASK_ID, with the count from
 *      SLURM_ARRAY_TASK_COUNT, else from SLURM_ARRAY_TASK_MAX; the index is
 *      (ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP (MIN 0 and STEP 1
 *      when unset), so `--array=1-8` and `--array=0-14:2` both work. The array
 *      must be a range (A-B or A-B:S), not a list of ids.
 *      https://slurm.schedmd.com/job_array.html
 *   3. Kubernetes indexed Jobs: JOB_COMPLETION_INDEX. Kubernetes does not pass
 *      the Job's completions to the pod, so the count comes from
 *      `--shard-count N` or the variable SCALESIM_SHARD_COUNT (set it to
 *      .spec.completions in the pod template).
 *      https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
 *   4. AWS Batch array jobs: AWS_BATCH_JOB_ARRAY_INDEX and
 *      AWS_BATCH_JOB_ARRAY_SIZE (if the size is missing, --shard-count or
 *      SCALESIM_SHARD_COUNT as for Kubernetes).
 *      https://docs.aws.amazon.com/batch/latest/userguide/job_env_vars.html
 *   5. Cloud Run jobs: CLOUD_RUN_TASK_INDEX and CLOUD_RUN_TASK_COUNT.
 *      https://cloud.google.com/run/docs/container-contract (jobs: environment
 *      variables)
 *   6. Otherwise the whole sweep: shard 0 of 1.
 * `--shard 0/1` runs the whole sweep even inside an array job. */
#ifndef SIM_SHARD_H
#define SIM_SHARD_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

/* Shards a sweep may be split into at most. */
#define SHARD_MAX_COUNT 1000000ul

typedef struct shard_spec {
  unsigned long index; /* 0-based, < count */
  unsigned long count; /* >= 1 */
  const char *source;  /* where it came from: "--shard", "SLURM_ARRAY_TASK_ID", ...,
                          or "" for the default 0/1; static text */
} shard_spec;

/* Looks up an environment variable (getenv, or a table in tests). */
typedef char *(*shard_getenv_fn)(const char *name);

/* Parses "I/N" (decimal, 0 <= I < N <= SHARD_MAX_COUNT) into out. Returns 0,
 * or SIM_EUSAGE with err naming the text and what is wrong. */
int shard_parse(const char *text, shard_spec *out, sim_error *err);

/* Decides the shard by the rules above: shard_flag is the text of --shard
 * (NULL if absent), count_flag the text of --shard-count (NULL if absent),
 * env the environment. Returns 0 with out set, or SIM_EUSAGE with err naming
 * the option or variable at fault (a malformed or out-of-range value, an
 * index without a count, --shard-count that disagrees with the batch
 * system's count or is given with --shard). */
int shard_resolve(const char *shard_flag, const char *count_flag, shard_getenv_fn env,
                  shard_spec *out, sim_error *err);

/* True when variant i belongs to shard s (i mod count == index). */
bool shard_owns(const shard_spec *s, size_t i);

#endif
