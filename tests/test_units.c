/* test_units.c — tests of unit parsing and duration formatting (sim/units.c):
 * every unit, spacing, bad inputs with the exact message written to `why`,
 * and round trips through sim_format_duration and sim_parse_duration. */
#include <gsl/gsl_rng.h>
#include <math.h>

#include "sim/error.h"
#include "sim/units.h"
#include "tests/check.h"

typedef int (*parse_fn)(const char *, double *, char *, size_t);

typedef struct good_case {
  const char *text;
  double want;
} good_case;

typedef struct bad_case {
  const char *text;
  const char *why;
} bad_case;

#define MIB 1048576.0

/* Each good case must parse to exactly the value its unit defines. */
static void check_good(parse_fn parse, const char *kind, const good_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double v = -12345;
    char why[256] = "";
    int rc = parse(cases[i].text, &v, why, sizeof why);
    CHECK_INT(rc, 0, "%s '%s' parses (%s)", kind, cases[i].text, why);
    CHECK_REL(v, cases[i].want, 0, "%s '%s' value", kind, cases[i].text);
  }
}

/* Each bad case must fail with SIM_ESCENARIO, say exactly what was expected,
 * and leave the output untouched. */
static void check_bad(parse_fn parse, const char *kind, const bad_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double v = -12345;
    char why[256] = "";
    int rc = parse(cases[i].text, &v, why, sizeof why);
    CHECK_INT(rc, SIM_ESCENARIO, "%s '%s' is rejected", kind, cases[i].text);
    CHECK_STR(why, cases[i].why, "%s '%s' message", kind, cases[i].text);
    CHECK_REL(v, -12345, 0, "%s '%s' leaves the output untouched", kind, cases[i].text);
  }
}

#define N(a) (sizeof(a) / sizeof *(a))

static const char DURATION[] = "expected a duration such as 250ms, 45s, 15m or 2h";
static const char DURATION_UNIT[] =
    "expected a duration unit (ns, us, ms, s, m, min, h or d) after the number";
static const char DURATION_NEG[] = "expected a duration >= 0, such as 250ms, 45s, 15m or 2h";

static void test_durations(void) {
  static const good_case good[] = {
      {"10ns", 10 / 1e9},  {"5us", 5 / 1e6},    {"250ms", 0.25},     {"45s", 45},
      {"15m", 900},        {"3min", 180},       {"2h", 7200},        {"1.5d", 129600},
      {"30", 30},          {"0", 0},            {"250 ms", 0.25},    {"  2h  ", 7200},
      {".5s", 0.5},        {"1e3ms", 1},        {"+3s", 3},          {"-0s", 0},
      {"0.1s", 0.1},       {"100ms", 100 / 1e3}, {"2.5e-1 s", 0.25}, {"7d", 7 * 86400.0}};
  check_good(sim_parse_duration, "duration", good, N(good));
  static const bad_case bad[] = {
      {"", DURATION},          {"   ", DURATION},       {"abc", DURATION},
      {"ms", DURATION},        {"nan", DURATION},       {"inf", DURATION},
      {"-inf", DURATION},      {"infinity s", DURATION}, {"1e999s", DURATION},
      {"1e308d", DURATION},    {"0x10s", DURATION},     {"250 msec", DURATION_UNIT},
      {"250MS", DURATION_UNIT}, {"5 s x", DURATION_UNIT}, {"5e", DURATION_UNIT},
      {"2hours", DURATION_UNIT}, {"1,5s", DURATION_UNIT}, {"-5s", DURATION_NEG},
      {"-1", DURATION_NEG}};
  check_bad(sim_parse_duration, "duration", bad, N(bad));
  double v = 1;
  CHECK_INT(sim_parse_duration(NULL, &v, NULL, 0), SIM_ESCENARIO, "duration NULL rejected");
  CHECK_INT(sim_parse_duration("x", &v, NULL, 0), SIM_ESCENARIO, "why may be NULL");
  char small[8];
  sim_parse_duration("x", &v, small, sizeof small);
  CHECK_STR(small, "expecte", "why is truncated to its buffer");
}

static const char SIZE[] = "expected a size such as 512MiB, 2GiB or 512Mi";
static const char SIZE_UNIT[] =
    "expected a size unit (B, kB, KB, MB, GB, TB, KiB, MiB, GiB, TiB, or Kubernetes' "
    "k, M, G, T, Ki, Mi, Gi, Ti) after the number";
static const char SIZE_NEG[] = "expected a size >= 0, such as 512MiB, 2GiB or 512Mi";

static void test_sizes(void) {
  static const good_case good[] = {
      {"1048576B", 1},       {"1B", 1 / MIB},      {"1kB", 1e3 / MIB},  {"1KB", 1e3 / MIB},
      {"1MB", 1e6 / MIB},    {"1GB", 1e9 / MIB},   {"1TB", 1e12 / MIB}, {"1024KiB", 1},
      {"512MiB", 512},       {"2GiB", 2048},       {"1TiB", MIB},       {"1k", 1e3 / MIB},
      {"1M", 1e6 / MIB},     {"1G", 1e9 / MIB},    {"1T", 1e12 / MIB},  {"1Ki", 1 / 1024.0},
      {"512Mi", 512},        {"2Gi", 2048},        {"1Ti", MIB},        {"256", 256},
      {"0.5 GiB", 512},      {"0", 0},             {"3.5GB", 3.5e9 / MIB}};
  check_good(sim_parse_size, "size", good, N(good));
  CHECK_REL(1e9 / MIB, 953.67431640625, 0, "1GB is exactly 953.67431640625 MiB");
  static const bad_case bad[] = {{"", SIZE},          {"MiB", SIZE},          {"nan", SIZE},
                                 {"512mb", SIZE_UNIT}, {"512m", SIZE_UNIT},    {"2 gib", SIZE_UNIT},
                                 {"1Pi", SIZE_UNIT},   {"512MiBs", SIZE_UNIT}, {"-1GiB", SIZE_NEG},
                                 {"1e303TiB", SIZE}};
  check_bad(sim_parse_size, "size", bad, N(bad));
}

static const char PERCENT[] = "expected a percentage such as 60% or 60";

static void test_percents(void) {
  static const good_case good[] = {{"60%", 60},     {"60", 60},   {"12.5 %", 12.5},
                                   {"-30%", -30},   {"0%", 0},    {"150%", 150}};
  check_good(sim_parse_percent, "percent", good, N(good));
  static const bad_case bad[] = {{"", PERCENT},      {"%", PERCENT},   {"60 pct", PERCENT},
                                 {"60%%", PERCENT},  {"nan%", PERCENT}, {"0.6 x", PERCENT}};
  check_bad(sim_parse_percent, "percent", bad, N(bad));
}

static const char RATE[] = "expected a rate such as 100/s, 1200/min or 36000/h";
static const char RATE_UNIT[] =
    "expected a rate unit (/s, /min, /h, or / and another duration unit) after the number";
static const char RATE_NEG[] = "expected a rate >= 0, such as 100/s, 1200/min or 36000/h";

static void test_rates(void) {
  static const good_case good[] = {{"100", 100},        {"100/s", 100},    {"1200/min", 20},
                                   {"36000/h", 10},      {"60/m", 1},       {"86400/d", 1},
                                   {"2/ms", 2000},       {"100 / s", 100},  {"0.5/s", 0.5},
                                   {"1/min", 1 / 60.0},  {"0", 0}};
  check_good(sim_parse_rate, "rate", good, N(good));
  static const bad_case bad[] = {{"", RATE},              {"/s", RATE},            {"inf/s", RATE},
                                 {"100/sec", RATE_UNIT},  {"100/", RATE_UNIT},     {"100 per s", RATE_UNIT},
                                 {"100/s/s", RATE_UNIT},  {"100s", RATE_UNIT},     {"-5/s", RATE_NEG},
                                 {"1e308/ns", RATE}};
  check_bad(sim_parse_rate, "rate", bad, N(bad));
}

static const char NUMBER[] = "expected a number such as 42 or 0.5";

static void test_numbers(void) {
  static const good_case good[] = {{"42", 42}, {"-1.5", -1.5}, {"1e3", 1000}, {" 7 ", 7}, {"0", 0}};
  check_good(sim_parse_number, "number", good, N(good));
  static const bad_case bad[] = {{"", NUMBER},    {"42x", NUMBER}, {"nan", NUMBER},
                                 {"0x1p3", NUMBER}, {"1 2", NUMBER}, {"60%", NUMBER}};
  check_bad(sim_parse_number, "number", bad, N(bad));
}

/* --- formatting -------------------------------------------------------------- */

static void test_format(void) {
  static const struct {
    double s;
    const char *want;
  } cases[] = {{0.25, "250ms"}, {45, "45s"},     {900, "15m"},   {7200, "2h"},   {1.5, "1.5s"},
               {0, "0s"},       {86400, "1d"},   {90, "90s"},    {60, "1m"},     {0.1, "0.1s"},
               {1e-6, "1us"},   {1e-9, "1ns"},   {129600, "36h"}, {0.5, "0.5s"}, {300, "5m"},
               {-2, "-2s"},     {INFINITY, "inf"}, {-0.0, "0s"}};
  char buf[64];
  for (size_t i = 0; i < N(cases); i++)
    CHECK_STR(sim_format_duration(cases[i].s, buf, sizeof buf), cases[i].want,
              "format %g s", cases[i].s);
  char tiny[4];
  CHECK_STR(sim_format_duration(0.25, tiny, sizeof tiny), "250", "format truncates to len");

  static const char *const canonical[] = {"250ms", "45s", "15m", "2h", "1.5s", "0s", "3d",
                                          "12us", "7ns", "2.5h", "1.25s"};
  for (size_t i = 0; i < N(canonical); i++) {
    double v;
    sim_parse_duration(canonical[i], &v, NULL, 0);
    CHECK_STR(sim_format_duration(v, buf, sizeof buf), canonical[i], "'%s' round-trips",
              canonical[i]);
  }
}

/* Random durations from 1 ns to 1e7 s, with many short decimal ones (as
 * scenarios write them): each formatted text must parse back exactly. */
static void test_format_round_trip(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 99);
  enum { SAMPLES = 20000 };
  int failures = 0;
  char buf[64];
  for (int i = 0; i < SAMPLES; i++) {
    double s = pow(10, -9 + 16 * gsl_rng_uniform(r));
    if (i % 2) s = round(s * 1000) / 1000; /* millisecond values */
    double back = -1;
    int rc = sim_parse_duration(sim_format_duration(s, buf, sizeof buf), &back, NULL, 0);
    if (rc || back != s) {
      if (failures++ < 5) fprintf(stderr, "round trip: %.17g -> %s -> %.17g\n", s, buf, back);
    }
  }
  CHECK_INT(failures, 0, "%d random durations round-trip exactly", SAMPLES);
  gsl_rng_free(r);
}

int main(void) {
  check_init();
  test_durations();
  test_sizes();
  test_percents();
  test_rates();
  test_numbers();
  test_format();
  test_format_round_trip();
  return check_done();
}
