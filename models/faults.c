/* faults.c — the `faults:` schema, victim selection, open windows and the
 * fault scheduler (see faults.h). */
#include "models/faults.h"

#include <gsl/gsl_randist.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/units.h"

const char *const fault_kind_names[] = {"lose_instances", "lose_zone", "start_failures",
                                        "slow_starts", "degraded_dependency", NULL};

bool fault_is_window(fault_kind kind) {
  return kind == FAULT_START_FAILURES || kind == FAULT_SLOW_STARTS ||
         kind == FAULT_DEGRADED_DEPENDENCY;
}

/* --- the schema ------------------------------------------------------------ */

#define FIELD(m) offsetof(fault_cfg, m)

static int check_fault(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);

static const cfg_field fault_fields[] = {
    {.key = "kind", .type = CFG_ENUM, .offset = FIELD(kind), .flags = CFG_REQUIRED,
     .choices = fault_kind_names, .doc = "what goes wrong (docs/faults.md)"},
    {.key = "at", .type = CFG_DURATION, .offset = FIELD(at_s), .min = 0, .max = INFINITY,
     .doc = "when it happens (or its window begins); exactly one of at and rate"},
    {.key = "rate", .type = CFG_RATE, .offset = FIELD(rate_per_s), .flags = CFG_POSITIVE,
     .doc = "instead of at: occurrences as a Poisson process of this rate (e.g. 2/h), "
            "drawn from the stream faults/<index>"},
    {.key = "from", .type = CFG_DURATION, .offset = FIELD(from_s), .def = "0", .min = 0,
     .max = INFINITY, .doc = "with rate: occurrences from this time"},
    {.key = "until", .type = CFG_DURATION, .offset = FIELD(until_s), .flags = CFG_POSITIVE,
     .doc = "with rate: occurrences before this time; default the scenario's duration"},
    {.key = "for", .type = CFG_DURATION, .offset = FIELD(for_s), .flags = CFG_POSITIVE,
     .doc = "start_failures, slow_starts, degraded_dependency: how long the window lasts"},
    {.key = "fraction", .type = CFG_NUMBER, .offset = FIELD(fraction), .flags = CFG_POSITIVE,
     .min = 0, .max = 1,
     .doc = "lose_instances: this share of the instances that exist, rounded to nearest"},
    {.key = "count", .type = CFG_INT, .offset = FIELD(count), .min = 1,
     .doc = "lose_instances: this many instances (all of them when fewer exist)"},
    {.key = "zone", .type = CFG_INT, .offset = FIELD(zone), .min = 1,
     .doc = "lose_zone: the zone lost, 1..zones"},
    {.key = "zones", .type = CFG_INT, .offset = FIELD(zones), .min = 2,
     .doc = "lose_zone: zones the instances are spread over, round robin by instance id"},
    {.key = "factor", .type = CFG_NUMBER, .offset = FIELD(factor), .min = 1, .max = INFINITY,
     .doc = "slow_starts: startup time x factor; degraded_dependency: service time x factor"},
    {.key = "cpu", .type = CFG_BOOL, .offset = FIELD(cpu), .def = "false",
     .doc = "degraded_dependency: scale cpu_s too, not only wait_s"},
    {.key = "replace_after", .type = CFG_DURATION, .offset = FIELD(replace_after_s), .min = 0,
     .max = INFINITY,
     .doc = "lose_instances, lose_zone on kind fixed: a lost instance is replaced, ready, "
            "this long after; default: never replaced (autoscaling platforms replace by their "
            "own rules)"},
    {.key = NULL}};

const cfg_schema fault_cfg_schema = {.name = "fault",
                                     .size = sizeof(fault_cfg),
                                     .fields = fault_fields,
                                     .check = check_fault};

enum {
  K_LOSE = 1u << FAULT_LOSE_INSTANCES,
  K_ZONE = 1u << FAULT_LOSE_ZONE,
  K_START = 1u << FAULT_START_FAILURES,
  K_SLOW = 1u << FAULT_SLOW_STARTS,
  K_DEP = 1u << FAULT_DEGRADED_DEPENDENCY,
  K_WINDOW = K_START | K_SLOW | K_DEP
};

/* The keys that only some kinds take. */
static const struct {
  const char *key;
  unsigned kinds;
} kind_keys[] = {{"for", K_WINDOW},           {"fraction", K_LOSE},
                 {"count", K_LOSE},           {"zone", K_ZONE},
                 {"zones", K_ZONE},           {"factor", K_SLOW | K_DEP},
                 {"cpu", K_DEP},              {"replace_after", K_LOSE | K_ZONE}};

static struct fy_node *value_of(struct fy_node *node, const char *key) {
  return fy_node_mapping_lookup_value_by_simple_key(node, key, strlen(key));
}

/* "a, b and c": the kinds in the mask. */
static void kinds_text(unsigned mask, char *buf, size_t len) {
  size_t used = 0, n = 0, total = 0;
  for (int k = 0; k < FAULT_KIND_COUNT; k++) total += (mask >> k) & 1u;
  buf[0] = '\0';
  for (int k = 0; k < FAULT_KIND_COUNT && used < len; k++) {
    if (!((mask >> k) & 1u)) continue;
    n++;
    int w = snprintf(buf + used, len - used, "%s%s", n == 1 ? "" : n == total ? " and " : ", ",
                     fault_kind_names[k]);
    used += w > 0 ? (size_t)w : 0;
  }
}

/* A key given for a kind that does not take it is an error, never ignored. */
static int check_kind_keys(cfg_ctx *ctx, struct fy_node *node, const char *path,
                           const fault_cfg *f) {
  char key_path[CFG_PATH_LEN], kinds[256];
  for (size_t i = 0; i < sizeof kind_keys / sizeof *kind_keys; i++) {
    struct fy_node *v = value_of(node, kind_keys[i].key);
    if (!v || (kind_keys[i].kinds >> f->kind) & 1u) continue;
    kinds_text(kind_keys[i].kinds, kinds, sizeof kinds);
    cfg_path_key(key_path, sizeof key_path, path, kind_keys[i].key);
    return cfg_error_at(ctx, v, key_path, "%s takes no '%s' (it applies to %s)",
                        fault_kind_names[f->kind], kind_keys[i].key, kinds);
  }
  return SIM_OK;
}

/* When: exactly one of at and rate; from and until only with rate. */
static int check_when(cfg_ctx *ctx, struct fy_node *node, const char *path, const fault_cfg *f) {
  char key_path[CFG_PATH_LEN];
  bool at = value_of(node, "at"), rate = value_of(node, "rate");
  if (at == rate)
    return cfg_error_at(ctx, node, path,
                        "expected exactly one of 'at' (a time) or 'rate' (Poisson occurrences), "
                        "got %s", at ? "both" : "neither");
  if (!rate) {
    static const char *const rate_only[] = {"from", "until"};
    for (size_t i = 0; i < 2; i++) {
      struct fy_node *v = value_of(node, rate_only[i]);
      if (!v) continue;
      cfg_path_key(key_path, sizeof key_path, path, rate_only[i]);
      return cfg_error_at(ctx, v, key_path, "applies only with 'rate' (use 'at' alone for one "
                          "fault at a fixed time)");
    }
  }
  if (rate && f->until_s > 0 && f->until_s <= f->from_s) {
    char a[32], b[32];
    cfg_path_key(key_path, sizeof key_path, path, "until");
    return cfg_error_at(ctx, value_of(node, "until"), key_path,
                        "expected a time after 'from' (%s), got %s",
                        sim_format_duration(f->from_s, a, sizeof a),
                        sim_format_duration(f->until_s, b, sizeof b));
  }
  return SIM_OK;
}

/* The keys each kind needs. */
static int check_needs(cfg_ctx *ctx, struct fy_node *node, const char *path, fault_cfg *f) {
  const char *kind = fault_kind_names[f->kind];
  char key_path[CFG_PATH_LEN];
  if (fault_is_window((fault_kind)f->kind) && !value_of(node, "for"))
    return cfg_error_at(ctx, node, path, "%s needs 'for' (how long its window lasts)", kind);
  switch ((fault_kind)f->kind) {
  case FAULT_LOSE_INSTANCES: {
    bool fraction = value_of(node, "fraction"), count = value_of(node, "count");
    if (fraction == count)
      return cfg_error_at(ctx, node, path,
                          "lose_instances needs exactly one of 'fraction' or 'count', got %s",
                          fraction ? "both" : "neither");
    break;
  }
  case FAULT_LOSE_ZONE:
    if (!value_of(node, "zone") || !value_of(node, "zones"))
      return cfg_error_at(ctx, node, path, "lose_zone needs 'zone' and 'zones'");
    if (f->zone > f->zones) {
      cfg_path_key(key_path, sizeof key_path, path, "zone");
      return cfg_error_at(ctx, value_of(node, "zone"), key_path,
                          "expected a zone from 1 to %d (zones), got %d", f->zones, f->zone);
    }
    break;
  case FAULT_SLOW_STARTS:
  case FAULT_DEGRADED_DEPENDENCY:
    if (!value_of(node, "factor"))
      return cfg_error_at(ctx, node, path, "%s needs 'factor' (>= 1)", kind);
    break;
  case FAULT_START_FAILURES:
  case FAULT_KIND_COUNT:
    break;
  }
  f->replace = value_of(node, "replace_after") != NULL;
  return SIM_OK;
}

static int check_fault(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  fault_cfg *f = obj;
  int rc = check_kind_keys(ctx, node, path, f);
  if (!rc) rc = check_when(ctx, node, path, f);
  if (!rc) rc = check_needs(ctx, node, path, f);
  return rc;
}

char *fault_describe(const fault_cfg *f, char *buf, size_t len) {
  char d[32], r[32], extra[96] = "";
  const char *kind = fault_kind_names[f->kind];
  if (fault_is_window((fault_kind)f->kind))
    snprintf(extra, sizeof extra, " for %s", sim_format_duration(f->for_s, d, sizeof d));
  switch ((fault_kind)f->kind) {
  case FAULT_LOSE_INSTANCES:
    if (f->count > 0) snprintf(buf, len, "%s count %d", kind, f->count);
    else snprintf(buf, len, "%s fraction %g", kind, f->fraction);
    break;
  case FAULT_LOSE_ZONE: snprintf(buf, len, "%s %d of %d", kind, f->zone, f->zones); break;
  case FAULT_SLOW_STARTS: snprintf(buf, len, "%s x%g%s", kind, f->factor, extra); break;
  case FAULT_DEGRADED_DEPENDENCY:
    snprintf(buf, len, "%s x%g%s (%s)", kind, f->factor, extra,
             f->cpu ? "wait and cpu" : "wait only");
    break;
  default: snprintf(buf, len, "%s%s", kind, extra); break;
  }
  if (f->replace) {
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, ", replaced after %s",
             sim_format_duration(f->replace_after_s, r, sizeof r));
  }
  return buf;
}

/* --- victims --------------------------------------------------------------- */

size_t fault_select(const fault_event *ev, instance *const *live, size_t n, instance **out) {
  const fault_cfg *f = ev->cfg;
  if (f->kind == FAULT_LOSE_ZONE) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      if ((inst_id(live[i]) - 1) % (uint64_t)f->zones + 1 == (uint64_t)f->zone) out[k++] = live[i];
    return k;
  }
  SIM_ASSERT(f->kind == FAULT_LOSE_INSTANCES);
  size_t k = f->count > 0 ? (size_t)f->count : (size_t)floor(f->fraction * (double)n + 0.5);
  if (k > n) k = n;
  if (k == 0) return 0;
  /* gsl_ran_choose keeps the order of live and draws each k-subset equally. */
  gsl_ran_choose(ev->rng, out, k, (void *)live, n, sizeof *live);
  return k;
}

/* --- open windows ------------------------------------------------------------ */

void fault_windows_init(fault_windows *w) {
  memset(w, 0, sizeof *w);
  w->slow_factor = w->wait_factor = w->cpu_factor = 1;
}

/* Multiplies in or divides out a factor; back to exactly 1 when no window of
 * its kind is open, so rounding never accumulates. */
static void scale(double *product, double factor, bool open, int still_open) {
  *product = still_open == 0 ? 1 : open ? *product * factor : *product / factor;
}

void fault_windows_apply(fault_windows *w, const fault_event *ev) {
  const fault_cfg *f = ev->cfg;
  if (!fault_is_window((fault_kind)f->kind)) return;
  int *open = &w->open[f->kind];
  *open += ev->begin ? 1 : -1;
  SIM_ASSERT(*open >= 0);
  if (f->kind == FAULT_SLOW_STARTS) scale(&w->slow_factor, f->factor, ev->begin, *open);
  if (f->kind != FAULT_DEGRADED_DEPENDENCY) return;
  scale(&w->wait_factor, f->factor, ev->begin, *open);
  scale(&w->cpu_factor, f->cpu ? f->factor : 1, ev->begin, *open); /* cpu: true only */
}

/* --- the scheduler ------------------------------------------------------------ */

/* One fault of the list and its streams. */
typedef struct slot {
  fault_sched *fs;
  size_t index;
  const fault_cfg *cfg;
  gsl_rng *times;   /* rate-driven: the Poisson process ("faults/<index>") */
  gsl_rng *victims; /* lose_*: which instances ("faults/<index>/victims"), else NULL */
  double until_s;   /* rate-driven: no occurrence at or after it */
} slot;

struct fault_sched {
  sim_engine *eng;
  out_recorder *rec;
  fault_hook hook;
  void *arg;
  slot *slots;
  size_t n;
  uint64_t fired;
};

/* A time from the run's start as a clock, "2:25:00" or "25:00". */
static char *clock_text(double t_s, char *buf, size_t len) {
  long t = lround(t_s);
  if (t < 3600) snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
  else snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  return buf;
}

static void log_fault(const slot *s, bool begin, int lost) {
  const fault_cfg *f = s->cfg;
  char status[32], what[256], reason[384], end[32];
  double now = sim_now(s->fs->eng);
  fault_describe(f, what, sizeof what);
  snprintf(status, sizeof status, "faults[%zu]", s->index);
  if (!begin)
    snprintf(reason, sizeof reason, "%s: ended", what);
  else if (f->kind == FAULT_LOSE_INSTANCES || f->kind == FAULT_LOSE_ZONE)
    snprintf(reason, sizeof reason, "%s: %d instance%s lost", what, lost, lost == 1 ? "" : "s");
  else
    snprintf(reason, sizeof reason, "%s: ends at %s", what,
             clock_text(now + f->for_s, end, sizeof end));
  double value = NAN;
  if (f->kind == FAULT_LOSE_INSTANCES || f->kind == FAULT_LOSE_ZONE) value = lost;
  else if (f->kind == FAULT_SLOW_STARTS || f->kind == FAULT_DEGRADED_DEPENDENCY) value = f->factor;
  out_decision d = {.source = "fault", .event = begin ? "fault_begin" : "fault_end",
                    .metric = fault_kind_names[f->kind], .value = value,
                    .old_desired = NAN, .new_desired = NAN, .status = status,
                    .reason = reason};
  out_decide(s->fs->rec, now, &d);
}

static void on_end(sim_engine *eng, void *arg) {
  slot *s = arg;
  /* Windows of one fault all last for_s, so they end in the order they
   * began: this event closes the oldest one open. */
  fault_event ev = {.index = s->index, .cfg = s->cfg, .begin = false,
                    .end_s = sim_now(eng), .rng = s->victims};
  s->fs->hook(s->fs->arg, &ev);
  log_fault(s, false, 0);
}

static void on_begin(sim_engine *eng, void *arg);

/* Schedules the next occurrence of a rate-driven fault after `after_s`. */
static void schedule_next(slot *s, double after_s) {
  double next = after_s + gsl_ran_exponential(s->times, 1 / s->cfg->rate_per_s);
  if (next < s->until_s) sim_schedule(s->fs->eng, next, on_begin, s);
}

static void on_begin(sim_engine *eng, void *arg) {
  slot *s = arg;
  const fault_cfg *f = s->cfg;
  double now = sim_now(eng);
  bool window = fault_is_window((fault_kind)f->kind);
  fault_event ev = {.index = s->index, .cfg = f, .begin = true,
                    .end_s = window ? now + f->for_s : now, .rng = s->victims};
  int lost = s->fs->hook(s->fs->arg, &ev);
  SIM_ASSERT(lost >= 0);
  s->fs->fired++;
  log_fault(s, true, lost);
  if (window) sim_schedule(eng, now + f->for_s, on_end, s);
  if (f->rate_per_s > 0) schedule_next(s, now);
}

static gsl_rng *named_stream(uint64_t seed, size_t index, const char *suffix) {
  char name[64];
  snprintf(name, sizeof name, "faults/%zu%s", index, suffix);
  return sim_rng_alloc(seed, name);
}

fault_sched *fault_sched_alloc(sim_engine *eng, out_recorder *rec, const fault_cfg *faults,
                               size_t n, uint64_t seed, double horizon_s, fault_hook hook,
                               void *arg) {
  SIM_ASSERT(hook && (n == 0 || faults));
  fault_sched *fs = sim_xcalloc(1, sizeof *fs);
  *fs = (fault_sched){.eng = eng, .rec = rec, .hook = hook, .arg = arg, .n = n};
  fs->slots = sim_xcalloc(n ? n : 1, sizeof *fs->slots);
  double now = sim_now(eng);
  for (size_t i = 0; i < n; i++) {
    slot *s = &fs->slots[i];
    const fault_cfg *f = &faults[i];
    *s = (slot){.fs = fs, .index = i, .cfg = f};
    if (!fault_is_window((fault_kind)f->kind)) s->victims = named_stream(seed, i, "/victims");
    if (f->rate_per_s > 0) {
      s->times = named_stream(seed, i, "");
      s->until_s = f->until_s > 0 ? f->until_s : horizon_s > 0 ? horizon_s : INFINITY;
      schedule_next(s, fmax(now, f->from_s));
    } else {
      sim_schedule(eng, fmax(now, f->at_s), on_begin, s);
    }
  }
  return fs;
}

void fault_sched_free(fault_sched *fs) {
  if (!fs) return;
  for (size_t i = 0; i < fs->n; i++) {
    if (fs->slots[i].times) gsl_rng_free(fs->slots[i].times);
    if (fs->slots[i].victims) gsl_rng_free(fs->slots[i].victims);
  }
  free(fs->slots);
  free(fs);
}

uint64_t fault_sched_fired(const fault_sched *fs) { return fs->fired; }
