/* reorder.c — records back in time order: a FIFO for the records that arrive
 * in order (the common case, O(1)) beside a binary min-heap for the ones that
 * arrive late (O(log n)); the earliest of the two heads comes out first. Both
 * order by (time, arrival sequence). */
#include "workloads/reorder.h"

#include <stdint.h>

typedef struct entry {
  wl_rec rec;
  uint64_t seq;
} entry;

struct wl_reorder {
  entry *ring;             /* in-order records: a circular buffer */
  size_t head, n_ring, ring_cap;
  entry *heap;             /* late records */
  size_t n_heap, heap_cap;
  uint64_t next_seq;
};

wl_reorder *wl_reorder_alloc(void) { return sim_xcalloc(1, sizeof(wl_reorder)); }

void wl_reorder_free(wl_reorder *r) {
  if (!r) return;
  free(r->ring);
  free(r->heap);
  free(r);
}

static bool before(const entry *a, const entry *b) {
  return a->rec.t_s < b->rec.t_s || (a->rec.t_s == b->rec.t_s && a->seq < b->seq);
}

static entry *ring_at(const wl_reorder *r, size_t i) {
  return &r->ring[(r->head + i) % r->ring_cap];
}

static void ring_push(wl_reorder *r, const entry *e) {
  if (r->n_ring == r->ring_cap) {
    size_t cap = r->ring_cap ? 2 * r->ring_cap : 64;
    entry *v = sim_xmalloc(cap * sizeof *v);
    for (size_t i = 0; i < r->n_ring; i++) v[i] = *ring_at(r, i);
    free(r->ring);
    r->ring = v;
    r->ring_cap = cap;
    r->head = 0;
  }
  *ring_at(r, r->n_ring++) = *e;
}

static void heap_push(wl_reorder *r, const entry *e) {
  if (r->n_heap == r->heap_cap) {
    r->heap_cap = r->heap_cap ? 2 * r->heap_cap : 64;
    r->heap = sim_xrealloc(r->heap, r->heap_cap * sizeof *r->heap);
  }
  size_t i = r->n_heap++;
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!before(e, &r->heap[parent])) break;
    r->heap[i] = r->heap[parent];
    i = parent;
  }
  r->heap[i] = *e;
}

static void heap_pop(wl_reorder *r) {
  entry last = r->heap[--r->n_heap];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= r->n_heap) break;
    if (c + 1 < r->n_heap && before(&r->heap[c + 1], &r->heap[c])) c++;
    if (!before(&r->heap[c], &last)) break;
    r->heap[i] = r->heap[c];
    i = c;
  }
  if (r->n_heap) r->heap[i] = last;
}

void wl_reorder_push(wl_reorder *r, const wl_rec *rec) {
  entry e = {*rec, r->next_seq++};
  if (r->n_ring == 0 || rec->t_s >= ring_at(r, r->n_ring - 1)->rec.t_s) ring_push(r, &e);
  else heap_push(r, &e);
}

/* The entry that comes out next, or NULL. */
static const entry *first(const wl_reorder *r) {
  const entry *a = r->n_ring ? ring_at(r, 0) : NULL;
  const entry *b = r->n_heap ? &r->heap[0] : NULL;
  if (!a || !b) return a ? a : b;
  return before(b, a) ? b : a;
}

const wl_rec *wl_reorder_peek(const wl_reorder *r) {
  const entry *e = first(r);
  return e ? &e->rec : NULL;
}

bool wl_reorder_pop(wl_reorder *r, wl_rec *out) {
  const entry *e = first(r);
  if (!e) return false;
  *out = e->rec;
  if (r->n_ring && e == ring_at(r, 0)) {
    r->head = (r->head + 1) % r->ring_cap;
    r->n_ring--;
  } else {
    heap_pop(r);
  }
  return true;
}

size_t wl_reorder_size(const wl_reorder *r) { return r->n_ring + r->n_heap; }
