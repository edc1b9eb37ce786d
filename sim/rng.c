/* rng.c — named random streams (see rng.h): a fixed mix of the scenario seed
 * and the stream's name gives each source its own GSL mt19937 generator.
 *
 * The mix (stable across versions: changing it changes every result):
 *   stream seed      = M(M(seed + G) ^ FNV1a64(name)), remapped to NONZERO if 0
 *   replication seed = M(seed + r * G) for r > 0 (the r-th output of a
 *                      SplitMix64 generator started at seed), seed for r = 0
 * where M is the SplitMix64 output function and G its increment, the 64-bit
 * golden ratio (Steele, Lea & Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; constants from Vigna's splitmix64.c). */
#include "sim/rng.h"

#include "sim/error.h"

#define SPLITMIX_GAMMA UINT64_C(0x9e3779b97f4a7c15)
#define FNV1A_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV1A_PRIME UINT64_C(0x100000001b3)
/* Stands in for a mixed value of 0, which must never seed a stream. */
#define NONZERO_SEED UINT64_C(0x2545f4914f6cdd1d)

/* SplitMix64's output function: a bijection of 64-bit words (M(0) = 0). */
static uint64_t splitmix64_mix(uint64_t z) {
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* FNV-1a, 64-bit, over the bytes of a NUL-terminated string. */
static uint64_t fnv1a64(const char *s) {
  uint64_t h = FNV1A_OFFSET;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    h ^= *p;
    h *= FNV1A_PRIME;
  }
  return h;
}

uint64_t sim_rng_seed(uint64_t seed, const char *name) {
  SIM_ASSERT(name != NULL);
  uint64_t z = splitmix64_mix(splitmix64_mix(seed + SPLITMIX_GAMMA) ^ fnv1a64(name));
  return z ? z : NONZERO_SEED;
}

/* GSL's mt19937 keeps only the low 32 bits of its seed and silently replaces 0
 * by 4357 (gsl/rng/mt.c, mt_set), so the 64-bit seed is folded to 32 bits —
 * every bit counts — and a fold of 0 is remapped rather than left to GSL. */
static unsigned long mt19937_seed(uint64_t seed64) {
  uint32_t folded = (uint32_t)(seed64 ^ (seed64 >> 32));
  return folded ? folded : (uint32_t)NONZERO_SEED;
}

gsl_rng *sim_rng_alloc(uint64_t seed, const char *name) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r) {
    fprintf(stderr, "scalesim: out of memory (random stream %s)\n", name);
    abort();
  }
  gsl_rng_set(r, mt19937_seed(sim_rng_seed(seed, name)));
  return r;
}

uint64_t sim_rng_replication_seed(uint64_t seed, unsigned r) {
  if (r == 0) return seed;
  return splitmix64_mix(seed + (uint64_t)r * SPLITMIX_GAMMA);
}
