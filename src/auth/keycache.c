/* keycache.c: see keycache.h. A small fixed table, replaced round robin:
 * bounded memory whatever the number of users. */
#include "first.h"
#include "keycache.h"

#include <string.h>

#define KEYCACHE_USERS 128
#define KEYCACHE_NAME 256

struct entry {
	char username[KEYCACHE_NAME];
	struct cached_key keys[KEYCACHE_KEYS];
	size_t n;
	int used;
};

static struct entry table[KEYCACHE_USERS]; /* process cache, see header */
static size_t next_victim;

static struct entry *find(const char *username)
{
	for (size_t i = 0; i < KEYCACHE_USERS; i++)
		if (table[i].used && strcmp(table[i].username, username) == 0)
			return &table[i];
	return NULL;
}

const struct cached_key *keycache_get(const char *username, size_t *n)
{
	const struct entry *e = find(username);
	if (!e)
		return NULL;
	*n = e->n;
	return e->keys;
}

void keycache_put(const char *username, const struct cached_key *keys, size_t n)
{
	if (strlen(username) >= KEYCACHE_NAME)
		return;
	struct entry *e = find(username);
	if (!e) {
		e = &table[next_victim];
		next_victim = (next_victim + 1) % KEYCACHE_USERS;
	}
	memset(e, 0, sizeof(*e));
	strcpy(e->username, username);
	e->n = n < KEYCACHE_KEYS ? n : KEYCACHE_KEYS;
	memcpy(e->keys, keys, e->n * sizeof(*keys));
	e->used = 1;
}

void keycache_drop(const char *username)
{
	struct entry *e = find(username);
	if (e)
		memset(e, 0, sizeof(*e));
}
