/* reorder.h — a min-heap of trace records by time, for putting records that
 * are slightly out of order back in order within a bounded window.
 *
 * Records with equal times come out in the order they went in (a sequence
 * number breaks ties), so replays are deterministic. Records that arrive in
 * order cost O(1), late ones O(log n). The storage grows to the largest number
 * of records held at once — bounded by the re-order window times the peak
 * rate — and is kept, so steady state allocates nothing. */
#ifndef WL_REORDER_H
#define WL_REORDER_H

#include <stdbool.h>
#include <stddef.h>

#include "workloads/trace.h"

typedef struct wl_reorder wl_reorder;

wl_reorder *wl_reorder_alloc(void);
/* Frees r; NULL is a no-op. */
void wl_reorder_free(wl_reorder *r);

/* Adds a copy of rec: O(1) when it is not earlier than the last one added,
 * else O(log n). */
void wl_reorder_push(wl_reorder *r, const wl_rec *rec);
/* The earliest record, or NULL when empty (valid until the next push/pop). */
const wl_rec *wl_reorder_peek(const wl_reorder *r);
/* Removes the earliest record into *out; false when empty. O(log n). */
bool wl_reorder_pop(wl_reorder *r, wl_rec *out);
size_t wl_reorder_size(const wl_reorder *r);

#endif
