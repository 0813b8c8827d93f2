/* ttlcache.c: see ttlcache.h. A slot is a header, the key and the value,
 * laid out in one block; lookups scan the slots comparing a 64-bit hash
 * first (a few hundred slots: well under a microsecond). */
#include "first.h"
#include "ttlcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
	uint64_t hash;
	long long loaded_ns;
	size_t klen;
	int used;
};

struct ttlcache {
	size_t slots, key_max, value_size, stride;
	long long ttl_ns;
	size_t next_victim;
	unsigned char *mem;
};

/* Rounded up to 8 bytes, so every slot's value is aligned for any field. */
static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

struct ttlcache *ttlcache_new(size_t slots, size_t key_max, size_t value_size, long ttl_ms)
{
	struct ttlcache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->slots = slots ? slots : 1;
	c->key_max = key_max;
	c->value_size = value_size;
	c->stride = align8(sizeof(struct slot)) + align8(key_max) + align8(value_size);
	c->ttl_ns = ttl_ms > 0 ? (long long)ttl_ms * 1000000LL : 0;
	c->mem = malloc(c->slots * c->stride);
	if (!c->mem) {
		free(c);
		return NULL;
	}
	memset(c->mem, 0, c->slots * c->stride); /* resident now, not as it fills */
	return c;
}

void ttlcache_free(struct ttlcache *c)
{
	if (!c)
		return;
	free(c->mem);
	free(c);
}

long long ttlcache_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct slot *slot_at(const struct ttlcache *c, size_t i)
{
	return (struct slot *)(void *)(c->mem + i * c->stride);
}

static unsigned char *slot_key(struct slot *s)
{
	return (unsigned char *)s + align8(sizeof(*s));
}

static unsigned char *slot_value(const struct ttlcache *c, struct slot *s)
{
	return slot_key(s) + align8(c->key_max);
}

/* FNV-1a. */
static uint64_t hash_of(const void *key, size_t klen)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < klen; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static struct slot *find(const struct ttlcache *c, const void *key, size_t klen, uint64_t h)
{
	for (size_t i = 0; i < c->slots; i++) {
		struct slot *s = slot_at(c, i);
		if (s->used && s->hash == h && s->klen == klen && memcmp(slot_key(s), key, klen) == 0)
			return s;
	}
	return NULL;
}

const void *ttlcache_get(struct ttlcache *c, const void *key, size_t klen)
{
	if (!c || !c->ttl_ns || klen > c->key_max)
		return NULL;
	struct slot *s = find(c, key, klen, hash_of(key, klen));
	if (!s)
		return NULL;
	if (ttlcache_now() - s->loaded_ns >= c->ttl_ns) {
		s->used = 0; /* stale: the caller asks the database again */
		return NULL;
	}
	return slot_value(c, s);
}

/* A slot for a new key: a free or stale one, else the next victim round
 * robin. */
static struct slot *victim(struct ttlcache *c, long long now)
{
	for (size_t i = 0; i < c->slots; i++) {
		struct slot *s = slot_at(c, i);
		if (!s->used || now - s->loaded_ns >= c->ttl_ns)
			return s;
	}
	struct slot *s = slot_at(c, c->next_victim);
	c->next_victim = (c->next_victim + 1) % c->slots;
	return s;
}

void ttlcache_put(struct ttlcache *c, const void *key, size_t klen, const void *value,
		  long long loaded_ns)
{
	if (!c || !c->ttl_ns || klen > c->key_max)
		return;
	uint64_t h = hash_of(key, klen);
	struct slot *s = find(c, key, klen, h);
	if (!s)
		s = victim(c, ttlcache_now());
	s->hash = h;
	s->loaded_ns = loaded_ns;
	s->klen = klen;
	s->used = 1;
	memcpy(slot_key(s), key, klen);
	memcpy(slot_value(c, s), value, c->value_size);
}

void ttlcache_drop(struct ttlcache *c, const void *key, size_t klen)
{
	if (!c || klen > c->key_max)
		return;
	struct slot *s = find(c, key, klen, hash_of(key, klen));
	if (s)
		s->used = 0;
}

void ttlcache_flush(struct ttlcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->slots; i++)
		slot_at(c, i)->used = 0;
}
