/* chart.h — a small chart layer over GNU libplot.
 *
 * libplot draws lines, polygons and text; it has no axes, ticks or legends.
 * This layer adds them once, so every chart of scalesim looks alike:
 *   - axes with nice tick steps (1-2-5 × 10^k; time axes in s, min, h or day
 *     with the unit in the axis title; latency axes in ms or s), a second y axis,
 *     a log-x axis (for CDFs) and a category axis (for bar charts);
 *   - line, step, area and point (scatter) series, a band between two series, horizontal
 *     reference lines (a policy's target), event markers (scale-out ▲,
 *     scale-in ▽, other events |) with labels where they fit;
 *   - a legend above the plot area, wrapped onto as many rows as it needs;
 *   - a palette that still reads when printed in grey: each entry differs in
 *     lightness and in dash pattern, not only in hue.
 *
 * SVG is the reference format. libplot's SVG is deterministic (no time stamps,
 * no addresses), and out_chart_svg rewrites its root element from libplot's
 * unit-square viewBox with `preserveAspectRatio="none"` to a pixel viewBox of
 * the chart's size and drops its fixed ids, so the same chart gives the same
 * bytes and several charts can be inlined into one HTML page. Text is ASCII
 * only (other bytes become '?'): libplot writes ISO-8859-1.
 * PNG comes from libplot's "png" plotter (Hershey fonts), for quick viewing.
 *
 * Usage: fill an out_chart_spec, out_chart_alloc, add series / bands / lines /
 * markers (or bars), then out_chart_write or out_chart_svg, then
 * out_chart_free. Data is copied; series longer than OUT_CHART_MAX_POINTS are
 * downsampled keeping each bucket's minimum and maximum (so spikes survive).
 * Coordinates that are NaN leave a gap in a line. */
#ifndef OUT_CHART_H
#define OUT_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

/* Series longer than this are downsampled (min/max per bucket). */
#define OUT_CHART_MAX_POINTS 2000

typedef struct out_chart out_chart;

/* What the x axis holds. */
typedef enum out_xscale {
  OUT_X_LINEAR = 0, /* numbers */
  OUT_X_LOG,        /* numbers > 0 on a log10 scale (decade ticks) */
  OUT_X_CATEGORY    /* one slot per bar (out_chart_bar) */
} out_xscale;

/* How an axis turns values into tick labels and its title. */
typedef enum out_unit {
  OUT_UNIT_PLAIN = 0, /* label used as given; ticks as numbers (12k, 1.5M) */
  OUT_UNIT_TIME,      /* seconds, shown in s/min/h/day chosen by the axis span;
                         the title gets "(min)" etc. */
  OUT_UNIT_DURATION   /* seconds of latency: ms or s by magnitude; on a log axis
                         each tick carries its own unit ("10 ms", "1 s") */
} out_unit;

typedef struct out_axis_spec {
  const char *label; /* title of the axis; NULL/"" = none (a y2 with no label
                        and no series is not drawn) */
  out_unit unit;
  double min, max;   /* fixed bounds; NaN = from the data (linear y axes then
                        include 0 and end on a tick) */
} out_axis_spec;

typedef struct out_chart_spec {
  const char *title;
  out_xscale x_scale;
  out_axis_spec x, y, y2;
  int width_px, height_px; /* 0 = 800 x 360 */
  /* Legend text for the marker kinds; NULL = not in the legend. */
  const char *up_label, *down_label, *event_label;
} out_chart_spec;

/* A spec with every bound NaN and default sizes. */
out_chart_spec out_chart_spec_default(void);

typedef enum out_style {
  OUT_LINE = 0, /* straight segments between points */
  OUT_STEP,     /* value y[i] holds from x[i] to x[i+1]; the last one for the
                   width of the step before it */
  OUT_AREA,     /* like OUT_LINE, filled down to 0 with a light tint */
  OUT_POINTS    /* a marker at each point, no line (scatter plots); its shape
                   follows the palette entry (circle, square, diamond) so
                   series stay apart in grey */
} out_style;

typedef enum out_marker_kind {
  OUT_MARK_UP = 0, /* filled ▲ (e.g. scale out) */
  OUT_MARK_DOWN,   /* hollow ▽ (e.g. scale in) */
  OUT_MARK_EVENT   /* a short tick (e.g. an alarm) */
} out_marker_kind;

typedef struct out_series {
  const char *label; /* legend text; NULL = not in the legend */
  out_style style;
  int axis;          /* 0 = left y axis, 1 = right (y2) */
  int color;         /* palette entry (taken modulo the palette size); -1 = the
                        next one not used yet in this chart */
  const double *x, *y;
  size_t n;
} out_series;

/* Creates an empty chart; spec and its strings are copied. Never NULL. */
out_chart *out_chart_alloc(const out_chart_spec *spec);
void out_chart_free(out_chart *c);

/* Adds a series (data copied). */
void out_chart_add(out_chart *c, const out_series *s);

/* Adds a shaded band between lo[i] and hi[i] over x[i] (data copied); drawn
 * under the series. color as for out_series. */
void out_chart_band(out_chart *c, const char *label, int axis, int color, const double *x,
                    const double *lo, const double *hi, size_t n);

/* Adds a dashed horizontal line at y on axis (0/1) with a label at its right end
 * (NULL = none), e.g. a policy's target. */
void out_chart_hline(out_chart *c, int axis, double y, const char *label);

/* Adds an event marker at x along the top of the plot area; label (may be NULL)
 * is drawn beside it when it does not collide with the previous label. */
void out_chart_marker(out_chart *c, double x, out_marker_kind kind, const char *label);

/* Adds one bar (charts with x_scale OUT_X_CATEGORY): its category name under
 * the axis, value on the y axis, color as for out_series, and value_text (may
 * be NULL) written above the bar. */
void out_chart_bar(out_chart *c, const char *name, double value, int color,
                   const char *value_text);

/* Renders the chart as SVG into a malloc'd NUL-terminated buffer (*svg, owned by
 * the caller; *len its length without the NUL). Same chart, same bytes.
 * Returns 0 or SIM_EFAIL with err set. */
int out_chart_svg(const out_chart *c, char **svg, size_t *len, sim_error *err);

enum { OUT_PLOT_SVG = 1u << 0, OUT_PLOT_PNG = 1u << 1 };

/* Writes `<path_base>.svg` and/or `<path_base>.png` (formats: OUT_PLOT_* bits)
 * atomically (output/atomic.h). Returns 0 or SIM_EFAIL with err set. */
int out_chart_write(const out_chart *c, const char *path_base, unsigned formats,
                    sim_error *err);

/* --- the axis arithmetic, public for tests and for callers' own labels ---- */

/* The nice step (1, 2 or 5 × 10^k) for covering `span` with about `target`
 * intervals. span > 0, target >= 1. */
double out_nice_step(double span, int target);

/* The display unit of a time axis spanning span_s seconds: its name ("s",
 * "min", "h", "day") and how many seconds one unit is. */
const char *out_time_unit(double span_s, double *unit_s);

/* Formats a tick value v of an axis whose ticks are `step` apart ("0.25",
 * "120", "12k", "1.5M"); buf of len bytes. Returns buf. */
char *out_format_tick(double v, double step, char *buf, size_t len);

#endif
