/* alb.c — ALB target health state machine, slow-start weight and the set of
 * targets in slow start (spec §9.3, §9.4; see alb.h). */
#include "models/ecs/alb.h"

#include <math.h>
#include <stdlib.h>

#include "sim/error.h"

void ecs_health_init(ecs_target_health *h) {
  *h = (ecs_target_health){.state = ECS_HEALTH_INITIAL};
}

ecs_health ecs_health_record(const ecs_health_cfg *cfg, ecs_target_health *h, bool passed) {
  if (passed) {
    h->passes++;
    h->failures = 0;
  } else {
    h->failures++;
    h->passes = 0;
  }
  switch (h->state) {
  case ECS_HEALTH_INITIAL:
    /* ALB-HC: "After your target is registered, it must pass one health check
     * to be considered healthy"; failures count towards unhealthy as usual. */
    if (h->passes >= cfg->initial_threshold) h->state = ECS_HEALTH_HEALTHY;
    else if (h->failures >= cfg->unhealthy_threshold) h->state = ECS_HEALTH_UNHEALTHY;
    break;
  case ECS_HEALTH_HEALTHY:
    if (h->failures >= cfg->unhealthy_threshold) h->state = ECS_HEALTH_UNHEALTHY;
    break;
  case ECS_HEALTH_UNHEALTHY:
    if (h->passes >= cfg->healthy_threshold) h->state = ECS_HEALTH_HEALTHY;
    break;
  }
  return h->state;
}

double ecs_slow_start_weight(double now_s, double healthy_since_s, double duration_s) {
  if (duration_s <= 0) return 1;
  double w = (now_s - healthy_since_s) / duration_s;
  return w < 0 ? 0 : w > 1 ? 1 : w;
}

/* The Fenwick tree is 1-based over `cap` slots (a power of two, for the
 * descent); node i covers slots (i - lowbit(i), i]. Times are kept relative
 * to `origin_s` (the first `since` added) in long double, so that
 * count * now - sum(since) keeps the small weights of targets just added. */
struct ecs_slow_set {
  double duration_s;
  double origin_s;
  int cap, size;
  double *count;        /* per node: targets */
  long double *sum;     /* per node: sum of their since - origin */
  void **item;          /* per slot (0-based); NULL = free */
  long double *since;   /* per slot: since - origin */
  int *free_slots;      /* stack of free slots */
  int n_free;
};

ecs_slow_set *ecs_slow_set_alloc(double duration_s) {
  SIM_ASSERT(duration_s > 0);
  ecs_slow_set *set = sim_xcalloc(1, sizeof *set);
  set->duration_s = duration_s;
  set->origin_s = NAN;
  return set;
}

void ecs_slow_set_free(ecs_slow_set *set) {
  if (!set) return;
  free(set->count);
  free(set->sum);
  free(set->item);
  free(set->since);
  free(set->free_slots);
  free(set);
}

static void node_add(ecs_slow_set *set, int slot, double count, long double since) {
  for (int i = slot + 1; i <= set->cap; i += i & -i) {
    set->count[i] += count;
    set->sum[i] += since;
  }
}

/* Doubles the slots (8 at first) and rebuilds the tree from the slots in
 * O(n): amortised O(1) per addition. */
static void grow(ecs_slow_set *set) {
  int old = set->cap, cap = old ? 2 * old : 8;
  set->item = sim_xrealloc(set->item, (size_t)cap * sizeof *set->item);
  set->since = sim_xrealloc(set->since, (size_t)cap * sizeof *set->since);
  set->free_slots = sim_xrealloc(set->free_slots, (size_t)cap * sizeof *set->free_slots);
  free(set->count);
  free(set->sum);
  set->count = sim_xcalloc((size_t)cap + 1, sizeof *set->count);
  set->sum = sim_xcalloc((size_t)cap + 1, sizeof *set->sum);
  for (int i = old; i < cap; i++) set->item[i] = NULL;
  for (int i = cap - 1; i >= old; i--) set->free_slots[set->n_free++] = i;
  set->cap = cap;
  for (int i = 1; i <= cap; i++) {
    if (i <= old && set->item[i - 1]) {
      set->count[i] += 1;
      set->sum[i] += set->since[i - 1];
    }
    int up = i + (i & -i);
    if (up <= cap) {
      set->count[up] += set->count[i];
      set->sum[up] += set->sum[i];
    }
  }
}

int ecs_slow_set_add(ecs_slow_set *set, void *item, double since_s) {
  SIM_ASSERT(item);
  if (isnan(set->origin_s)) set->origin_s = since_s;
  if (set->n_free == 0) grow(set);
  int slot = set->free_slots[--set->n_free];
  long double since = (long double)since_s - set->origin_s;
  set->item[slot] = item;
  set->since[slot] = since;
  node_add(set, slot, 1, since);
  set->size++;
  return slot;
}

void ecs_slow_set_remove(ecs_slow_set *set, int slot) {
  SIM_ASSERT(slot >= 0 && slot < set->cap && set->item[slot]);
  node_add(set, slot, -1, -set->since[slot]);
  set->item[slot] = NULL;
  set->free_slots[set->n_free++] = slot;
  set->size--;
}

int ecs_slow_set_size(const ecs_slow_set *set) { return set->size; }

/* Sum of (now - since) over node i's slots. */
static long double node_age(const ecs_slow_set *set, int i, long double now) {
  return set->count[i] * now - set->sum[i];
}

double ecs_slow_set_weight(const ecs_slow_set *set, double now_s) {
  if (set->size == 0) return 0;
  long double now = (long double)now_s - set->origin_s;
  /* The root nodes of a power-of-two tree: node cap covers every slot. */
  long double age = node_age(set, set->cap, now);
  return age > 0 ? (double)(age / set->duration_s) : 0;
}

void *ecs_slow_set_pick(const ecs_slow_set *set, double now_s, double u) {
  if (set->size == 0) return NULL;
  long double now = (long double)now_s - set->origin_s;
  long double total = node_age(set, set->cap, now);
  bool by_count = !(total > 0);
  long double rem = by_count ? u * set->size : u * total;
  /* Descent: the first slot whose prefix of ages (or counts) exceeds rem. */
  int pos = 0;
  for (int step = set->cap; step > 0; step >>= 1) {
    int next = pos + step;
    if (next > set->cap) continue;
    long double v = by_count ? set->count[next] : node_age(set, next, now);
    if (v <= rem) {
      pos = next;
      rem -= v;
    }
  }
  /* Rounding can only step past the last occupied slot or onto a free one
   * with no weight; fall back to the nearest occupied slot below. */
  for (int slot = pos < set->cap ? pos : set->cap - 1; slot >= 0; slot--)
    if (set->item[slot]) return set->item[slot];
  for (int slot = pos; slot < set->cap; slot++)
    if (set->item[slot]) return set->item[slot];
  SIM_ASSERT(!"a non-empty slow-start set with no item");
  return NULL;
}
