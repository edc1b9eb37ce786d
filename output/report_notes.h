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
 * OUT_SURGE_IMPACT_S after it.
 *
 * Faults (models/faults.h): each "fault_begin" row of a platform's
 * decisions.csv (source "fault"; its window ends at the next "fault_end" row
 * with the same status) gets a note. With an SLO in the settings
 * (`slo.latency_p99`, scenario-wide), the recovery time is measured from the
 * fault's start to the start of the first interval from which p99 latency
 * stays at or under the SLO for OUT_FAULT_STABLE_INTERVALS intervals in a row,
 * counting from the interval the fault began in and after every breach up to
 * the interval its window ends in; an interval breaches when it had arrivals
 * and its p99 is above the SLO or absent (nothing completed). A recovery time
 * of 0 means p99 did not breach during the fault's window nor in the
 * intervals that confirm recovery. The errors "during" a fault are
 * those of the intervals from the one it began in up to the end of the stable
 * intervals that confirm recovery, or the end of its window, whichever is
 * later; without an SLO, or when p99 never recovers, up to OUT_SURGE_IMPACT_S
 * after the window's end. For faults that take instances, the note also says
 * when the mean ready count was back at its level before the fault (within
 * half an instance): the end of the first such interval after the one the
 * fault happened in. The level is the mean ready count of the interval before
 * the fault, or the desired count then when lower (an autoscaler does not
 * replace instances beyond its need).
 * OUT_FAULT_NOTES_MAX faults per platform get a note; the rest are counted. */
#ifndef OUT_REPORT_NOTES_H
#define OUT_REPORT_NOTES_H

#include <stdbool.h>
#include <stddef.h>

#include "output/report_data.h"

#define OUT_SURGE_WINDOW_S 600.0  /* a surge rises within 10 minutes */
#define OUT_SURGE_IMPACT_S 900.0  /* its effects are looked for over 15 minutes */
#define OUT_FAULT_STABLE_INTERVALS 6 /* recovered: p99 within the SLO this many intervals */
#define OUT_FAULT_NOTES_MAX 12       /* fault notes per platform */

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

/* Appends the notes of run: the surge and each platform's reaction to it, each
 * platform's faults and its recovery from them, then the comparisons of cost,
 * latency, errors, cold starts and utilisation. */
void out_notes_build(const out_run *run, out_notes *notes);
void out_notes_free(out_notes *notes); /* frees the entries, not notes itself */

/* Formats seconds as a short duration ("120 ms", "1.5 s", "45 s", "3 min 10 s",
 * "2 h 5 min") and
 * a run time as a clock from the start ("10:02", "1:02:03"). Return buf. */
char *out_fmt_duration(double s, char *buf, size_t len);
char *out_fmt_clock(double s, char *buf, size_t len);

#endif
