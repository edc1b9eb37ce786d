/* trace_alb.c — AWS Application Load Balancer access logs, plain or as the
 * `.log.gz` files AWS delivers (specs/trace-formats.md §3.2; AWS, "Access logs
 * for your Application Load Balancer",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html).
 *
 * One space-separated request per line; quoted fields may hold spaces; AWS
 * appends fields over time, so extra trailing fields are ignored (§3.2).
 * `time` (field 2) is when the LB sent the response, so the arrival is
 * `request_creation_time` (field 22, when the LB received the request) when the
 * line has it, else time − (request + target + response processing times)
 * (§3.2 "Mapping to the simulator"). The duration is target_processing_time.
 * A processing time of -1 means the LB could not dispatch the request or the
 * target did not answer: the original system failed it. Such requests are
 * counted (wl_trace_origin_errors) and replayed with a drawn duration, or
 * dropped under `origin_errors: drop` — never silently. */
#include <math.h>
#include <string.h>

#include "workloads/linebuf.h"
#include "workloads/trace_csv.h"
#include "workloads/tstamp.h"

/* 0-based positions of the fields used (§3.2 table, 1-based there). */
enum {
  F_TIME = 1,
  F_REQUEST_PT = 5,
  F_TARGET_PT = 6,
  F_RESPONSE_PT = 7,
  F_ELB_STATUS = 8,
  F_SENT_BYTES = 11,
  F_REQUEST = 12,
  F_CREATION_TIME = 21,
  MIN_FIELDS = 13,
  MAX_FIELDS = 40 /* more are AWS additions we do not use */
};

/* The names of the first fields, for messages (§3.2 table). */
static const char *const field_names[F_CREATION_TIME + 1] = {
    "type", "time", "elb", "client:port", "target:port", "request_processing_time",
    "target_processing_time", "response_processing_time", "elb_status_code",
    "target_status_code", "received_bytes", "sent_bytes", "request", "user_agent",
    "ssl_cipher", "ssl_protocol", "target_group_arn", "trace_id", "domain_name",
    "chosen_cert_arn", "matched_rule_priority", "request_creation_time"};

struct wl_parser {
  wl_line_parser line; /* first: env and lb (wl_line_parser_open) */
  char *field[MAX_FIELDS];
  size_t len[MAX_FIELDS];
  int n;
};

static int open_alb(const char *path, wl_parse_env *env, wl_parser **out, sim_error *err) {
  return wl_line_parser_open(path, env, "alb", sizeof(wl_parser), out, err);
}

/* Splits the line in place into fields (quotes removed, NUL-terminated).
 * Returns false on an unterminated quote. */
static bool split(wl_parser *p, char *s) {
  p->n = 0;
  while (*s) {
    while (*s == ' ') s++;
    if (!*s) break;
    char *start = s, *end;
    if (*s == '"') {
      start = ++s;
      while (*s && *s != '"') s += (*s == '\\' && s[1]) ? 2 : 1;
      if (!*s) return false;
      end = s++;
    } else {
      while (*s && *s != ' ') s++;
      end = s;
    }
    if (*s) s++;
    if (p->n < MAX_FIELDS) {
      p->field[p->n] = start;
      p->len[p->n] = (size_t)(end - start);
      p->n++;
    }
    *end = '\0';
  }
  return true;
}

static int fail(wl_parser *p, sim_error *err, int f, const char *what) {
  sim_errorf(err, SIM_EINPUT, "%s:%ld: %s: %s, got '%.60s'", wl_linebuf_path(p->line.lb),
             wl_linebuf_lineno(p->line.lb), field_names[f], what, p->field[f]);
  return -1;
}

/* The longest processing time taken as real: far above the largest idle
 * timeout an ALB allows (4000 s), and small enough that arrivals computed
 * from it stay finite. */
#define MAX_PROCESSING_S 1e9

/* A processing time: seconds >= 0, or -1 (not dispatched / no response). */
static int processing_time(wl_parser *p, int f, double *out, sim_error *err) {
  if (!wl_parse_decimal(p->field[f], p->len[f], out, NULL) || (*out < 0 && *out != -1) ||
      *out > MAX_PROCESSING_S)
    return fail(p, err, f, "expected seconds >= 0 or -1");
  return 0;
}

typedef struct alb_fields {
  double arrival_s, res_s, duration_s, bytes;
  int status;
  bool failed; /* a processing time was -1 */
} alb_fields;

static int parse_times(wl_parser *p, alb_fields *a, sim_error *err) {
  double sent, pt[3];
  if (!wl_parse_iso8601(p->field[F_TIME], p->len[F_TIME], &sent, &a->res_s))
    return fail(p, err, F_TIME, "expected an ISO 8601 time");
  for (int i = 0; i < 3; i++)
    if (processing_time(p, F_REQUEST_PT + i, &pt[i], err)) return -1;
  a->failed = pt[0] < 0 || pt[1] < 0 || pt[2] < 0;
  a->duration_s = pt[1] >= 0 ? pt[1] : NAN;
  const char *created = p->n > F_CREATION_TIME ? p->field[F_CREATION_TIME] : "-";
  if (strcmp(created, "-") != 0) {
    if (!wl_parse_iso8601(created, p->len[F_CREATION_TIME], &a->arrival_s, &a->res_s))
      return fail(p, err, F_CREATION_TIME, "expected an ISO 8601 time");
    return 0;
  }
  a->arrival_s = sent - fmax(pt[0], 0) - fmax(pt[1], 0) - fmax(pt[2], 0);
  return 0;
}

static int parse_line(wl_parser *p, char *line, alb_fields *a, sim_error *err) {
  const char *path = wl_linebuf_path(p->line.lb);
  long ln = wl_linebuf_lineno(p->line.lb);
  if (!split(p, line))
    return wl_rec_fail(err, "%s:%ld: line: unterminated quoted field", path, ln);
  if (p->n < MIN_FIELDS)
    return wl_rec_fail(err,
                       "%s:%ld: %s: missing (the line has %d fields; an ALB log line has at "
                       "least %d)",
                       path, ln, field_names[p->n], p->n, MIN_FIELDS);
  if (parse_times(p, a, err)) return -1;
  double v;
  if (strcmp(p->field[F_ELB_STATUS], "-") == 0) a->status = 0;
  else if (!wl_parse_decimal(p->field[F_ELB_STATUS], p->len[F_ELB_STATUS], &v, NULL) ||
           v != floor(v) || v < 100 || v > 999)
    return fail(p, err, F_ELB_STATUS, "expected a status code");
  else a->status = (int)v;
  if (strcmp(p->field[F_SENT_BYTES], "-") == 0) a->bytes = 0;
  else if (!wl_parse_decimal(p->field[F_SENT_BYTES], p->len[F_SENT_BYTES], &a->bytes, NULL) ||
           a->bytes < 0)
    return fail(p, err, F_SENT_BYTES, "expected a byte count");
  return 0;
}

/* The URL of "METHOD url PROTOCOL", NUL-terminated in place. */
static const char *request_url(char *req) {
  char *sp = strchr(req, ' ');
  if (!sp) return req;
  char *u = sp + 1, *end = strchr(u, ' ');
  if (end) *end = '\0';
  return u;
}

static int read_alb(wl_parser *p, wl_rec *out, sim_error *err) {
  for (;;) {
    char *line;
    size_t len;
    int rc = wl_linebuf_next(p->line.lb, &line, &len, err);
    if (rc < 0) return rc;
    if (rc == 0) return 0;
    if (len == 0) continue;
    alb_fields a;
    if (parse_line(p, line, &a, err) != 0) {
      rc = wl_parse_bad_record(p->line.env, err);
      if (rc) return rc;
      continue;
    }
    if (!wl_filter_accepts(p->line.env->filter, request_url(p->field[F_REQUEST]), a.status, NULL)) {
      p->line.env->counts->filtered++;
      continue;
    }
    if (a.failed) {
      p->line.env->counts->origin_errors++;
      if (p->line.env->cfg->origin_errors == WL_ORIGIN_ERRORS_DROP) continue;
    }
    *out = (wl_rec){wl_spread_in(p->line.env, a.arrival_s, a.res_s), a.arrival_s, a.duration_s, NAN,
                    a.bytes, a.status, wl_linebuf_lineno(p->line.lb)};
    return 1;
  }
}

const wl_format wl_format_alb = {"alb", false, open_alb, read_alb, NULL, wl_line_parser_free};
