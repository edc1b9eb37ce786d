/* trace_clf.c — Common and Combined Log Format (Apache, nginx, the NASA-HTTP
 * logs; specs/trace-formats.md §3.1):
 *
 *   host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes ["referer" "agent"]
 *
 * The time is when the request was received, in the zone of its offset
 * (§3.1 note 1: an explicit month table, no locale). It has one-second
 * resolution: the requests of one second are spread uniformly over that second
 * (§3.1 note 2) by the "workload/spread" stream, so a replay is deterministic
 * from the seed; `spread: none` keeps them at the whole second. Lines are close
 * to time order but not guaranteed (§3.1 note 4): the re-order window sorts
 * them. The request field may hold stray quotes (§3.1: "stray quotes and
 * garbage"): it ends at the first quote followed by a status and a byte count.
 * The host is whatever precedes the first space, so IPv6 clients need nothing
 * special. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "workloads/linebuf.h"
#include "workloads/trace_csv.h"
#include "workloads/tstamp.h"

struct wl_parser {
  wl_line_parser line; /* first: env and lb (wl_line_parser_open) */
};

static int open_clf(const char *path, wl_parse_env *env, wl_parser **out, sim_error *err) {
  return wl_line_parser_open(path, env, "clf", sizeof(wl_parser), out, err);
}

/* Does s hold ` DDD N` (status, then a byte count or '-') at a field edge? */
static bool status_follows(const char *s) {
  if (s[0] != ' ') return false;
  for (int i = 1; i <= 3; i++)
    if (!isdigit((unsigned char)s[i])) return false;
  if (s[4] != ' ') return false;
  return s[5] == '-' || isdigit((unsigned char)s[5]);
}

/* The end of the quoted request starting after the opening quote at s:
 * the closing quote, skipping backslash escapes; NULL when none is found. */
static char *request_end(char *s) {
  for (char *q = s; *q; q++) {
    if (*q == '\\' && q[1]) {
      q++;
      continue;
    }
    if (*q == '"' && status_follows(q + 1)) return q;
  }
  /* No status after any quote: a lone closing quote still delimits it. */
  for (char *q = s; *q; q++) {
    if (*q == '\\' && q[1]) q++;
    else if (*q == '"') return q;
  }
  return NULL;
}

/* The target of a request line "METHOD target PROTOCOL", NUL-terminated in place. */
static const char *request_target(char *req) {
  char *sp = strchr(req, ' ');
  if (!sp) return req;
  char *t = sp + 1, *end = strchr(t, ' ');
  if (end) *end = '\0';
  return t;
}

typedef struct clf_fields {
  double t_s;
  int status;
  double bytes;
  const char *url;
} clf_fields;

/* Parses one line; 0 on success, -1 with err set. The line is modified. */
static int parse_line(wl_parser *p, char *line, clf_fields *f, sim_error *err) {
  const char *path = wl_linebuf_path(p->line.lb);
  long ln = wl_linebuf_lineno(p->line.lb);
  char *lb = strchr(line, '[');
  char *rb = lb ? strchr(lb, ']') : NULL;
  if (!lb || !rb)
    return wl_rec_fail(err, "%s:%ld: time: missing (no [...] field)", path, ln);
  if (!wl_parse_clf_time(lb + 1, (size_t)(rb - lb - 1), &f->t_s))
    return wl_rec_fail(err, "%s:%ld: time: expected [dd/Mon/yyyy:HH:MM:SS +hhmm], got '[%.*s]'",
                       path, ln, (int)(rb - lb - 1 < 40 ? rb - lb - 1 : 40), lb + 1);
  char *q = rb + 1;
  while (*q == ' ') q++;
  if (*q != '"')
    return wl_rec_fail(err, "%s:%ld: request: expected a quoted request line",
                         path, ln);
  char *req = q + 1, *req_end = request_end(req);
  if (!req_end)
    return wl_rec_fail(err, "%s:%ld: request: no closing quote", path, ln);
  char *s = req_end + 1;
  *req_end = '\0';
  while (*s == ' ') s++;
  char *st_end = s;
  while (*st_end && *st_end != ' ') st_end++;
  int n = (int)(st_end - s);
  if (n != 3 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
      !isdigit((unsigned char)s[2]))
    return wl_rec_fail(err, "%s:%ld: status: expected a 3-digit code, got '%.*s'",
                         path, ln, n < 20 ? n : 20, s);
  f->status = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
  char *b = st_end;
  while (*b == ' ') b++;
  char *b_end = b;
  while (*b_end && *b_end != ' ') b_end++;
  size_t bn = (size_t)(b_end - b);
  if (bn == 1 && b[0] == '-') f->bytes = 0; /* CLF writes '-' for no body */
  else if (!wl_parse_decimal(b, bn, &f->bytes, NULL) || f->bytes < 0)
    return wl_rec_fail(err, "%s:%ld: bytes: expected a byte count or '-', got '%.*s'", path, ln,
                       (int)(bn < 20 ? bn : 20), b);
  f->url = request_target(req);
  return 0;
}

static int read_clf(wl_parser *p, wl_rec *out, sim_error *err) {
  for (;;) {
    char *line;
    size_t len;
    int rc = wl_linebuf_next(p->line.lb, &line, &len, err);
    if (rc < 0) return rc;
    if (rc == 0) return 0;
    if (len == 0) continue;
    clf_fields f;
    if (parse_line(p, line, &f, err) != 0) {
      rc = wl_parse_bad_record(p->line.env, err);
      if (rc) return rc;
      continue;
    }
    if (!wl_filter_accepts(p->line.env->filter, f.url, f.status, NULL)) {
      p->line.env->counts->filtered++;
      continue;
    }
    *out = (wl_rec){wl_spread_in(p->line.env, f.t_s, 1.0), f.t_s, NAN, NAN, f.bytes, f.status,
                    wl_linebuf_lineno(p->line.lb)};
    return 1;
  }
}

const wl_format wl_format_clf = {"clf", false, open_clf, read_clf, NULL, wl_line_parser_free};
