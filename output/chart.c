/* chart.c — axes, ticks, legends, series and markers over GNU libplot (see
 * chart.h). A chart is a list of things to draw; all layout happens at render
 * time against the plotter of the output format, whose font metrics
 * (pl_flabelwidth) size the margins and the legend. */
#include "output/chart.h"

#include <math.h>
#include <plot.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/atomic.h"

#if defined(__SANITIZE_ADDRESS__)
/* libplot 4.4 leaks on every plotter: pl_deletepl_r does not free the
 * parameter strings _pl_g_copy_params_to_plotter copied, and its PNG writer
 * never frees libpng's info struct. Nothing here can release them, so under
 * AddressSanitizer (`make check`) LeakSanitizer is told to ignore leaks whose
 * allocation stack is inside those two libraries — and only those. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libplot.so\nleak:libpng16.so\n"; }
/* ...and not to print its table of used suppressions, which would follow a
 * test program's closing "N passed, N failed" line. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }
#endif

/* --- the palette ----------------------------------------------------------
 * Entries alternate dark and light (CIE L* 27, 71, 45, 39, 70, 31, 50, 61)
 * and each has its own dash pattern, so lines stay apart in greyscale and
 * for colour-blind readers; the hues follow Okabe & Ito's palette. */
typedef struct pen {
  unsigned char r, g, b;
  double width;
  int n_dash;      /* 0 = solid */
  double dash[6];  /* on/off lengths in px */
} pen;

static const pen palette[] = {
    {0x1b, 0x3a, 0x8c, 2.0, 0, {0}},                 /* deep blue, solid */
    {0xe6, 0x9f, 0x00, 2.2, 2, {8, 3}},              /* orange, dashed */
    {0x00, 0x7a, 0x5a, 2.2, 2, {2, 2.5}},            /* green, dotted */
    {0xb2, 0x22, 0x22, 2.0, 4, {9, 3, 2, 3}},        /* red, dash-dot */
    {0x56, 0xb4, 0xe9, 2.2, 2, {14, 4}},             /* sky blue, long dash */
    {0x5e, 0x35, 0x8c, 2.0, 6, {5, 2, 1.5, 2, 1.5, 2}}, /* purple, dash-dot-dot */
    {0x77, 0x77, 0x77, 2.0, 2, {1.5, 4}},            /* grey, sparse dots */
    {0xcc, 0x79, 0xa7, 2.0, 4, {6, 2, 6, 6}},        /* pink, paired dashes */
};
#define N_PALETTE ((int)(sizeof palette / sizeof palette[0]))

/* --- what a chart holds ----------------------------------------------------- */

typedef struct series_data {
  char *label;
  out_style style;
  int axis, color;
  double *x, *y;
  size_t n;
} series_data;

typedef struct band_data {
  char *label;
  int axis, color;
  double *x, *lo, *hi;
  size_t n;
} band_data;

typedef struct hline_data {
  int axis;
  double y;
  char *label;
} hline_data;

typedef struct marker_data {
  double x;
  out_marker_kind kind;
  char *label;
} marker_data;

typedef struct bar_data {
  char *name, *text;
  double value;
  int color;
} bar_data;

struct out_chart {
  out_chart_spec spec; /* strings owned */
  series_data *series;
  size_t n_series, cap_series;
  band_data *bands;
  size_t n_bands, cap_bands;
  hline_data *hlines;
  size_t n_hlines, cap_hlines;
  marker_data *markers;
  size_t n_markers, cap_markers;
  bar_data *bars;
  size_t n_bars, cap_bars;
  unsigned colors_used; /* bit i: palette entry i taken */
};

#define GROW(arr, n, cap)                                   \
  do {                                                      \
    if ((n) == (cap)) {                                     \
      (cap) = (cap) ? 2 * (cap) : 8;                        \
      (arr) = sim_xrealloc((arr), (cap) * sizeof *(arr));   \
    }                                                       \
  } while (0)

out_chart_spec out_chart_spec_default(void) {
  out_chart_spec s = {0};
  s.x.min = s.x.max = s.y.min = s.y.max = s.y2.min = s.y2.max = NAN;
  return s;
}

static void axis_spec_copy(out_axis_spec *dst, const out_axis_spec *src) {
  *dst = *src;
  dst->label = sim_xstrdup(src->label);
}

out_chart *out_chart_alloc(const out_chart_spec *spec) {
  out_chart *c = sim_xcalloc(1, sizeof *c);
  c->spec = *spec;
  c->spec.title = sim_xstrdup(spec->title);
  axis_spec_copy(&c->spec.x, &spec->x);
  axis_spec_copy(&c->spec.y, &spec->y);
  axis_spec_copy(&c->spec.y2, &spec->y2);
  c->spec.up_label = sim_xstrdup(spec->up_label);
  c->spec.down_label = sim_xstrdup(spec->down_label);
  c->spec.event_label = sim_xstrdup(spec->event_label);
  if (c->spec.width_px <= 0) c->spec.width_px = 800;
  if (c->spec.height_px <= 0) c->spec.height_px = 360;
  return c;
}

void out_chart_free(out_chart *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n_series; i++) {
    free(c->series[i].label);
    free(c->series[i].x);
    free(c->series[i].y);
  }
  for (size_t i = 0; i < c->n_bands; i++) {
    free(c->bands[i].label);
    free(c->bands[i].x);
    free(c->bands[i].lo);
    free(c->bands[i].hi);
  }
  for (size_t i = 0; i < c->n_hlines; i++) free(c->hlines[i].label);
  for (size_t i = 0; i < c->n_markers; i++) free(c->markers[i].label);
  for (size_t i = 0; i < c->n_bars; i++) {
    free(c->bars[i].name);
    free(c->bars[i].text);
  }
  free(c->series);
  free(c->bands);
  free(c->hlines);
  free(c->markers);
  free(c->bars);
  free((char *)c->spec.title);
  free((char *)c->spec.x.label);
  free((char *)c->spec.y.label);
  free((char *)c->spec.y2.label);
  free((char *)c->spec.up_label);
  free((char *)c->spec.down_label);
  free((char *)c->spec.event_label);
  free(c);
}

/* The palette entry for a requested colour: -1 takes the first unused one. */
static int take_color(out_chart *c, int color) {
  if (color < 0) {
    color = 0;
    while (color < N_PALETTE && (c->colors_used >> color & 1u)) color++;
    if (color == N_PALETTE) color = (int)(c->n_series + c->n_bands) % N_PALETTE;
  }
  color %= N_PALETTE;
  c->colors_used |= 1u << color;
  return color;
}

/* Copies n points (less the middles of flat runs), or — above
 * OUT_CHART_MAX_POINTS — the minimum and maximum
 * of each of MAX/2 buckets in their original order, so that a short spike in a
 * long run still shows. A bucket with no number keeps one gap (NaN). */
static size_t copy_points(const double *x, const double *y, size_t n, bool keep_flat,
                          double **ox, double **oy) {
  size_t max = OUT_CHART_MAX_POINTS;
  *ox = sim_xmalloc((n < max ? n : max) * sizeof **ox + 1);
  *oy = sim_xmalloc((n < max ? n : max) * sizeof **oy + 1);
  if (n <= max) {
    /* Drop the inside points of flat runs (y equal to both neighbours): they
     * draw nothing, and a time series of a quiet gauge is mostly such points.
     * The last two points stay, since a step series extends its last value by
     * the spacing of those two. A point series keeps them: each is a marker. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      bool flat = !keep_flat && i > 0 && i + 2 < n && y[i - 1] == y[i] && y[i] == y[i + 1];
      if (flat) continue;
      (*ox)[m] = x[i];
      (*oy)[m++] = y[i];
    }
    return m;
  }
  size_t buckets = max / 2, m = 0;
  for (size_t b = 0; b < buckets; b++) {
    size_t from = b * n / buckets, to = (b + 1) * n / buckets;
    size_t lo = SIZE_MAX, hi = SIZE_MAX;
    for (size_t i = from; i < to; i++) {
      if (isnan(y[i]) || isnan(x[i])) continue;
      if (lo == SIZE_MAX || y[i] < y[lo]) lo = i;
      if (hi == SIZE_MAX || y[i] > y[hi]) hi = i;
    }
    if (lo == SIZE_MAX) {
      (*ox)[m] = x[from];
      (*oy)[m++] = NAN;
      continue;
    }
    size_t first = lo < hi ? lo : hi, second = lo < hi ? hi : lo;
    (*ox)[m] = x[first];
    (*oy)[m++] = y[first];
    if (second != first) {
      (*ox)[m] = x[second];
      (*oy)[m++] = y[second];
    }
  }
  return m;
}

static char *dup_or_null(const char *s) { return s && *s ? sim_xstrdup(s) : NULL; }

void out_chart_add(out_chart *c, const out_series *s) {
  GROW(c->series, c->n_series, c->cap_series);
  series_data *d = &c->series[c->n_series++];
  d->label = dup_or_null(s->label);
  d->style = s->style;
  d->axis = s->axis ? 1 : 0;
  d->color = take_color(c, s->color);
  d->n = copy_points(s->x, s->y, s->n, s->style == OUT_POINTS, &d->x, &d->y);
}

void out_chart_band(out_chart *c, const char *label, int axis, int color, const double *x,
                    const double *lo, const double *hi, size_t n) {
  GROW(c->bands, c->n_bands, c->cap_bands);
  band_data *d = &c->bands[c->n_bands++];
  d->label = dup_or_null(label);
  d->axis = axis ? 1 : 0;
  d->color = take_color(c, color);
  /* Downsample as the series do: the lowest lo and highest hi per bucket. */
  size_t max = OUT_CHART_MAX_POINTS, buckets = n <= max ? n : max;
  d->x = sim_xmalloc(buckets * sizeof *d->x + 1);
  d->lo = sim_xmalloc(buckets * sizeof *d->lo + 1);
  d->hi = sim_xmalloc(buckets * sizeof *d->hi + 1);
  for (size_t b = 0; b < buckets; b++) {
    size_t from = b * n / buckets, to = (b + 1) * n / buckets;
    double l = NAN, h = NAN;
    for (size_t i = from; i < to; i++) {
      if (isnan(lo[i]) || isnan(hi[i])) continue;
      l = isnan(l) || lo[i] < l ? lo[i] : l;
      h = isnan(h) || hi[i] > h ? hi[i] : h;
    }
    d->x[b] = x[from];
    d->lo[b] = l;
    d->hi[b] = h;
  }
  d->n = buckets;
}

void out_chart_hline(out_chart *c, int axis, double y, const char *label) {
  GROW(c->hlines, c->n_hlines, c->cap_hlines);
  c->hlines[c->n_hlines++] = (hline_data){axis ? 1 : 0, y, dup_or_null(label)};
}

void out_chart_marker(out_chart *c, double x, out_marker_kind kind, const char *label) {
  GROW(c->markers, c->n_markers, c->cap_markers);
  c->markers[c->n_markers++] = (marker_data){x, kind, dup_or_null(label)};
}

void out_chart_bar(out_chart *c, const char *name, double value, int color,
                   const char *value_text) {
  GROW(c->bars, c->n_bars, c->cap_bars);
  c->bars[c->n_bars++] = (bar_data){sim_xstrdup(name ? name : ""), dup_or_null(value_text),
                                    value, take_color(c, color)};
}

/* --- axis arithmetic ------------------------------------------------------ */

double out_nice_step(double span, int target) {
  SIM_ASSERT(span > 0 && target >= 1);
  double raw = span / target;
  double mag = pow(10, floor(log10(raw)));
  double f = raw / mag;
  /* The smallest of 1, 2, 5, 10 (x mag) that is at least the raw step, with a
   * little slack so that span 10 in 5 steps gives 2, not 5. */
  double nice = f <= 1.0001 ? 1 : f <= 2.0001 ? 2 : f <= 5.0001 ? 5 : 10;
  return nice * mag;
}

const char *out_time_unit(double span_s, double *unit_s) {
  /* Up to 5 minutes in seconds, up to 5 hours in minutes, up to 3 days in
   * hours, beyond in days: tick labels stay short numbers. */
  if (span_s <= 300) {
    *unit_s = 1;
    return "s";
  }
  if (span_s <= 5 * 3600) {
    *unit_s = 60;
    return "min";
  }
  if (span_s <= 3 * 86400) {
    *unit_s = 3600;
    return "h";
  }
  *unit_s = 86400;
  return "day";
}

/* Steps that divide the clock: 15 and 30 s or min, 3, 6 and 12 h. */
static double time_step(double span, int target, const char *unit) {
  static const double sixty[] = {1, 2, 5, 10, 15, 30, 60};
  static const double hours[] = {1, 2, 3, 6, 12, 24};
  const double *c = strcmp(unit, "h") == 0 ? hours : sixty;
  size_t n = strcmp(unit, "h") == 0 ? 6 : 7;
  if (strcmp(unit, "day") != 0)
    for (size_t i = 0; i < n; i++)
      if (span / c[i] <= target) return c[i];
  return out_nice_step(span, target);
}

char *out_format_tick(double v, double step, char *buf, size_t len) {
  if (fabs(v) < step * 1e-9) v = 0; /* no "-0" or 1e-17 from accumulation */
  double a = fabs(v);
  const char *suffix = "";
  double div = 1;
  if (a >= 1e6) {
    suffix = "M";
    div = 1e6;
  } else if (a >= 1e4) {
    suffix = "k";
    div = 1e3;
  }
  double s = step / div;
  int decimals = s >= 1 ? 0 : (int)ceil(-log10(s) - 1e-9);
  if (decimals > 9) decimals = 9;
  snprintf(buf, len, "%.*f%s", decimals, v / div, suffix);
  return buf;
}

/* --- rendering ------------------------------------------------------------- */

#define MAX_TICKS 64
enum { FONT_TITLE = 14, FONT_AXIS = 12, FONT_TICK = 11, FONT_LEGEND = 11, FONT_MARK = 9 };

typedef struct axis {
  bool used, log;
  out_unit unit;
  double lo, hi;          /* data units */
  double scale;           /* data units per display unit (60 for minutes) */
  double step;            /* display units (linear axes) */
  double ticks[MAX_TICKS];/* data units */
  int n_ticks;
  char title[192];
  double label_w;         /* widest tick label, px */
} axis;

typedef struct canvas {
  plPlotter *pl;
  bool svg;
  const out_chart *c;
  double w, h;
  double x0, x1, y0, y1; /* plot area, libplot coordinates (y up) */
  axis x, y[2];
  double legend_top;     /* y of the first legend row's centre */
  double marker_band;    /* height of the marker strip above the plot */
  double font_size;      /* the font selected (0 = none yet) */
  bool font_bold;
} canvas;

/* ASCII copy of s for libplot: other bytes become '?', and a backslash is
 * doubled because libplot reads "\xx" as a glyph escape. */
static const char *plain(const char *s, char *buf, size_t len) {
  size_t j = 0;
  for (; s && *s && j + 2 < len; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '\\') buf[j++] = '\\';
    buf[j++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
  }
  buf[j] = '\0';
  return buf;
}

/* Selects the font, skipping libplot's font lookup (a scan of its font tables
 * by name) when it is the one already selected. */
static void set_font(canvas *cv, double size, bool bold) {
  if (cv->font_size == size && cv->font_bold == bold) return;
  if (cv->svg) pl_fontname_r(cv->pl, bold ? "Helvetica-Bold" : "Helvetica");
  else pl_fontname_r(cv->pl, bold ? "HersheySans-Bold" : "HersheySans");
  pl_ffontsize_r(cv->pl, size);
  cv->font_size = size;
  cv->font_bold = bold;
}

/* The width of s in the current font. For SVG the text is set by the viewer,
 * which substitutes its own sans-serif for Helvetica (DejaVu Sans on a bare
 * Linux is about 12% wider than libplot's Helvetica metrics), so layout
 * reserves 15% more. */
static double text_width(canvas *cv, const char *s) {
  char buf[512];
  return pl_flabelwidth_r(cv->pl, plain(s, buf, sizeof buf)) * (cv->svg ? 1.15 : 1.0);
}

static void text(canvas *cv, double x, double y, int hjust, int vjust, const char *s) {
  char buf[512];
  pl_fmove_r(cv->pl, x, y);
  pl_alabel_r(cv->pl, hjust, vjust, plain(s, buf, sizeof buf));
}

static void set_rgb(canvas *cv, unsigned r, unsigned g, unsigned b) {
  pl_pencolor_r(cv->pl, (int)(r * 257), (int)(g * 257), (int)(b * 257));
}

static void set_fill_rgb(canvas *cv, unsigned r, unsigned g, unsigned b) {
  pl_fillcolor_r(cv->pl, (int)(r * 257), (int)(g * 257), (int)(b * 257));
}

/* Colour mixed with white: share 0..1 of the colour (for areas and bands). */
static void set_tint(canvas *cv, const pen *p, double share) {
  unsigned r = (unsigned)lround(255 - share * (255 - p->r));
  unsigned g = (unsigned)lround(255 - share * (255 - p->g));
  unsigned b = (unsigned)lround(255 - share * (255 - p->b));
  set_fill_rgb(cv, r, g, b);
}

static void solid(canvas *cv, double width) {
  pl_linemod_r(cv->pl, "solid");
  pl_flinewidth_r(cv->pl, width);
}

static void use_pen(canvas *cv, const pen *p) {
  set_rgb(cv, p->r, p->g, p->b);
  pl_flinewidth_r(cv->pl, p->width);
  if (p->n_dash) pl_flinedash_r(cv->pl, p->n_dash, p->dash, 0);
  else pl_linemod_r(cv->pl, "solid");
}

static void no_fill(canvas *cv) { pl_filltype_r(cv->pl, 0); }
static void fill_on(canvas *cv) { pl_filltype_r(cv->pl, 1); }

/* Data → libplot coordinates, clamped to the plot area. */
static double map_x(const canvas *cv, double v) {
  const axis *a = &cv->x;
  double f = a->log ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo))
                    : (v - a->lo) / (a->hi - a->lo);
  if (f < 0) f = 0;
  if (f > 1) f = 1;
  return cv->x0 + f * (cv->x1 - cv->x0);
}

static double map_y(const canvas *cv, int which, double v) {
  const axis *a = &cv->y[which];
  double f = (v - a->lo) / (a->hi - a->lo);
  if (f < 0) f = 0;
  if (f > 1) f = 1;
  return cv->y0 + f * (cv->y1 - cv->y0);
}

static bool x_ok(const canvas *cv, double x) { return !isnan(x) && (!cv->x.log || x > 0); }

/* Widens [*lo, *hi] to include v. */
static void extend(double *lo, double *hi, double v) {
  if (isnan(v) || isinf(v)) return;
  if (isnan(*lo) || v < *lo) *lo = v;
  if (isnan(*hi) || v > *hi) *hi = v;
}

static void x_data_range(const out_chart *c, bool log, double *lo, double *hi) {
  *lo = *hi = NAN;
  for (size_t i = 0; i < c->n_series; i++)
    for (size_t k = 0; k < c->series[i].n; k++) {
      double x = c->series[i].x[k];
      if (!isnan(c->series[i].y[k]) && (!log || x > 0)) extend(lo, hi, x);
    }
  for (size_t i = 0; i < c->n_bands; i++)
    for (size_t k = 0; k < c->bands[i].n; k++)
      if (!log || c->bands[i].x[k] > 0) extend(lo, hi, c->bands[i].x[k]);
  /* A step series holds its last value for one more step. */
  for (size_t i = 0; i < c->n_series; i++) {
    const series_data *s = &c->series[i];
    if (s->style == OUT_STEP && s->n >= 2) extend(lo, hi, 2 * s->x[s->n - 1] - s->x[s->n - 2]);
  }
}

static void y_data_range(const out_chart *c, int which, double *lo, double *hi) {
  *lo = *hi = NAN;
  for (size_t i = 0; i < c->n_series; i++) {
    if (c->series[i].axis != which) continue;
    for (size_t k = 0; k < c->series[i].n; k++) extend(lo, hi, c->series[i].y[k]);
  }
  for (size_t i = 0; i < c->n_bands; i++) {
    if (c->bands[i].axis != which) continue;
    for (size_t k = 0; k < c->bands[i].n; k++) {
      extend(lo, hi, c->bands[i].lo[k]);
      extend(lo, hi, c->bands[i].hi[k]);
    }
  }
  for (size_t i = 0; i < c->n_hlines; i++)
    if (c->hlines[i].axis == which) extend(lo, hi, c->hlines[i].y);
  if (which == 0)
    for (size_t i = 0; i < c->n_bars; i++) extend(lo, hi, c->bars[i].value);
}

static void axis_title(axis *a, const out_axis_spec *s, const char *unit_name) {
  const char *label = s->label ? s->label : "";
  if (unit_name && *label) snprintf(a->title, sizeof a->title, "%s (%s)", label, unit_name);
  else snprintf(a->title, sizeof a->title, "%s", label);
}

/* Ticks at the multiples of step_data (in data units) from a->lo to a->hi. */
static void place_ticks(axis *a, double step_data) {
  a->n_ticks = 0;
  for (double t = ceil(a->lo / step_data - 1e-9);
       t * step_data <= a->hi + step_data * 1e-9 && a->n_ticks < MAX_TICKS; t++)
    a->ticks[a->n_ticks++] = t * step_data;
}

/* A linear value axis: from the data or the spec, 0 included, ends on ticks. */
static void value_axis(axis *a, const out_axis_spec *s, double lo, double hi) {
  a->unit = s->unit;
  a->scale = 1;
  const char *unit_name = NULL;
  if (!isnan(s->min)) lo = s->min;
  else if (isnan(lo) || lo > 0) lo = 0;
  if (!isnan(s->max)) hi = s->max;
  else if (isnan(hi)) hi = 1;
  if (s->unit == OUT_UNIT_DURATION) {
    bool ms = hi < 1;
    a->scale = ms ? 1e-3 : 1;
    unit_name = ms ? "ms" : "s";
  }
  bool flat = hi <= lo; /* no data, or all of it at the bottom (zeros) */
  if (flat) hi = lo + a->scale;
  a->step = out_nice_step((hi - lo) / a->scale, 5);
  double step_data = a->step * a->scale;
  if (isnan(s->min)) lo = floor(lo / step_data + 1e-9) * step_data;
  if (isnan(s->max)) {
    /* Headroom: a line right on the top edge (a constant 8 on an axis ending
     * at 8) would merge with the frame, so such an axis gets one step more. */
    double top = ceil(hi / step_data - 1e-9) * step_data;
    if (!flat && top - hi < 0.03 * (top - lo)) top += step_data;
    hi = top;
  }
  a->lo = lo;
  a->hi = hi;
  place_ticks(a, step_data);
  axis_title(a, s, unit_name);
}

/* The x axis of a time series or numbers: the data range as it is (no padding),
 * ticks inside it. */
static void linear_x_axis(axis *a, const out_axis_spec *s, double lo, double hi) {
  a->unit = s->unit;
  a->scale = 1;
  if (!isnan(s->min)) lo = s->min;
  if (!isnan(s->max)) hi = s->max;
  if (isnan(lo)) lo = 0;
  if (isnan(hi) || hi <= lo) hi = lo + 1;
  const char *unit_name = NULL;
  if (s->unit == OUT_UNIT_TIME) {
    unit_name = out_time_unit(hi - lo, &a->scale);
    a->step = time_step((hi - lo) / a->scale, 8, unit_name);
  } else if (s->unit == OUT_UNIT_DURATION) {
    bool ms = hi < 1;
    a->scale = ms ? 1e-3 : 1;
    unit_name = ms ? "ms" : "s";
    a->step = out_nice_step((hi - lo) / a->scale, 8);
  } else {
    a->step = out_nice_step(hi - lo, 8);
  }
  a->lo = lo;
  a->hi = hi;
  place_ticks(a, a->step * a->scale);
  axis_title(a, s, unit_name);
}

static void log_x_axis(axis *a, const out_axis_spec *s, double lo, double hi) {
  a->unit = s->unit;
  a->log = true;
  a->scale = 1;
  if (!isnan(s->min) && s->min > 0) lo = s->min;
  if (!isnan(s->max) && s->max > 0) hi = s->max;
  if (isnan(lo) || lo <= 0) lo = 1e-3;
  if (isnan(hi) || hi <= lo) hi = lo * 10;
  a->lo = pow(10, floor(log10(lo) + 1e-9));
  a->hi = pow(10, ceil(log10(hi) - 1e-9));
  if (a->hi <= a->lo) a->hi = a->lo * 10;
  a->n_ticks = 0;
  for (double e = round(log10(a->lo)); e <= round(log10(a->hi)) && a->n_ticks < MAX_TICKS; e++)
    a->ticks[a->n_ticks++] = pow(10, e);
  axis_title(a, s, NULL);
}

/* The label of tick v on axis a. */
static void tick_label(const axis *a, double v, char *buf, size_t len) {
  if (a->log) {
    if (a->unit != OUT_UNIT_DURATION) snprintf(buf, len, "%g", v);
    else if (v < 1e-3) snprintf(buf, len, "%g us", v * 1e6);
    else if (v < 1) snprintf(buf, len, "%g ms", v * 1e3);
    else snprintf(buf, len, "%g s", v);
    return;
  }
  out_format_tick(v / a->scale, a->step, buf, len);
}

static void category_axis(axis *a, const out_chart *c) {
  a->lo = -0.5;
  a->hi = c->n_bars ? (double)c->n_bars - 0.5 : 0.5;
  a->scale = 1;
  a->n_ticks = 0;
  axis_title(a, &c->spec.x, NULL);
}

static void build_axes(canvas *cv) {
  const out_chart *c = cv->c;
  double lo, hi;
  cv->x.used = true;
  if (c->spec.x_scale == OUT_X_CATEGORY) {
    category_axis(&cv->x, c);
  } else {
    x_data_range(c, c->spec.x_scale == OUT_X_LOG, &lo, &hi);
    if (c->spec.x_scale == OUT_X_LOG) log_x_axis(&cv->x, &c->spec.x, lo, hi);
    else linear_x_axis(&cv->x, &c->spec.x, lo, hi);
  }
  for (int w = 0; w < 2; w++) {
    y_data_range(c, w, &lo, &hi);
    const out_axis_spec *s = w ? &c->spec.y2 : &c->spec.y;
    cv->y[w].used = w == 0 || !isnan(lo) || (s->label && *s->label);
    if (cv->y[w].used) value_axis(&cv->y[w], s, lo, hi);
  }
}

/* --- layout ----------------------------------------------------------------- */

typedef enum legend_kind {
  LEG_LINE, LEG_AREA, LEG_BAND, LEG_UP, LEG_DOWN, LEG_EVENT, LEG_POINT
} legend_kind;

typedef struct legend_entry {
  legend_kind kind;
  int color;
  const char *label;
} legend_entry;

#define MAX_LEGEND 32

static legend_kind legend_kind_of(out_style style) {
  return style == OUT_AREA ? LEG_AREA : style == OUT_POINTS ? LEG_POINT : LEG_LINE;
}

static size_t legend_entries(const out_chart *c, legend_entry *e) {
  size_t n = 0;
  for (size_t i = 0; i < c->n_bands && n < MAX_LEGEND; i++)
    if (c->bands[i].label) e[n++] = (legend_entry){LEG_BAND, c->bands[i].color, c->bands[i].label};
  for (size_t i = 0; i < c->n_series && n < MAX_LEGEND; i++)
    if (c->series[i].label)
      e[n++] = (legend_entry){legend_kind_of(c->series[i].style), c->series[i].color,
                              c->series[i].label};
  bool kinds[3] = {false, false, false};
  for (size_t i = 0; i < c->n_markers; i++) kinds[c->markers[i].kind] = true;
  const char *names[3] = {c->spec.up_label, c->spec.down_label, c->spec.event_label};
  for (int k = 0; k < 3 && n < MAX_LEGEND; k++)
    if (kinds[k] && names[k]) e[n++] = (legend_entry){(legend_kind)(LEG_UP + k), 0, names[k]};
  return n;
}

enum { LEGEND_SAMPLE = 24, LEGEND_GAP = 16, LEGEND_ROW = 16, TICK_LEN = 4 };

static double legend_entry_width(canvas *cv, const legend_entry *e) {
  return LEGEND_SAMPLE + 5 + text_width(cv, e->label) + LEGEND_GAP;
}

static int legend_rows(canvas *cv, const legend_entry *e, size_t n, double width) {
  if (n == 0) return 0;
  set_font(cv, FONT_LEGEND, false);
  int rows = 1;
  double used = 0;
  for (size_t i = 0; i < n; i++) {
    double w = legend_entry_width(cv, &e[i]);
    if (used > 0 && used + w > width) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}

static double widest_tick_label(canvas *cv, const axis *a) {
  char buf[64];
  double w = 0;
  set_font(cv, FONT_TICK, false);
  for (int i = 0; i < a->n_ticks; i++) {
    tick_label(a, a->ticks[i], buf, sizeof buf);
    double tw = text_width(cv, buf);
    if (tw > w) w = tw;
  }
  return w;
}

static void layout(canvas *cv, legend_entry *legend, size_t n_legend) {
  const out_chart *c = cv->c;
  cv->y[0].label_w = widest_tick_label(cv, &cv->y[0]);
  double left = 10 + (cv->y[0].title[0] ? FONT_AXIS + 6 : 0) + cv->y[0].label_w + TICK_LEN + 5;
  double right = 18;
  if (cv->y[1].used) {
    cv->y[1].label_w = widest_tick_label(cv, &cv->y[1]);
    right = 10 + (cv->y[1].title[0] ? FONT_AXIS + 6 : 0) + cv->y[1].label_w + TICK_LEN + 5;
  }
  cv->x0 = left;
  cv->x1 = cv->w - right;
  int rows = legend_rows(cv, legend, n_legend, cv->x1 - cv->x0);
  cv->marker_band = c->n_markers ? 14 : 0;
  double top = 8 + (c->spec.title && *c->spec.title ? FONT_TITLE + 8 : 0);
  cv->legend_top = cv->h - top - LEGEND_ROW / 2.0;
  top += rows * LEGEND_ROW + 6 + cv->marker_band;
  double bottom = 8 + FONT_TICK + 6 + (cv->x.title[0] ? FONT_AXIS + 6 : 0);
  cv->y0 = bottom;
  cv->y1 = cv->h - top;
}

/* --- drawing ------------------------------------------------------------------ */

static void grid(canvas *cv) {
  solid(cv, 1);
  set_rgb(cv, 0xe4, 0xe4, 0xe4);
  for (int i = 0; i < cv->y[0].n_ticks; i++) {
    double y = map_y(cv, 0, cv->y[0].ticks[i]);
    pl_fline_r(cv->pl, cv->x0, y, cv->x1, y);
  }
  for (int i = 0; i < cv->x.n_ticks; i++) {
    double x = map_x(cv, cv->x.ticks[i]);
    pl_fline_r(cv->pl, x, cv->y0, x, cv->y1);
  }
  if (!cv->x.log) return;
  set_rgb(cv, 0xf0, 0xf0, 0xf0); /* minor decades: 2..9 × 10^k */
  for (int i = 0; i + 1 < cv->x.n_ticks; i++)
    for (int m = 2; m <= 9; m++) {
      double x = map_x(cv, cv->x.ticks[i] * m);
      pl_fline_r(cv->pl, x, cv->y0, x, cv->y1);
    }
}

/* Traces a polyline through the points, starting a new piece after a gap. A
 * step series goes across then up or down, and emits a vertex only where its
 * value changes (and at the end of each piece). */
static void polyline(canvas *cv, int axis_i, const double *x, const double *y, size_t n,
                     bool step) {
  bool open = false;
  for (size_t i = 0; i < n; i++) {
    if (!x_ok(cv, x[i]) || isnan(y[i])) {
      if (open) pl_endpath_r(cv->pl);
      open = false;
      continue;
    }
    double px = map_x(cv, x[i]), py = map_y(cv, axis_i, y[i]);
    if (!open) {
      pl_fmove_r(cv->pl, px, py);
      open = true;
    } else if (!step) {
      pl_fcont_r(cv->pl, px, py);
    } else if (y[i] != y[i - 1]) {
      pl_fcont_r(cv->pl, px, map_y(cv, axis_i, y[i - 1]));
      pl_fcont_r(cv->pl, px, py);
    }
    bool last = i + 1 == n || isnan(y[i + 1]) || !x_ok(cv, x[i + 1]);
    if (step && last) {
      double next = i + 1 < n ? x[i + 1] : i > 0 ? 2 * x[i] - x[i - 1] : x[i];
      if (isnan(next)) next = x[i];
      pl_fcont_r(cv->pl, map_x(cv, next), py);
    }
  }
  if (open) pl_endpath_r(cv->pl);
}

/* Fills each gap-free run of points down to y = 0 (or the axis bottom). */
static void area_fill(canvas *cv, const series_data *s) {
  const pen *p = &palette[s->color];
  set_tint(cv, p, 0.22);
  pl_pentype_r(cv->pl, 0);
  fill_on(cv);
  double base = map_y(cv, s->axis, 0);
  size_t i = 0;
  while (i < s->n) {
    while (i < s->n && (!x_ok(cv, s->x[i]) || isnan(s->y[i]))) i++;
    size_t from = i;
    while (i < s->n && x_ok(cv, s->x[i]) && !isnan(s->y[i])) i++;
    if (i - from < 2) continue;
    pl_fmove_r(cv->pl, map_x(cv, s->x[from]), base);
    for (size_t k = from; k < i; k++)
      pl_fcont_r(cv->pl, map_x(cv, s->x[k]), map_y(cv, s->axis, s->y[k]));
    pl_fcont_r(cv->pl, map_x(cv, s->x[i - 1]), base);
    pl_closepath_r(cv->pl);
    pl_endpath_r(cv->pl);
  }
  no_fill(cv);
  pl_pentype_r(cv->pl, 1);
}

static void band_fill(canvas *cv, const band_data *b) {
  set_tint(cv, &palette[b->color], 0.18);
  pl_pentype_r(cv->pl, 0);
  fill_on(cv);
  size_t i = 0;
  while (i < b->n) {
    while (i < b->n && (!x_ok(cv, b->x[i]) || isnan(b->lo[i]))) i++;
    size_t from = i;
    while (i < b->n && x_ok(cv, b->x[i]) && !isnan(b->lo[i])) i++;
    if (i - from < 2) continue;
    pl_fmove_r(cv->pl, map_x(cv, b->x[from]), map_y(cv, b->axis, b->hi[from]));
    for (size_t k = from + 1; k < i; k++)
      pl_fcont_r(cv->pl, map_x(cv, b->x[k]), map_y(cv, b->axis, b->hi[k]));
    for (size_t k = i; k-- > from;)
      pl_fcont_r(cv->pl, map_x(cv, b->x[k]), map_y(cv, b->axis, b->lo[k]));
    pl_closepath_r(cv->pl);
    pl_endpath_r(cv->pl);
  }
  no_fill(cv);
  pl_pentype_r(cv->pl, 1);
}

static void hlines(canvas *cv) {
  static const double dash[] = {5, 3};
  for (size_t i = 0; i < cv->c->n_hlines; i++) {
    const hline_data *h = &cv->c->hlines[i];
    if (!cv->y[h->axis].used || isnan(h->y)) continue;
    double y = map_y(cv, h->axis, h->y);
    set_rgb(cv, 0x22, 0x22, 0x22);
    pl_flinewidth_r(cv->pl, 1.2);
    pl_flinedash_r(cv->pl, 2, dash, 0);
    pl_fline_r(cv->pl, cv->x0, y, cv->x1, y);
    if (h->label) {
      set_font(cv, FONT_TICK, false);
      text(cv, cv->x1 - 4, y + 3, 'r', 'b', h->label);
    }
  }
}

/* One point marker of palette entry `color` centred at (x, y): a filled
 * circle, square or diamond by the entry's index, outlined in dark grey. */
static void point_mark(canvas *cv, int color, double x, double y) {
  const pen *p = &palette[color];
  double r = 3.5;
  set_rgb(cv, 0x22, 0x22, 0x22);
  solid(cv, 0.8);
  set_fill_rgb(cv, p->r, p->g, p->b);
  fill_on(cv);
  switch (color % 3) {
  case 0: pl_fcircle_r(cv->pl, x, y, r); break;
  case 1: pl_fbox_r(cv->pl, x - r * 0.9, y - r * 0.9, x + r * 0.9, y + r * 0.9); break;
  default:
    pl_fmove_r(cv->pl, x - r * 1.2, y);
    pl_fcont_r(cv->pl, x, y + r * 1.2);
    pl_fcont_r(cv->pl, x + r * 1.2, y);
    pl_fcont_r(cv->pl, x, y - r * 1.2);
    pl_fcont_r(cv->pl, x - r * 1.2, y);
    pl_endpath_r(cv->pl);
  }
  no_fill(cv);
}

static void series_points(canvas *cv, const series_data *s) {
  for (size_t k = 0; k < s->n; k++)
    if (x_ok(cv, s->x[k]) && !isnan(s->y[k]))
      point_mark(cv, s->color, map_x(cv, s->x[k]), map_y(cv, s->axis, s->y[k]));
}

static void series_lines(canvas *cv) {
  for (size_t i = 0; i < cv->c->n_series; i++) {
    const series_data *s = &cv->c->series[i];
    if (s->style == OUT_POINTS) continue; /* drawn over the lines (series_points) */
    use_pen(cv, &palette[s->color]);
    polyline(cv, s->axis, s->x, s->y, s->n, s->style == OUT_STEP);
  }
  for (size_t i = 0; i < cv->c->n_series; i++)
    if (cv->c->series[i].style == OUT_POINTS) series_points(cv, &cv->c->series[i]);
}

static void bars(canvas *cv) {
  const out_chart *c = cv->c;
  set_font(cv, FONT_TICK, false);
  double slot = (cv->x1 - cv->x0) / (c->n_bars ? (double)c->n_bars : 1);
  for (size_t i = 0; i < c->n_bars; i++) {
    const bar_data *b = &c->bars[i];
    const pen *p = &palette[b->color];
    double xc = map_x(cv, (double)i), half = slot * 0.3;
    double top = isnan(b->value) ? cv->y0 : map_y(cv, 0, b->value);
    set_rgb(cv, p->r, p->g, p->b);
    set_tint(cv, p, 0.75);
    fill_on(cv);
    solid(cv, 1);
    if (top > cv->y0) pl_fbox_r(cv->pl, xc - half, cv->y0, xc + half, top);
    no_fill(cv);
    set_rgb(cv, 0x22, 0x22, 0x22);
    if (b->text) text(cv, xc, top + 3, 'c', 'b', b->text);
    /* The category name, shortened until it fits its slot. */
    char name[128];
    snprintf(name, sizeof name, "%s", b->name);
    while (strlen(name) > 3 && text_width(cv, name) > slot - 4) {
      size_t len = strlen(name);
      memcpy(name + len - 3, "..", 3);
    }
    text(cv, xc, cv->y0 - TICK_LEN - 2, 'c', 't', name);
  }
}

static void axes(canvas *cv) {
  char buf[64];
  solid(cv, 1);
  set_rgb(cv, 0x44, 0x44, 0x44);
  pl_fline_r(cv->pl, cv->x0, cv->y0, cv->x1, cv->y0);
  pl_fline_r(cv->pl, cv->x0, cv->y0, cv->x0, cv->y1);
  if (cv->y[1].used) pl_fline_r(cv->pl, cv->x1, cv->y0, cv->x1, cv->y1);
  set_font(cv, FONT_TICK, false);
  for (int i = 0; i < cv->x.n_ticks; i++) {
    double x = map_x(cv, cv->x.ticks[i]);
    pl_fline_r(cv->pl, x, cv->y0, x, cv->y0 - TICK_LEN);
    tick_label(&cv->x, cv->x.ticks[i], buf, sizeof buf);
    text(cv, x, cv->y0 - TICK_LEN - 2, 'c', 't', buf);
  }
  for (int w = 0; w < 2; w++) {
    const axis *a = &cv->y[w];
    if (!a->used) continue;
    double x = w ? cv->x1 : cv->x0, dir = w ? 1 : -1;
    for (int i = 0; i < a->n_ticks; i++) {
      double y = map_y(cv, w, a->ticks[i]);
      pl_fline_r(cv->pl, x, y, x + dir * TICK_LEN, y);
      tick_label(a, a->ticks[i], buf, sizeof buf);
      text(cv, x + dir * (TICK_LEN + 3), y, w ? 'l' : 'r', 'c', buf);
    }
  }
}

static void titles(canvas *cv) {
  const out_chart *c = cv->c;
  set_rgb(cv, 0x11, 0x11, 0x11);
  if (c->spec.title && *c->spec.title) {
    set_font(cv, FONT_TITLE, true);
    text(cv, cv->x0, cv->h - 8, 'l', 't', c->spec.title);
  }
  set_font(cv, FONT_AXIS, false);
  if (cv->x.title[0]) text(cv, (cv->x0 + cv->x1) / 2, 6, 'c', 'b', cv->x.title);
  double ymid = (cv->y0 + cv->y1) / 2;
  pl_ftextangle_r(cv->pl, 90);
  if (cv->y[0].title[0]) text(cv, 8, ymid, 'c', 't', cv->y[0].title);
  if (cv->y[1].used && cv->y[1].title[0]) text(cv, cv->w - 8, ymid, 'c', 'b', cv->y[1].title);
  pl_ftextangle_r(cv->pl, 0);
}

/* A triangle centred at (x, y): up (filled) or down (hollow). */
static void triangle(canvas *cv, double x, double y, bool up) {
  double s = 4.5;
  set_rgb(cv, 0x22, 0x22, 0x22);
  solid(cv, 1);
  if (up) set_fill_rgb(cv, 0x22, 0x22, 0x22);
  else set_fill_rgb(cv, 0xff, 0xff, 0xff);
  fill_on(cv);
  double d = up ? 1 : -1;
  pl_fmove_r(cv->pl, x - s, y - d * s * 0.8);
  pl_fcont_r(cv->pl, x + s, y - d * s * 0.8);
  pl_fcont_r(cv->pl, x, y + d * s * 0.8);
  pl_fcont_r(cv->pl, x - s, y - d * s * 0.8);
  pl_endpath_r(cv->pl);
  no_fill(cv);
}

static void event_tick(canvas *cv, double x, double y) {
  solid(cv, 1.5);
  set_rgb(cv, 0x55, 0x55, 0x55);
  pl_fline_r(cv->pl, x, y - 5, x, y + 5);
}

static bool marker_visible(const canvas *cv, const marker_data *m) {
  return x_ok(cv, m->x) && m->x >= cv->x.lo && m->x <= cv->x.hi;
}

static int by_x(const void *a, const void *b) {
  const marker_data *const *ma = a, *const *mb = b;
  double xa = (*ma)->x, xb = (*mb)->x;
  if (xa != xb) return xa < xb ? -1 : 1;
  return *ma < *mb ? -1 : *ma > *mb; /* same x: in the order added (one array) */
}

/* Symbols in a strip above the plot with faint guides down through it; a label
 * goes right of its symbol only where it clears the previous label and the
 * next symbol. */
static void markers(canvas *cv) {
  static const double dots[] = {1, 3};
  const out_chart *c = cv->c;
  const marker_data **m = sim_xmalloc(c->n_markers * sizeof *m);
  size_t n = 0;
  for (size_t i = 0; i < c->n_markers; i++)
    if (marker_visible(cv, &c->markers[i])) m[n++] = &c->markers[i];
  qsort(m, n, sizeof *m, by_x);
  double y = cv->y1 + cv->marker_band / 2, last_end = -1e9;
  set_rgb(cv, 0xb0, 0xb0, 0xb0);
  pl_flinewidth_r(cv->pl, 0.8);
  pl_flinedash_r(cv->pl, 2, dots, 0);
  for (size_t i = 0; i < n; i++) { /* guide lines for scaling markers only */
    if (m[i]->kind == OUT_MARK_EVENT) continue;
    double x = map_x(cv, m[i]->x);
    pl_fline_r(cv->pl, x, cv->y0, x, cv->y1);
  }
  for (size_t i = 0; i < n; i++) {
    double x = map_x(cv, m[i]->x);
    if (m[i]->kind == OUT_MARK_EVENT) event_tick(cv, x, y);
    else triangle(cv, x, y, m[i]->kind == OUT_MARK_UP);
  }
  set_font(cv, FONT_MARK, false);
  for (size_t i = 0; i < n; i++) {
    if (!m[i]->label) continue;
    double x = map_x(cv, m[i]->x) + 7, w = text_width(cv, m[i]->label);
    /* A label may cover the thin ticks of plain events (on a white patch),
     * never another triangle or label. */
    double limit = cv->x1;
    for (size_t k = i + 1; k < n; k++)
      if (m[k]->kind != OUT_MARK_EVENT) {
        limit = map_x(cv, m[k]->x) - 6;
        break;
      }
    if (x < last_end + 4 || x + w > limit) continue;
    set_fill_rgb(cv, 0xff, 0xff, 0xff);
    pl_pentype_r(cv->pl, 0);
    fill_on(cv);
    pl_fbox_r(cv->pl, x - 1, y - FONT_MARK / 2.0 - 1, x + w + 1, y + FONT_MARK / 2.0 + 1);
    no_fill(cv);
    pl_pentype_r(cv->pl, 1);
    set_rgb(cv, 0x33, 0x33, 0x33);
    text(cv, x, y, 'l', 'c', m[i]->label);
    last_end = x + w;
  }
  free(m);
}

static void legend_sample(canvas *cv, const legend_entry *e, double x, double y) {
  const pen *p = &palette[e->color];
  switch (e->kind) {
  case LEG_LINE:
    use_pen(cv, p);
    pl_fline_r(cv->pl, x, y, x + LEGEND_SAMPLE, y);
    break;
  case LEG_AREA:
  case LEG_BAND:
    set_tint(cv, p, e->kind == LEG_AREA ? 0.22 : 0.18);
    pl_pentype_r(cv->pl, 0);
    fill_on(cv);
    pl_fbox_r(cv->pl, x, y - 5, x + LEGEND_SAMPLE, y + 5);
    no_fill(cv);
    pl_pentype_r(cv->pl, 1);
    if (e->kind == LEG_AREA) {
      use_pen(cv, p);
      pl_fline_r(cv->pl, x, y + 5, x + LEGEND_SAMPLE, y + 5);
    }
    break;
  case LEG_UP:
  case LEG_DOWN:
    triangle(cv, x + LEGEND_SAMPLE / 2.0, y, e->kind == LEG_UP);
    break;
  case LEG_EVENT:
    event_tick(cv, x + LEGEND_SAMPLE / 2.0, y);
    break;
  case LEG_POINT:
    point_mark(cv, e->color, x + LEGEND_SAMPLE / 2.0, y);
    break;
  }
}

static void legend(canvas *cv, const legend_entry *e, size_t n) {
  double x = cv->x0, y = cv->legend_top;
  for (size_t i = 0; i < n; i++) {
    set_font(cv, FONT_LEGEND, false);
    double w = legend_entry_width(cv, &e[i]);
    if (x > cv->x0 && x + w > cv->x1) {
      x = cv->x0;
      y -= LEGEND_ROW;
    }
    legend_sample(cv, &e[i], x, y);
    set_rgb(cv, 0x11, 0x11, 0x11);
    set_font(cv, FONT_LEGEND, false);
    text(cv, x + LEGEND_SAMPLE + 5, y, 'l', 'c', e[i].label);
    x += w;
  }
}

static void draw(canvas *cv) {
  const out_chart *c = cv->c;
  legend_entry leg[MAX_LEGEND];
  size_t n_leg = legend_entries(c, leg);
  build_axes(cv);
  layout(cv, leg, n_leg);
  grid(cv);
  for (size_t i = 0; i < c->n_bands; i++) band_fill(cv, &c->bands[i]);
  for (size_t i = 0; i < c->n_series; i++)
    if (c->series[i].style == OUT_AREA) area_fill(cv, &c->series[i]);
  if (c->n_bars) bars(cv);
  hlines(cv);
  series_lines(cv);
  if (c->n_markers) markers(cv);
  axes(cv);
  titles(cv);
  legend(cv, leg, n_leg);
}

/* Draws the chart on a new plotter of `type` writing to out. */
static int render(const out_chart *c, const char *type, FILE *out, sim_error *err) {
  char size[32];
  snprintf(size, sizeof size, "%dx%d", c->spec.width_px, c->spec.height_px);
  plPlotterParams *params = pl_newplparams();
  pl_setplparam(params, "BITMAPSIZE", size);
  /* Long polylines and area fills must stay one path (libplot splits paths
   * beyond MAX_LINE_LENGTH points, which would break fills). */
  pl_setplparam(params, "MAX_LINE_LENGTH", "100000");
  plPlotter *pl = pl_newpl_r(type, NULL, out, NULL, params);
  if (!pl) {
    pl_deleteplparams(params);
    return sim_errorf(err, SIM_EFAIL, "libplot: cannot create a %s plotter", type);
  }
  int rc = SIM_OK;
  if (pl_openpl_r(pl) < 0) {
    rc = sim_errorf(err, SIM_EFAIL, "libplot: cannot open the %s plotter", type);
  } else {
    canvas cv = {.pl = pl, .svg = strcmp(type, "svg") == 0, .c = c,
                 .w = c->spec.width_px, .h = c->spec.height_px};
    pl_fspace_r(pl, 0, 0, cv.w, cv.h);
    pl_joinmod_r(pl, "round");
    draw(&cv);
    if (pl_closepl_r(pl) < 0)
      rc = sim_errorf(err, SIM_EFAIL, "libplot: cannot finish the %s output", type);
  }
  pl_deletepl_r(pl);
  pl_deleteplparams(params);
  return rc;
}

/* --- SVG post-processing ------------------------------------------------------ */

typedef struct strbuf {
  char *s;
  size_t len, cap;
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = sim_xrealloc(b->s, b->cap);
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void sb_str(strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* Appends s as XML text: ASCII only (as plain() gives libplot), escaped. */
static void sb_xml(strbuf *b, const char *s) {
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '&') sb_str(b, "&amp;");
    else if (ch == '<') sb_str(b, "&lt;");
    else if (ch == '>') sb_str(b, "&gt;");
    else sb_add(b, ch >= 0x20 && ch < 0x7f ? s : "?", 1);
  }
}

/* Copies src up to `from` (exclusive) into b and returns the position after
 * the first occurrence of `until` at or after from, or NULL when either is
 * missing. */
static const char *replace_span(strbuf *b, const char **src, const char *from,
                                const char *until) {
  const char *start = strstr(*src, from);
  if (!start) return NULL;
  const char *end = strstr(start + strlen(from), until);
  if (!end) return NULL;
  sb_add(b, *src, (size_t)(start - *src));
  *src = end + strlen(until);
  return *src;
}

/* Rewrites libplot's SVG (raw) for a pixel-sized, id-free document. libplot
 * maps the page onto a unit square (viewBox 0 0 1 1, preserveAspectRatio none)
 * and scales the drawing into it; we give the root the chart's pixel size, flip
 * the y axis directly, and drop the ids body/background/content, which would
 * repeat when several charts are inlined in one HTML page. */
static int svg_rewrite(const out_chart *c, const char *raw, strbuf *out, sim_error *err) {
  char buf[512];
  int w = c->spec.width_px, h = c->spec.height_px;
  const char *p = raw;
  if (!replace_span(out, &p, "<svg ", ">")) goto bad;
  snprintf(buf, sizeof buf,
           "<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
           "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">",
           w, h, w, h);
  sb_str(out, buf);
  if (!replace_span(out, &p, "<title>", "</title>")) goto bad;
  sb_str(out, "<title>");
  sb_xml(out, c->spec.title ? c->spec.title : "chart");
  sb_str(out, "</title>");
  if (!replace_span(out, &p, "<rect id=\"background\"", "/>")) goto bad;
  snprintf(buf, sizeof buf,
           "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" stroke=\"none\" fill=\"white\"/>",
           w, h);
  sb_str(out, buf);
  if (!replace_span(out, &p, "<g id=\"content\" transform=\"", "\"")) goto bad;
  snprintf(buf, sizeof buf, "<g transform=\"translate(0,%d) scale(1,-1)\"", h);
  sb_str(out, buf);
  sb_str(out, p);
  return SIM_OK;
bad:
  return sim_errorf(err, SIM_EFAIL,
                    "libplot: unexpected SVG output (root element, title, background or "
                    "content group not found)");
}

int out_chart_svg(const out_chart *c, char **svg, size_t *len, sim_error *err) {
  char *raw = NULL;
  size_t raw_len = 0;
  *svg = NULL;
  *len = 0;
  FILE *mem = open_memstream(&raw, &raw_len);
  if (!mem) return sim_errorf(err, SIM_EFAIL, "cannot open a memory stream for the SVG");
  int rc = render(c, "svg", mem, err);
  if (fclose(mem) != 0 && rc == SIM_OK)
    rc = sim_errorf(err, SIM_EFAIL, "cannot finish the SVG in memory");
  strbuf out = {0};
  if (rc == SIM_OK) rc = svg_rewrite(c, raw, &out, err);
  free(raw);
  if (rc != SIM_OK) {
    free(out.s);
    return rc;
  }
  *svg = out.s;
  *len = out.len;
  return SIM_OK;
}

static int write_svg(const out_chart *c, const char *path, sim_error *err) {
  char *svg;
  size_t len;
  int rc = out_chart_svg(c, &svg, &len, err);
  if (rc) return rc;
  out_file *f = out_file_open(path, err);
  if (!f) {
    free(svg);
    return err ? err->status : SIM_EFAIL;
  }
  fwrite(svg, 1, len, out_file_stream(f));
  free(svg);
  return out_file_commit(f, err);
}

static int write_png(const out_chart *c, const char *path, sim_error *err) {
  out_file *f = out_file_open(path, err);
  if (!f) return err ? err->status : SIM_EFAIL;
  int rc = render(c, "png", out_file_stream(f), err);
  if (rc) {
    out_file_abort(f);
    return rc;
  }
  return out_file_commit(f, err);
}

int out_chart_write(const out_chart *c, const char *path_base, unsigned formats,
                    sim_error *err) {
  char path[4096];
  int rc = SIM_OK;
  if (formats & OUT_PLOT_SVG) {
    snprintf(path, sizeof path, "%s.svg", path_base);
    rc = write_svg(c, path, err);
  }
  if (rc == SIM_OK && (formats & OUT_PLOT_PNG)) {
    snprintf(path, sizeof path, "%s.png", path_base);
    rc = write_png(c, path, err);
  }
  return rc;
}
