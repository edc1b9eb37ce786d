/* pareto.h — the Pareto front of a set of points, both coordinates minimised.
 *
 * A sweep marks the configurations that nothing beats on both cost and p99
 * latency (or cost and error rate): for each of them, every other point is
 * worse on at least one axis. Point q dominates p when q.x <= p.x and
 * q.y <= p.y with at least one strict; the front is every point no other point
 * dominates. Identical points do not dominate each other, so duplicates on the
 * front are all marked. Points with a NaN coordinate (a metric that does not
 * exist for them) are never on the front and dominate nothing. */
#ifndef SIM_PARETO_H
#define SIM_PARETO_H

#include <stdbool.h>
#include <stddef.h>

/* Sets on_front[i] for each of the n points (x[i], y[i]): true when the point
 * is on the front. O(n log n) time (one sort), O(n) scratch memory. All arrays
 * are the caller's. Returns how many points are on the front. */
size_t pareto_front(const double *x, const double *y, size_t n, bool *on_front);

#endif
