/* pareto.c — the two-objective Pareto front by one sort and one scan (see
 * pareto.h).
 *
 * Sorted by x, then y, a point is on the front exactly when its y is the
 * smallest among the points with its x (nothing with the same x beats it) and
 * strictly below the smallest y of every point with a smaller x (nothing
 * cheaper is as good). The scan walks groups of equal x, keeping the best y
 * seen before the group. */
#include "sim/pareto.h"

#include <math.h>
#include <stdlib.h>

#include "sim/error.h"

typedef struct point {
  double x, y;
  size_t i;
} point;

static int by_x_then_y(const void *a, const void *b) {
  const point *p = a, *q = b;
  if (p->x != q->x) return p->x < q->x ? -1 : 1;
  if (p->y != q->y) return p->y < q->y ? -1 : 1;
  return p->i < q->i ? -1 : p->i > q->i; /* a total order: qsort is not stable */
}

size_t pareto_front(const double *x, const double *y, size_t n, bool *on_front) {
  SIM_ASSERT(n == 0 || (x && y && on_front));
  point *pts = sim_xmalloc((n ? n : 1) * sizeof *pts);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    on_front[i] = false;
    if (!isnan(x[i]) && !isnan(y[i])) pts[m++] = (point){x[i], y[i], i};
  }
  qsort(pts, m, sizeof *pts, by_x_then_y);
  size_t count = 0;
  bool seen = false; /* has a group with a smaller x been scanned? */
  double best_y = 0; /* then: the smallest y among its points */
  for (size_t g = 0; g < m;) {
    double group_min_y = pts[g].y; /* the group is sorted by y */
    size_t end = g;
    for (; end < m && pts[end].x == pts[g].x; end++) {
      bool front = pts[end].y == group_min_y && (!seen || pts[end].y < best_y);
      on_front[pts[end].i] = front;
      count += front;
    }
    if (!seen || group_min_y < best_y) best_y = group_min_y;
    seen = true;
    g = end;
  }
  free(pts);
  return count;
}
