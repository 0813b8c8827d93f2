/* uniq.c: see uniq.h. OpenSSL's RAND_bytes costs ~3.5 us a call here (its
 * generator's lock and a getpid() fork check, a system call): two of them
 * a WSSE request. Instead RAND_bytes seeds a start once per process, and
 * each value is splitmix64 of start + n * 0x9e37...: the step is odd and
 * the mix a bijection, so a process repeats nothing within 2^64 values,
 * and two processes collide only if their random starts lie within the
 * counts of each other. A forked child (batch job) seeds anew. */
#include "first.h"
#include "uniq.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Process state, not request state. */
static uint64_t uniq_start, uniq_count;
static int uniq_seeded, uniq_atfork_set;

static void uniq_forget(void)
{
	uniq_seeded = 0;
}

static void uniq_seed(void)
{
	if (RAND_bytes((unsigned char *)&uniq_start, sizeof(uniq_start)) != 1) {
		/* No generator: the clock and the pid keep processes apart. */
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		uniq_start = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
		uniq_start ^= (uint64_t)getpid() << 40;
	}
	uniq_count = 0;
	uniq_seeded = 1;
	if (!uniq_atfork_set && pthread_atfork(NULL, NULL, uniq_forget) == 0)
		uniq_atfork_set = 1;
}

void uniq_next(unsigned char out[UNIQ_LEN])
{
	if (!uniq_seeded)
		uniq_seed();
	uint64_t z = uniq_start + 0x9e3779b97f4a7c15u * ++uniq_count;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	memcpy(out, &z, UNIQ_LEN);
}
