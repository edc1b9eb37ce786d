/* shard.c — the shard of a sweep from --shard or a batch system's array-job
 * environment (see shard.h for the rules and their sources). */
#include "sim/shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Parses a whole decimal number in [min, max]; `what` names it in messages
 * ("--shard-count", "SLURM_ARRAY_TASK_ID"). */
static int parse_number(const char *what, const char *text, unsigned long min,
                        unsigned long max, unsigned long *out, sim_error *err) {
  size_t digits = strspn(text, "0123456789");
  if (digits == 0 || text[digits] != '\0')
    return sim_errorf(err, SIM_EUSAGE, "%s: expected a whole number, got '%s'", what, text);
  errno = 0;
  unsigned long v = strtoul(text, NULL, 10);
  if (errno == ERANGE || v < min || v > max)
    return sim_errorf(err, SIM_EUSAGE, "%s: %s is out of range [%lu, %lu]", what, text, min,
                      max);
  *out = v;
  return SIM_OK;
}

int shard_parse(const char *text, shard_spec *out, sim_error *err) {
  const char *slash = strchr(text, '/');
  if (!slash)
    return sim_errorf(err, SIM_EUSAGE,
                      "--shard %s: expected I/N, e.g. 0/4 (shards are numbered from 0)", text);
  char index_text[32];
  size_t len = (size_t)(slash - text);
  if (len >= sizeof index_text) len = sizeof index_text - 1; /* then not all digits */
  memcpy(index_text, text, len);
  index_text[len] = '\0';
  unsigned long index, count;
  int rc = parse_number("--shard (its count N)", slash + 1, 1, SHARD_MAX_COUNT, &count, err);
  if (!rc)
    rc = parse_number("--shard (its index I)", index_text, 0, SHARD_MAX_COUNT, &index, err);
  if (rc) return sim_error_prefix(err, "--shard %s: ", text);
  if (index >= count)
    return sim_errorf(err, SIM_EUSAGE,
                      "--shard %s: the index must be below the count (shards are numbered "
                      "from 0: 0/%lu ... %lu/%lu)", text, count, count - 1, count);
  *out = (shard_spec){index, count, "--shard"};
  return SIM_OK;
}

/* The count that goes with an index when the batch system gives none (or to
 * check the one it gives): --shard-count, else SCALESIM_SHARD_COUNT; 0 if
 * neither. `flag_given` tells whether it came from the command line. */
typedef struct fallback_count {
  unsigned long count;
  bool flag_given;
} fallback_count;

/* Sets out from an index and count read from the environment, checking them
 * against each other and against an explicit --shard-count. */
static int set_from_env(const char *index_var, unsigned long index, unsigned long count,
                        const char *count_var, const fallback_count *fb, shard_spec *out,
                        sim_error *err) {
  if (fb->flag_given && fb->count != count)
    return sim_errorf(err, SIM_EUSAGE, "--shard-count %lu disagrees with %s=%lu", fb->count,
                      count_var, count);
  if (index >= count)
    return sim_errorf(err, SIM_EUSAGE, "%s: index %lu is not below the shard count %lu (%s)",
                      index_var, index, count, count_var);
  *out = (shard_spec){index, count, index_var};
  return SIM_OK;
}

/* Slurm job arrays (https://slurm.schedmd.com/job_array.html): returns 0 with
 * out->count 0 when SLURM_ARRAY_TASK_ID is not set. */
static int from_slurm(shard_getenv_fn env, const fallback_count *fb, shard_spec *out,
                      sim_error *err) {
  const char *id_text = env("SLURM_ARRAY_TASK_ID");
  if (!id_text) return SIM_OK;
  const char *min_text = env("SLURM_ARRAY_TASK_MIN"), *max_text = env("SLURM_ARRAY_TASK_MAX");
  const char *step_text = env("SLURM_ARRAY_TASK_STEP");
  const char *count_text = env("SLURM_ARRAY_TASK_COUNT");
  unsigned long id, min = 0, max = 0, step = 1, count = 0;
  const unsigned long big = 1ul << 31; /* Slurm's ids are 32-bit */
  int rc = parse_number("SLURM_ARRAY_TASK_ID", id_text, 0, big, &id, err);
  if (!rc && min_text) rc = parse_number("SLURM_ARRAY_TASK_MIN", min_text, 0, big, &min, err);
  if (!rc && step_text) rc = parse_number("SLURM_ARRAY_TASK_STEP", step_text, 1, big, &step, err);
  if (!rc && count_text)
    rc = parse_number("SLURM_ARRAY_TASK_COUNT", count_text, 1, SHARD_MAX_COUNT, &count, err);
  if (!rc && !count_text && max_text)
    rc = parse_number("SLURM_ARRAY_TASK_MAX", max_text, min, big, &max, err);
  if (rc) return rc;
  if (!count_text && !max_text)
    return sim_errorf(err, SIM_EUSAGE,
                      "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor "
                      "SLURM_ARRAY_TASK_MAX is; pass --shard I/N");
  if (!count_text) count = (max - min) / step + 1;
  if (id < min || (id - min) % step != 0)
    return sim_errorf(err, SIM_EUSAGE,
                      "SLURM_ARRAY_TASK_ID=%lu is not in the range %lu-...:%lu; sweeps need an "
                      "array that is a range (--array=A-B or A-B:S)", id, min, step);
  const char *count_var = count_text ? "SLURM_ARRAY_TASK_COUNT" : "SLURM_ARRAY_TASK_MAX";
  return set_from_env("SLURM_ARRAY_TASK_ID", (id - min) / step, count, count_var, fb, out, err);
}

/* A batch system that gives a 0-based index in index_var and, maybe, the count
 * in count_var (NULL: it never does). Returns 0 with out->count 0 when
 * index_var is not set. */
static int from_index(shard_getenv_fn env, const char *index_var, const char *count_var,
                      const fallback_count *fb, shard_spec *out, sim_error *err) {
  const char *index_text = env(index_var);
  if (!index_text) return SIM_OK;
  const char *count_text = count_var ? env(count_var) : NULL;
  unsigned long index = 0, count = 0;
  int rc = parse_number(index_var, index_text, 0, SHARD_MAX_COUNT, &index, err);
  if (rc) return rc;
  if (count_text) {
    if ((rc = parse_number(count_var, count_text, 1, SHARD_MAX_COUNT, &count, err))) return rc;
    return set_from_env(index_var, index, count, count_var, fb, out, err);
  }
  if (fb->count == 0)
    return sim_errorf(err, SIM_EUSAGE,
                      "%s is set but the number of shards is not: pass --shard-count N or set "
                      "SCALESIM_SHARD_COUNT", index_var);
  fallback_count as_given = {fb->count, false}; /* it is the count: nothing to disagree with */
  return set_from_env(index_var, index, fb->count,
                      fb->flag_given ? "--shard-count" : "SCALESIM_SHARD_COUNT", &as_given, out,
                      err);
}

static int read_fallback(const char *count_flag, shard_getenv_fn env, fallback_count *fb,
                         sim_error *err) {
  *fb = (fallback_count){0, count_flag != NULL};
  if (count_flag)
    return parse_number("--shard-count", count_flag, 1, SHARD_MAX_COUNT, &fb->count, err);
  const char *text = env("SCALESIM_SHARD_COUNT");
  if (!text) return SIM_OK;
  return parse_number("SCALESIM_SHARD_COUNT", text, 1, SHARD_MAX_COUNT, &fb->count, err);
}

int shard_resolve(const char *shard_flag, const char *count_flag, shard_getenv_fn env,
                  shard_spec *out, sim_error *err) {
  if (shard_flag && count_flag)
    return sim_errorf(err, SIM_EUSAGE,
                      "--shard-count goes with an index from the environment; --shard I/N "
                      "already gives the count");
  if (shard_flag) return shard_parse(shard_flag, out, err);
  fallback_count fb;
  int rc = read_fallback(count_flag, env, &fb, err);
  if (rc) return rc;
  out->count = 0;
  if ((rc = from_slurm(env, &fb, out, err)) || out->count) return rc;
  if ((rc = from_index(env, "JOB_COMPLETION_INDEX", NULL, &fb, out, err)) || out->count)
    return rc;
  if ((rc = from_index(env, "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE", &fb, out,
                       err)) || out->count)
    return rc;
  if ((rc = from_index(env, "CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT", &fb, out, err)) ||
      out->count)
    return rc;
  if (count_flag)
    return sim_errorf(err, SIM_EUSAGE,
                      "--shard-count needs an index from the environment (JOB_COMPLETION_INDEX "
                      "or AWS_BATCH_JOB_ARRAY_INDEX); use --shard I/N otherwise");
  *out = (shard_spec){0, 1, ""};
  return SIM_OK;
}

bool shard_owns(const shard_spec *s, size_t i) {
  SIM_ASSERT(s->count >= 1 && s->index < s->count);
  return i % s->count == s->index;
}
