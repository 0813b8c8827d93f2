/* dbroute.h: where a read request runs (API.md section 15). A process
 * object over the primary's connection and one per db.replicas entry: it
 * picks the replica of this process, checks it at most once per
 * db.replica_check_interval (down? further behind than db.replica_max_lag?),
 * and waits for a client's consistency token there before a read uses it.
 * Whatever goes wrong, the read runs on the primary. */
#ifndef DBROUTE_H
#define DBROUTE_H
#include "first.h"
#include <stddef.h>

struct config;
struct db;
struct request;

/* NULL when db.replicas is empty (nothing to route) or on ENOMEM (then
 * *failed is set). primary is borrowed; the replicas' objects are owned. */
struct dbroute *dbroute_new(const struct config *cfg, struct db *primary, int *failed);
void dbroute_free(struct dbroute *d);

/* 1 if s (len bytes) is a GTID list as the server writes one
 * ("0-1-42,1-2-7"), 0 if not: what X-Consistency-Token must be. */
int dbroute_token_valid(const char *s, size_t len);

/* For a read outside any transaction: sets r->db to this process's replica
 * when it is up, not too far behind and (with a token, a valid GTID list or
 * NULL) has applied token within db.replica_wait_timeout; else leaves
 * r->db on the primary. Records nothing in r. d may be NULL. */
void dbroute_read(struct dbroute *d, struct request *r, const char *token);

#endif
