/* bench_parse.c — trace-parsing throughput: writes a Common Log Format file
 * and a CSV file of at least 200 MB each under /tmp (or DIR given as the
 * argument), replays each through the whole trace pipeline (parser, re-order
 * window, spreading, durations) and prints, per format, one line:
 *   `parse-FORMAT  RECORDS records  SECONDS s  MB/s  M records/s  PEAK_RSS_MIB`.
 * The files are removed afterwards. Peak RSS shows that memory stays flat
 * however large the file (the reader holds one buffer). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "workloads/trace.h"

#define TARGET_BYTES (210.0 * 1000 * 1000) /* >= 200 MB */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const paths[] = {"/images/launch-logo.gif", "/shuttle/countdown/",
                                    "/history/apollo/apollo-13/apollo-13.html",
                                    "/api/v1/items?id=12345", "/index.html"};

/* Writes a CLF file of about TARGET_BYTES: 10 requests a second, in order. */
static long write_clf(const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  long n = 0;
  double bytes = 0;
  time_t t0 = 807235200; /* 1995-08-01 */
  while (bytes < TARGET_BYTES) {
    time_t t = t0 + n / 10;
    struct tm tm;
    gmtime_r(&t, &tm);
    int w = fprintf(f, "host%ld.example.com - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"GET %s "
                       "HTTP/1.0\" %d %ld\n",
                    n % 5000, tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                    tm.tm_min, tm.tm_sec, paths[n % 5], n % 17 ? 200 : 304, 1000 + n % 9000);
    bytes += w;
    n++;
  }
  fclose(f);
  return n;
}

/* Writes a CSV file of about TARGET_BYTES with ISO times in ms and durations. */
static long write_csv(const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "time,host,method,url,status,bytes,duration_ms\n");
  long n = 0;
  double bytes = 0;
  while (bytes < TARGET_BYTES) {
    long ms = n * 37;
    time_t t = 1700000000 + ms / 1000;
    struct tm tm;
    gmtime_r(&t, &tm);
    int w = fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ,10.0.%ld.%ld,GET,\"%s\",200,%ld,%ld\n",
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                    tm.tm_sec, ms % 1000, n % 256, n % 251, paths[n % 5], 1000 + n % 9000,
                    5 + n % 300);
    bytes += w;
    n++;
  }
  fclose(f);
  return n;
}

static double file_mb(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  double mb = ftell(f) / 1e6;
  fclose(f);
  return mb;
}

/* Replays path as format; prints the line; 0 on success. */
static int replay(const char *name, const char *path, int format, const char *duration_column,
                  long expected) {
  wl_trace_cfg c;
  memset(&c, 0, sizeof c);
  sim_error err;
  if (cfg_defaults(&wl_trace_schema, &c, &err)) return fprintf(stderr, "%s\n", err.msg), 1;
  c.path = strdup(path);
  c.format = format;
  if (duration_column) {
    free(c.duration_column);
    c.duration_column = strdup(duration_column);
    c.duration_unit = WL_UNIT_MS;
  }
  wl_transform_cfg tf;
  wl_transform_defaults(&tf);
  wl_dist d = {.kind = WL_DIST_CONSTANT, .value = 0.1};
  double t = now_s();
  wl_source *src = NULL;
  int rc = wl_trace_open(&c, &tf, &d, 0.5, 0, 1, &src, &err);
  long n = 0;
  wl_request r;
  if (rc == 0)
    while ((rc = wl_next(src, &r, &err)) == 1) n++;
  double wall = now_s() - t;
  if (src) wl_source_free(src);
  cfg_free(&wl_trace_schema, &c);
  if (rc < 0 || n != expected) {
    fprintf(stderr, "bench_parse: %s: %s (read %ld of %ld)\n", name, rc < 0 ? err.msg : "short",
            n, expected);
    return 1;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double mb = file_mb(path);
  printf("%-28s %12ld records %8.2f s %8.1f MB/s %8.2f M rec/s %8.1f MiB peak RSS\n", name, n,
         wall, mb / wall, n / wall / 1e6, ru.ru_maxrss / 1024.0);
  return 0;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  char clf[512], csv[512];
  snprintf(clf, sizeof clf, "%s/scalesim_bench_parse.log", dir);
  snprintf(csv, sizeof csv, "%s/scalesim_bench_parse.csv", dir);
  long n_clf = write_clf(clf), n_csv = write_csv(csv);
  if (n_clf < 0 || n_csv < 0) {
    fprintf(stderr, "bench_parse: cannot write under %s\n", dir);
    return 1;
  }
  int rc = replay("parse-clf", clf, WL_FMT_CLF, NULL, n_clf);
  rc |= replay("parse-csv", csv, WL_FMT_CSV, "duration_ms", n_csv);
  remove(clf);
  remove(csv);
  return rc;
}
