/* engine.c — the discrete-event engine (see engine.h): a clock, an
 * index-tracked 4-ary min-heap of events, and the run loop that merges one
 * lazily pulled arrival stream with the heap.
 *
 * Layout, chosen for the hot path (millions of events per second):
 *  - the heap is an array of small entries {at_s, seq, slot} holding the sort
 *    key inline, so sifting touches one contiguous array and never chases a
 *    pointer to compare;
 *  - a slot table holds what an event does (fn, arg), its generation and its
 *    current heap position; free slots form a list threaded through `pos`, so
 *    once the arrays have grown, scheduling allocates nothing;
 *  - a handle is (generation << 32) | (slot + 1). Freeing a slot bumps its
 *    generation, so the handle of a fired or cancelled event no longer matches
 *    and is recognised as stale. A slot whose generation is exhausted is
 *    retired rather than reused, which keeps every handle unique for the
 *    engine's life at the cost of one slot per 2^32 events. */
#include "sim/engine.h"

#include <math.h>

#include "sim/error.h"

#define INITIAL_CAPACITY 64u
#define NO_SLOT UINT32_MAX
#define HEAP_ARITY 4 /* sift_down's tournament is written for 4 */

typedef struct heap_entry {
  double at_s;   /* when the event fires */
  uint64_t seq;  /* schedule order: breaks ties between equal times */
  uint32_t slot; /* index into the slot table */
} heap_entry;

typedef struct event_slot {
  sim_event_fn fn; /* NULL while the slot is free */
  void *arg;
  uint32_t pos; /* heap position while live; next free slot while free */
  uint32_t gen; /* generation, part of the handle */
} event_slot;

struct sim_engine {
  double now_s;
  heap_entry *heap;
  uint32_t heap_len, heap_cap;
  event_slot *slots;
  uint32_t n_slots, slots_cap;
  uint32_t free_slot; /* head of the free list, NO_SLOT when empty */
  uint64_t next_seq;
  uint64_t fired;
  bool top_fired; /* heap[0] is the event being fired: see fire_heap_top */
  /* the arrival stream */
  sim_stream stream;
  bool has_stream;
  bool peeked;          /* next_arrival_s holds the peeked, unfired item */
  bool stream_finished; /* peek returned 0 */
  double next_arrival_s;
  /* run control */
  bool running;
  bool stop_requested;
};

sim_engine *sim_engine_alloc(void) {
  sim_engine *eng = sim_xcalloc(1, sizeof *eng);
  eng->heap_cap = INITIAL_CAPACITY;
  eng->heap = sim_xmalloc(eng->heap_cap * sizeof *eng->heap);
  eng->slots_cap = INITIAL_CAPACITY;
  eng->slots = sim_xmalloc(eng->slots_cap * sizeof *eng->slots);
  eng->free_slot = NO_SLOT;
  eng->stream_finished = true; /* no stream installed: nothing to pull */
  return eng;
}

void sim_engine_free(sim_engine *eng) {
  if (!eng) return;
  free(eng->heap);
  free(eng->slots);
  free(eng);
}

double sim_now(const sim_engine *eng) { return eng->now_s; }

/* --- the heap ------------------------------------------------------------ */

static inline bool entry_before(const heap_entry *a, const heap_entry *b) {
  return a->at_s < b->at_s || (a->at_s == b->at_s && a->seq < b->seq);
}

/* The position of the earlier of the entries at a and b, without a branch:
 * which child of a node is least is a coin toss, and a mispredicted branch
 * there was half the engine's cost. Bitwise operators and a masked select
 * keep the compiler from turning it back into a jump. */
static inline size_t earlier(const heap_entry *heap, size_t a, size_t b) {
  const heap_entry *x = &heap[a], *y = &heap[b];
  size_t b_first = (size_t)((y->at_s < x->at_s) | ((y->at_s == x->at_s) & (y->seq < x->seq)));
  return a ^ ((a ^ b) & -b_first);
}

static inline void heap_put(sim_engine *eng, size_t pos, heap_entry e) {
  eng->heap[pos] = e;
  eng->slots[e.slot].pos = (uint32_t)pos;
}

/* Places e at pos or above it, moving larger ancestors down. */
static void sift_up(sim_engine *eng, size_t pos, heap_entry e) {
  while (pos > 0) {
    size_t parent = (pos - 1) / HEAP_ARITY;
    if (!entry_before(&e, &eng->heap[parent])) break;
    heap_put(eng, pos, eng->heap[parent]);
    pos = parent;
  }
  heap_put(eng, pos, e);
}

/* Places e at pos or below it, moving smaller children up. */
static void sift_down(sim_engine *eng, size_t pos, heap_entry e) {
  size_t n = eng->heap_len;
  for (;;) {
    size_t first = HEAP_ARITY * pos + 1;
    if (first >= n) break;
    size_t child;
    if (first + 3 < n) { /* all four children: a tournament */
      child = earlier(eng->heap, earlier(eng->heap, first, first + 1),
                      earlier(eng->heap, first + 2, first + 3));
    } else {
      child = first;
      for (size_t c = first + 1; c < n; c++) child = earlier(eng->heap, child, c);
    }
    if (!entry_before(&eng->heap[child], &e)) break;
    heap_put(eng, pos, eng->heap[child]);
    pos = child;
  }
  heap_put(eng, pos, e);
}

/* Puts e at pos, whose old entry is gone, wherever the order needs it. */
static void heap_fix(sim_engine *eng, size_t pos, heap_entry e) {
  if (pos > 0 && entry_before(&e, &eng->heap[(pos - 1) / HEAP_ARITY])) sift_up(eng, pos, e);
  else sift_down(eng, pos, e);
}

/* Removes the entry at pos, filling the hole with the last entry. */
static void heap_remove_at(sim_engine *eng, size_t pos) {
  heap_entry last = eng->heap[--eng->heap_len];
  if (pos < eng->heap_len) heap_fix(eng, pos, last);
}

static void heap_push(sim_engine *eng, heap_entry e) {
  if (eng->heap_len == eng->heap_cap) {
    SIM_ASSERT(eng->heap_cap <= UINT32_MAX / 2);
    eng->heap_cap *= 2;
    eng->heap = sim_xrealloc(eng->heap, eng->heap_cap * sizeof *eng->heap);
  }
  sift_up(eng, eng->heap_len++, e);
}

/* --- slots and handles --------------------------------------------------- */

static uint32_t slot_take(sim_engine *eng) {
  uint32_t idx = eng->free_slot;
  if (idx != NO_SLOT) {
    eng->free_slot = eng->slots[idx].pos;
    return idx;
  }
  if (eng->n_slots == eng->slots_cap) {
    /* slot + 1 must fit the handle's low 32 bits and differ from NO_SLOT */
    SIM_ASSERT(eng->slots_cap <= (UINT32_MAX - 1) / 2);
    eng->slots_cap *= 2;
    eng->slots = sim_xrealloc(eng->slots, eng->slots_cap * sizeof *eng->slots);
  }
  idx = eng->n_slots++;
  eng->slots[idx].gen = 0;
  return idx;
}

/* Frees a slot: its handle becomes stale. */
static void slot_release(sim_engine *eng, uint32_t idx) {
  event_slot *s = &eng->slots[idx];
  s->fn = NULL;
  s->arg = NULL;
  if (s->gen == UINT32_MAX) return; /* retired: its next handle would repeat one */
  s->gen++;
  s->pos = eng->free_slot;
  eng->free_slot = idx;
}

static inline sim_handle handle_of(const sim_engine *eng, uint32_t idx) {
  return ((uint64_t)eng->slots[idx].gen << 32) | (uint64_t)(idx + 1);
}

/* The live slot named by h, or NULL if h is stale or SIM_NO_HANDLE. */
static event_slot *live_slot(const sim_engine *eng, sim_handle h) {
  uint32_t idx1 = (uint32_t)h;
  if (idx1 == 0 || idx1 > eng->n_slots) return NULL;
  event_slot *s = &eng->slots[idx1 - 1];
  if (!s->fn || s->gen != (uint32_t)(h >> 32)) return NULL;
  return s;
}

/* --- scheduling ---------------------------------------------------------- */

sim_handle sim_schedule(sim_engine *eng, double at_s, sim_event_fn fn, void *arg) {
  SIM_ASSERT(fn != NULL);
  SIM_ASSERT(at_s >= eng->now_s); /* also rejects NaN */
  uint32_t idx = slot_take(eng);
  eng->slots[idx].fn = fn;
  eng->slots[idx].arg = arg;
  heap_entry e = {at_s, eng->next_seq++, idx};
  if (eng->top_fired) {
    eng->top_fired = false;
    sift_down(eng, 0, e); /* takes the fired event's place: see fire_heap_top */
  } else {
    heap_push(eng, e);
  }
  return handle_of(eng, idx);
}

sim_handle sim_schedule_in(sim_engine *eng, double delay_s, sim_event_fn fn, void *arg) {
  SIM_ASSERT(delay_s >= 0); /* also rejects NaN */
  return sim_schedule(eng, eng->now_s + delay_s, fn, arg);
}

bool sim_cancel(sim_engine *eng, sim_handle h) {
  event_slot *s = live_slot(eng, h);
  if (!s) return false;
  heap_remove_at(eng, s->pos);
  slot_release(eng, (uint32_t)(s - eng->slots));
  return true;
}

bool sim_reschedule(sim_engine *eng, sim_handle h, double at_s) {
  SIM_ASSERT(at_s >= eng->now_s); /* also rejects NaN */
  event_slot *s = live_slot(eng, h);
  if (!s) return false;
  /* A fresh sequence number: the event now orders after those already at at_s. */
  heap_fix(eng, s->pos, (heap_entry){at_s, eng->next_seq++, (uint32_t)(s - eng->slots)});
  return true;
}

bool sim_pending(const sim_engine *eng, sim_handle h) { return live_slot(eng, h) != NULL; }

uint64_t sim_pending_count(const sim_engine *eng) { return eng->heap_len - eng->top_fired; }

uint64_t sim_fired_count(const sim_engine *eng) { return eng->fired; }

/* --- the stream ---------------------------------------------------------- */

void sim_set_stream(sim_engine *eng, const sim_stream *stream) {
  SIM_ASSERT(!eng->running);
  eng->has_stream = stream != NULL;
  if (stream) eng->stream = *stream;
  eng->peeked = false;
  eng->stream_finished = stream == NULL;
}

bool sim_stream_done(const sim_engine *eng) { return eng->stream_finished; }

/* Makes sure the next stream item, if any, has been peeked. Peeks at most once
 * per item. Returns 0 or the stream's negative status. */
static int stream_prefetch(sim_engine *eng) {
  if (eng->peeked || eng->stream_finished) return 0;
  double at_s;
  int rc = eng->stream.peek(eng->stream.ctx, &at_s);
  if (rc < 0) return rc;
  if (rc == 0) {
    eng->stream_finished = true;
    return 0;
  }
  /* The stream contract (workloads/source.h) is non-decreasing times. */
  SIM_ASSERT(at_s >= eng->now_s);
  eng->next_arrival_s = at_s;
  eng->peeked = true;
  return 0;
}

/* --- the run loop -------------------------------------------------------- */

/* Most events schedule a successor (an instance's next completion, a timer's
 * next tick), so the fired event stays at heap[0] during its call and the
 * callback's first sim_schedule takes its place: one sift down instead of a
 * removal and an insertion. Meanwhile it is still the heap's minimum — every
 * other entry, and every entry scheduled or moved during the call, is later
 * or has a larger sequence number — so no other heap operation reaches it. */
static void fire_heap_top(sim_engine *eng) {
  heap_entry top = eng->heap[0];
  event_slot *s = &eng->slots[top.slot];
  sim_event_fn fn = s->fn;
  void *arg = s->arg;
  /* Released before the call, so the callback may reuse the slot and sees its
   * own handle as no longer pending. */
  slot_release(eng, top.slot);
  eng->now_s = top.at_s;
  eng->fired++;
  eng->top_fired = true;
  fn(eng, arg);
  if (eng->top_fired) {
    eng->top_fired = false;
    heap_remove_at(eng, 0);
  }
}

static void fire_stream_item(sim_engine *eng) {
  eng->now_s = eng->next_arrival_s;
  eng->peeked = false;
  eng->fired++;
  eng->stream.fire(eng, eng->stream.ctx);
}

/* The time of the next item to fire and whether it is a heap event (heap
 * events win ties with the stream). False when nothing is left. */
static bool next_item(const sim_engine *eng, double *at_s, bool *from_heap) {
  bool have_heap = eng->heap_len > 0;
  if (have_heap && (!eng->peeked || eng->heap[0].at_s <= eng->next_arrival_s)) {
    *at_s = eng->heap[0].at_s;
    *from_heap = true;
    return true;
  }
  if (eng->peeked) {
    *at_s = eng->next_arrival_s;
    *from_heap = false;
    return true;
  }
  return false;
}

/* Advances an idle clock to a finite horizon (never backwards). */
static void idle_until(sim_engine *eng, double until_s) {
  if (isfinite(until_s) && until_s > eng->now_s) eng->now_s = until_s;
}

int sim_run(sim_engine *eng, double until_s, bool (*done)(void *), void *done_ctx) {
  SIM_ASSERT(!isnan(until_s));
  SIM_ASSERT(!eng->running); /* sim_run is not re-entrant */
  eng->stop_requested = false;
  eng->running = true;
  int rc = 0;
  for (;;) {
    if ((rc = stream_prefetch(eng)) < 0) break;
    double at_s;
    bool from_heap;
    if (!next_item(eng, &at_s, &from_heap) || at_s > until_s) {
      idle_until(eng, until_s);
      break;
    }
    if (from_heap) fire_heap_top(eng);
    else fire_stream_item(eng);
    if (eng->stop_requested || (done && done(done_ctx))) break;
  }
  eng->running = false;
  return rc;
}

void sim_stop(sim_engine *eng) { eng->stop_requested = true; }
