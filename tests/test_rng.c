/* test_rng.c — tests of the named random streams (sim/rng.c): reproducibility,
 * independence of names and seeds, the never-0 rule (reached on purpose by
 * inverting the documented mix), and replication seeds. */
#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/rng.h"
#include "tests/check.h"

enum { DRAWS = 1000 };

/* The number of the first DRAWS draws on which two streams agree. */
static int agreeing_draws(gsl_rng *a, gsl_rng *b) {
  int same = 0;
  for (int i = 0; i < DRAWS; i++) same += gsl_rng_get(a) == gsl_rng_get(b);
  return same;
}

static int agreeing_named(uint64_t seed_a, const char *name_a, uint64_t seed_b,
                          const char *name_b) {
  gsl_rng *a = sim_rng_alloc(seed_a, name_a), *b = sim_rng_alloc(seed_b, name_b);
  int same = agreeing_draws(a, b);
  gsl_rng_free(a);
  gsl_rng_free(b);
  return same;
}

static void test_reproducible(void) {
  CHECK_INT(agreeing_named(42, "arrivals", 42, "arrivals"), DRAWS,
            "same seed and name: same sequence");
  CHECK(sim_rng_seed(42, "arrivals") == sim_rng_seed(42, "arrivals"), "same 64-bit seed");
}

static void test_independent(void) {
  /* mt19937 outputs are 32-bit: two unrelated streams agree on ~0 of 1000 */
  CHECK(agreeing_named(42, "arrivals", 42, "service") <= 2, "different names: different sequences");
  CHECK(agreeing_named(42, "ecs/launch", 42, "ecs/launcH") <= 2,
        "names differing in one letter: different sequences");
  CHECK(agreeing_named(42, "arrivals", 43, "arrivals") <= 2, "different seeds: different sequences");
  CHECK(agreeing_named(0, "", 1, "") <= 2, "seeds 0 and 1, empty name: different sequences");
  CHECK(sim_rng_seed(42, "a") != sim_rng_seed(42, "b"), "different names: different seeds");
  CHECK(sim_rng_seed(1, "x") != sim_rng_seed(2, "x"), "different seeds: different mixed seeds");
}

/* --- the never-0 rule, reached by inverting the mix documented in rng.c ---- */

#define GAMMA UINT64_C(0x9e3779b97f4a7c15)
#define MUL1 UINT64_C(0xbf58476d1ce4e5b9)
#define MUL2 UINT64_C(0x94d049bb133111eb)

static uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * MUL1;
  z = (z ^ (z >> 27)) * MUL2;
  return z ^ (z >> 31);
}

/* Inverse of x ^= x >> shift. */
static uint64_t unxorshift(uint64_t y, int shift) {
  uint64_t x = y;
  for (int i = 0; i < 64 / shift + 1; i++) x = y ^ (x >> shift);
  return x;
}

/* Multiplicative inverse of an odd a modulo 2^64 (Newton's iteration). */
static uint64_t inv_odd(uint64_t a) {
  uint64_t x = a;
  for (int i = 0; i < 6; i++) x *= 2 - a * x;
  return x;
}

static uint64_t unmix(uint64_t z) {
  z = unxorshift(z, 31) * inv_odd(MUL2);
  z = unxorshift(z, 27) * inv_odd(MUL1);
  return unxorshift(z, 30);
}

static uint64_t fnv1a(const char *s) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (; *s; s++) h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
  return h;
}

/* The scenario seed whose mix for `name` is `target` before any remapping. */
static uint64_t seed_mixing_to(uint64_t target, const char *name) {
  return unmix(unmix(target) ^ fnv1a(name)) - GAMMA;
}

static void test_never_zero(void) {
  CHECK(unmix(mix(UINT64_C(0x123456789abcdef))) == UINT64_C(0x123456789abcdef),
        "test helper: unmix inverts mix");
  uint64_t probe = seed_mixing_to(UINT64_C(0xfeedface12345678), "probe");
  CHECK(sim_rng_seed(probe, "probe") == UINT64_C(0xfeedface12345678),
        "the mix is the one documented in rng.c");

  uint64_t zero = seed_mixing_to(0, "arrivals");
  CHECK(sim_rng_seed(zero, "arrivals") != 0, "a mix of 0 is remapped: seed never 0");

  /* a 64-bit seed whose 32-bit fold is 0 must not reach GSL as 0 (GSL would
   * silently use its default seed 4357) */
  uint64_t fold0 = UINT64_C(0x0000000700000007);
  uint64_t s = seed_mixing_to(fold0, "svc");
  CHECK(sim_rng_seed(s, "svc") == fold0, "constructed seed mixes to a fold-0 value");
  gsl_rng *named = sim_rng_alloc(s, "svc");
  gsl_rng *gsl_zero = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(gsl_zero, 0);
  CHECK(agreeing_draws(named, gsl_zero) <= 2, "fold 0 does not seed mt19937 with 0");
  gsl_rng_free(named);
  gsl_rng_free(gsl_zero);

  uint64_t zeros = 0;
  for (uint64_t seed = 0; seed < 10000; seed++) zeros += sim_rng_seed(seed, "x") == 0;
  CHECK_INT(zeros, 0, "no zero seed among 10000 scenario seeds");
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static void test_replication(void) {
  CHECK(sim_rng_replication_seed(42, 0) == 42, "replication 0 is the seed itself");
  CHECK(sim_rng_replication_seed(0, 0) == 0, "replication 0 of seed 0 is 0");
  enum { REPS = 1000 };
  uint64_t seeds[REPS];
  int equal_to_seed = 0;
  for (unsigned r = 1; r <= REPS; r++) {
    seeds[r - 1] = sim_rng_replication_seed(42, r);
    equal_to_seed += seeds[r - 1] == 42;
  }
  qsort(seeds, REPS, sizeof seeds[0], cmp_u64);
  int duplicates = 0;
  for (int i = 1; i < REPS; i++) duplicates += seeds[i] == seeds[i - 1];
  CHECK_INT(equal_to_seed, 0, "replications r > 0 differ from the seed");
  CHECK_INT(duplicates, 0, "replications 1..%d have distinct seeds", REPS);
  CHECK(sim_rng_replication_seed(42, 1) == mix(42 + GAMMA),
        "replication r is the r-th SplitMix64 output from seed");
  CHECK(sim_rng_replication_seed(42, 7) == sim_rng_replication_seed(42, 7),
        "replication seeds are reproducible");
  CHECK(agreeing_named(sim_rng_replication_seed(42, 1), "arrivals",
                       sim_rng_replication_seed(42, 2), "arrivals") <= 2,
        "replications 1 and 2 draw different arrivals");
}

int main(void) {
  check_init();
  test_reproducible();
  test_independent();
  test_never_zero();
  test_replication();
  return check_done();
}
