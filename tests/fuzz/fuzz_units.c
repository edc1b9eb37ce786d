/* fuzz_units.c — libFuzzer harness for the unit parsers of sim/units.h.
 * Input: any bytes, as the text of a scenario value. Every sim_parse_* reads
 * it; the harness checks their contract: a result is finite (and >= 0 for
 * durations, sizes and rates); a failure leaves *out untouched and says what
 * was expected; and a parsed duration formats (sim_format_duration) to a text
 * that parses back to exactly the same value (also for the first 8 bytes
 * taken as a double). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/units.h"
#include "tests/fuzz/fuzz.h"

typedef int (*parse_fn)(const char *s, double *out, char *why, size_t why_len);

static const struct {
  parse_fn parse;
  int nonnegative;
} parsers[] = {
    {sim_parse_number, 0},  {sim_parse_duration, 1}, {sim_parse_size, 1},
    {sim_parse_percent, 0}, {sim_parse_rate, 1},
};

/* Runs one parser over text; returns its status and stores the value. */
static int check_parser(parse_fn parse, int nonnegative, const char *text, double *value) {
  const double sentinel = -12345.25;
  double out = sentinel;
  char why[256] = "";
  int rc = parse(text, &out, why, sizeof why);
  if (rc == 0) {
    FUZZ_CHECK(isfinite(out));
    if (nonnegative) FUZZ_CHECK(out >= 0 && !signbit(out));
  } else {
    FUZZ_CHECK(rc == SIM_ESCENARIO);
    FUZZ_CHECK(out == sentinel);
    FUZZ_CHECK(why[0] != '\0');
  }
  /* A NULL why must be accepted too, with the same verdict. */
  double again = sentinel;
  FUZZ_CHECK(parse(text, &again, NULL, 0) == rc);
  FUZZ_CHECK(rc != 0 || memcmp(&again, &out, sizeof out) == 0);
  *value = out;
  return rc;
}

/* sim_format_duration gives a text that sim_parse_duration reads back as
 * exactly the value formatted (units.h). */
static void check_duration_round_trip(double s) {
  char text[64];
  sim_format_duration(s, text, sizeof text);
  double back = -1;
  FUZZ_CHECK(sim_parse_duration(text, &back, NULL, 0) == 0);
  FUZZ_CHECK(back == s);
}

FUZZ_TARGET(units) {
  fuzz_init();
  char *text = fuzz_strndup(data, size);
  for (size_t i = 0; i < sizeof parsers / sizeof *parsers; i++) {
    double v;
    int rc = check_parser(parsers[i].parse, parsers[i].nonnegative, text, &v);
    if (rc == 0 && parsers[i].parse == sim_parse_duration) check_duration_round_trip(v);
  }
  /* Formatting any bit pattern never overruns, NaN and infinities included. */
  if (size >= sizeof(double)) {
    double raw;
    memcpy(&raw, data, sizeof raw);
    char small[8];
    sim_format_duration(raw, small, sizeof small);
    FUZZ_CHECK(strlen(small) < sizeof small);
    if (isfinite(raw) && raw >= 0) check_duration_round_trip(raw);
  }
  free(text);
  return 0;
}
