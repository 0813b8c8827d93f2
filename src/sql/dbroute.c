/* dbroute.c: see dbroute.h. Lag is measured by position, which needs no
 * privilege and stays right when the replica's SQL thread is stopped
 * (Seconds_Behind_Master is NULL then): each check samples the primary's
 * @@gtid_binlog_pos, and a replica is current enough when it has applied
 * the oldest sample taken within the last db.replica_max_lag. A replica's
 * proven positions spare later tokens the wait. */
#include "first.h"
#include "dbroute.h"
#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "req.h"
#include "sql.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POS_MAX 1024    /* a GTID list: one entry per replication domain */
#define POS_DOMAINS 32  /* entries of a list we accept and compare */
#define SAMPLES 64      /* positions of the primary kept: the lag window */

enum rstate { RS_UNKNOWN, RS_OK, RS_DOWN, RS_LAGGING };
static const char *const state_names[] = { "unknown", "in use", "down", "lagging" };

struct replica {
	struct db *db;
	char name[300];          /* for the log: host:port or socket */
	enum rstate state;
	char proved[2][POS_MAX]; /* positions it was seen to have applied */
};

struct sample {
	long long t; /* ms, monotonic */
	char pos[POS_MAX];
};

struct dbroute {
	const struct config *cfg;
	struct db *primary;
	struct replica rep[CONFIG_MAX_REPLICAS];
	unsigned n, preferred;
	int current;          /* the replica reads use; -1: the primary */
	long long next_check; /* ms, monotonic */
	struct sample samples[SAMPLES];
	unsigned n_samples, next; /* a ring: next is where the next one goes */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct dbroute *dbroute_new(const struct config *cfg, struct db *primary, int *failed)
{
	*failed = 0;
	if (!cfg->n_replicas)
		return NULL;
	struct dbroute *d = calloc(1, sizeof(*d));
	if (!d) {
		*failed = 1;
		return NULL;
	}
	d->cfg = cfg;
	d->primary = primary;
	d->current = -1;
	for (unsigned i = 0; i < cfg->n_replicas; i++) {
		const struct config_replica *c = &cfg->replica[i];
		d->rep[i].db = db_new_replica(cfg, primary, c);
		if (c->socket[0])
			snprintf(d->rep[i].name, sizeof(d->rep[i].name), "%s", c->socket);
		else
			snprintf(d->rep[i].name, sizeof(d->rep[i].name), "%s:%u", c->host, c->port);
		if (!d->rep[i].db) {
			dbroute_free(d);
			*failed = 1;
			return NULL;
		}
		d->n++;
	}
	/* Processes spread over the replicas, each keeping to one. */
	d->preferred = (unsigned)getpid() % d->n;
	return d;
}

void dbroute_free(struct dbroute *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < d->n; i++)
		db_free(d->rep[i].db);
	free(d);
}

struct gtid {
	uint32_t domain;
	uint64_t seq;
};

/* Digits of s up to max (no sign, at most 20 digits); -1 if none or too big. */
static int parse_num(const char **s, const char *end, uint64_t max, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;
	if (p == end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > max)
		return -1;
	*s = p;
	*out = v;
	return 0;
}

/* "D-S-N[,D-S-N]..." into g (at most POS_DOMAINS entries); the count, or
 * -1 if s is not such a list. "" is an empty list (0). */
static int parse_gtids(const char *s, size_t len, struct gtid *g)
{
	const char *p = s, *end = s + len;
	int n = 0;
	if (len == 0)
		return 0;
	if (len >= POS_MAX)
		return -1;
	for (;;) {
		uint64_t d, srv, seq;
		if (n == POS_DOMAINS || parse_num(&p, end, UINT32_MAX, &d) < 0 || p == end ||
		    *p++ != '-' || parse_num(&p, end, UINT32_MAX, &srv) < 0 || p == end ||
		    *p++ != '-' || parse_num(&p, end, UINT64_MAX, &seq) < 0)
			return -1;
		g[n].domain = (uint32_t)d;
		g[n].seq = seq;
		n++;
		if (p == end)
			return n;
		if (*p++ != ',' || p == end)
			return -1;
	}
}

int dbroute_token_valid(const char *s, size_t len)
{
	struct gtid g[POS_DOMAINS];
	return len > 0 && parse_gtids(s, len, g) > 0;
}

/* Whether position `have` includes `want`: in every domain of want, have
 * holds that domain at the same or a later sequence number. */
static int covers(const char *have, const char *want)
{
	struct gtid h[POS_DOMAINS], w[POS_DOMAINS];
	int nh = parse_gtids(have, strlen(have), h), nw = parse_gtids(want, strlen(want), w);
	if (nh <= 0 || nw <= 0)
		return 0;
	for (int i = 0; i < nw; i++) {
		int found = 0;
		for (int j = 0; j < nh && !found; j++)
			found = h[j].domain == w[i].domain && h[j].seq >= w[i].seq;
		if (!found)
			return 0;
	}
	return 1;
}

static void set_state(struct request *r, struct replica *rp, enum rstate st)
{
	if (st != RS_OK)
		rp->proved[0][0] = rp->proved[1][0] = '\0';
	const char *why = st == RS_DOWN ? db_replica_error(rp->db) : "";
	if (rp->state != st && (rp->state != RS_UNKNOWN || st != RS_OK))
		log_msg(r->id, "replica %s: %s (was %s)%s%s", rp->name, state_names[st],
			state_names[rp->state], *why ? ": " : "", why);
	rp->state = st;
}

/* Has the replica applied pos, waiting up to wait_ms? RS_OK (and pos is
 * remembered in proved[slot]), RS_LAGGING or RS_DOWN. */
static enum rstate wait_for(struct request *r, struct replica *rp, const char *pos, long wait_ms,
			    int slot)
{
	if (!pos[0] || covers(rp->proved[0], pos) || covers(rp->proved[1], pos))
		return RS_OK;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT MASTER_GTID_WAIT(");
	sql_str(&q, pos, strlen(pos));
	sql_add(&q, ", ");
	sql_int(&q, wait_ms);
	sql_add(&q, " / 1000)");
	char out[16];
	int rc = db_probe(r, rp->db, &q, out, sizeof(out));
	if (rc == -1)
		return RS_DOWN;
	/* 0: applied; -1: not within the wait; a failed statement (NULL: an
	 * unusable position, or no right to ask): not current either. */
	if (rc < 0 || strcmp(out, "0") != 0)
		return RS_LAGGING;
	snprintf(rp->proved[slot], POS_MAX, "%s", pos);
	return RS_OK;
}

/* The oldest position the replica must have applied to be within
 * db.replica_max_lag: the oldest sample of the window (the newest one at
 * least). */
static const struct sample *window_start(const struct dbroute *d, long long now)
{
	const struct sample *best = NULL;
	for (unsigned k = 0; k < d->n_samples; k++) {
		const struct sample *s = &d->samples[(d->next + SAMPLES - 1 - k) % SAMPLES];
		if (best && s->t < now - d->cfg->db_replica_max_lag_ms)
			break;
		best = s;
	}
	return best;
}

/* The periodic check: a sample of the primary's position, then the
 * replicas from this process's own one on, until one is usable. */
static void check(struct dbroute *d, struct request *r, long long now)
{
	d->next_check = now + d->cfg->db_replica_check_interval_ms;
	d->current = -1;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT @@gtid_binlog_pos");
	char pos[POS_MAX];
	if (db_probe(r, d->primary, &q, pos, sizeof(pos)) < 0)
		return; /* the primary is in trouble: the read finds out */
	struct sample *s = &d->samples[d->next];
	memcpy(s->pos, pos, sizeof(pos));
	s->t = now;
	d->next = (d->next + 1) % SAMPLES;
	if (d->n_samples < SAMPLES)
		d->n_samples++;
	const struct sample *w = window_start(d, now);
	/* With no older sample (a young or long idle process) the replica
	 * gets the token wait to show it keeps up. */
	long wait = w->t == now ? d->cfg->db_replica_wait_ms : 0;
	for (unsigned k = 0; k < d->n; k++) {
		unsigned i = (d->preferred + k) % d->n;
		struct replica *rp = &d->rep[i];
		enum rstate st = wait_for(r, rp, w->pos, wait, 0);
		set_state(r, rp, st);
		if (st == RS_OK) {
			d->current = (int)i;
			return;
		}
	}
}

void dbroute_read(struct dbroute *d, struct request *r, const char *token)
{
	if (!d)
		return;
	long long now = now_ms();
	for (unsigned i = 0; i < d->n; i++) {
		if (!db_take_lost(d->rep[i].db))
			continue;
		set_state(r, &d->rep[i], RS_DOWN);
		if (d->current == (int)i) {
			d->current = -1;
			d->next_check = now; /* another replica may serve */
		}
	}
	if (now >= d->next_check)
		check(d, r, now);
	if (d->current < 0)
		return;
	struct replica *rp = &d->rep[d->current];
	if (token && *token) {
		enum rstate st = wait_for(r, rp, token, d->cfg->db_replica_wait_ms, 1);
		if (st == RS_DOWN) {
			set_state(r, rp, RS_DOWN);
			d->current = -1;
			d->next_check = now;
		}
		/* Behind the token (for now): this read goes to the primary,
		 * the replica stays in use. */
		if (st != RS_OK)
			return;
	}
	r->db = rp->db;
}
