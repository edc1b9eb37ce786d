/* rng.h — named random streams.
 *
 * Every source of randomness (arrivals, service times, task launch times, each
 * platform's own draws) owns one GSL mt19937 stream, seeded from the scenario
 * seed and the stream's name by a fixed mix (SplitMix64 over the seed and the
 * FNV-1a hash of the name). Two sources never share a stream, so adding a draw
 * in one model never shifts the numbers another sees; and nothing is seeded
 * from the environment. The mixed seed is never 0. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The 64-bit seed for stream `name` under scenario seed `seed` (never 0). */
uint64_t sim_rng_seed(uint64_t seed, const char *name);

/* Allocates the named stream (mt19937 seeded from sim_rng_seed folded to the
 * 32 bits mt19937 uses, never 0); free with gsl_rng_free. Aborts when out of
 * memory, like sim_xmalloc. */
gsl_rng *sim_rng_alloc(uint64_t seed, const char *name);

/* The seed of replication r (0-based) of a scenario seeded `seed`; r = 0 gives
 * `seed` itself, so a single run and replication 0 agree. */
uint64_t sim_rng_replication_seed(uint64_t seed, unsigned r);

#endif
