/* report_notes.h — the report's notes: sentences that explain the differences
 * between platforms, computed from a run's data (report_data.h).
 *
 * The largest surge: the biggest rise in the arrival rate within
 * OUT_SURGE_WINDOW_S — from the lowest interval rate to a later higher one —
 * that is both at least half the rate it rose from and four standard
 * deviations of Poisson noise (the counts' square roots) above it, so steady
 * Poisson traffic has none. It begins with the first interval whose rate is a
 * quarter of the way up. Each platform's reaction is then measured from that
 * start: the first decision that raised the desired count (decisions.csv), the
 * first interval whose mean ready count rose by at least half an instance, the
 * decisions in between as evidence, and p99 latency and errors over
 * OUT_SURGE_IMPACT_S after it. */
#ifndef OUT_REPORT_NOTES_H
#define OUT_REPORT_NOTES_H

#include <stdbool.h>
#include <stddef.h>

#include "output/report_data.h"

#define OUT_SURGE_WINDOW_S 600.0  /* a surge rises within 10 minutes */
#define OUT_SURGE_IMPACT_S 900.0  /* its effects are looked for over 15 minutes */

typedef struct out_surge {
  double start_s;      /* start of the first interval of the rise */
  double peak_s;       /* start of the interval where the rise peaks */
  double rate_before;  /* arrivals/s in the lowest interval before it */
  double rate_peak;    /* arrivals/s at the peak */
} out_surge;

/* Finds the largest surge in the arrivals of the run's first platform with a
 * time series. Returns false when there is none (steady traffic, or no data). */
bool out_find_surge(const out_run *run, out_surge *s);

/* A list of notes, plain text (the renderers escape it). */
typedef struct out_notes {
  char **v;
  size_t n, cap;
} out_notes;

/* Appends the notes of run: the surge and each platform's reaction to it, then
 * the comparisons of cost, latency, errors, cold starts and utilisation. */
void out_notes_build(const out_run *run, out_notes *notes);
void out_notes_free(out_notes *notes); /* frees the entries, not notes itself */

/* Formats seconds as a short duration ("120 ms", "1.5 s", "45 s", "3 min 10 s",
 * "2 h 5 min") and
 * a run time as a clock from the start ("10:02", "1:02:03"). Return buf. */
char *out_fmt_duration(double s, char *buf, size_t len);
char *out_fmt_clock(double s, char *buf, size_t len);

#endif
