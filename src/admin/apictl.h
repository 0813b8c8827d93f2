/* apictl.h: what the apictl*.c files (the administration tool, section 14)
 * share: the tool's context (configuration, db.c connection and a request of
 * its own), error printing, lookups by name or id, and the entry point and
 * usage text of each command group. apictl.c dispatches to the groups. */
#ifndef APICTL_H
#define APICTL_H
#include "first.h"
#include "config.h"
#include "req.h"

#include <stdio.h>

struct ctl {
	struct config cfg;
	struct request r;
	struct transport io;
};

/* Exit status of a usage error (bad arguments). */
#define APICTL_USAGE 2

/* Prints "apictl: what" and the request's error details to stderr; returns
 * 1, the exit status of a failed command. */
int apictl_fail(struct ctl *c, const char *what);
/* Prints "apictl: <message>" to stderr; returns 1. */
int apictl_errf(const char *fmt, ...) ATTR_PRINTF(1, 2);
/* Prints text to stdout (status 0, asked with --help) or stderr (status
 * APICTL_USAGE, wrong arguments) and returns that status. */
int apictl_usage(const char *text, int asked);

/* Lookups: 0 found, 1 unknown (nothing printed), -1 database error. A
 * string of digits is matched as an id first, then as a name. */
int apictl_find_user(struct ctl *c, const char *username, long long *id, long long *org);
/* Any organization, by name or id; *enabled may be NULL. */
int apictl_find_org(struct ctl *c, const char *org, long long *id, int *enabled);
/* One of the user's organizations (user_organizations), by name or id. */
int apictl_find_user_org(struct ctl *c, long long user, const char *org, long long *out);
/* The id of the row whose text column equals value ("SELECT id FROM ...
 * WHERE col = ?", sql a literal): for printing the id of what was added. */
int apictl_id_of(struct ctl *c, const char *sql, const char *value, long long *id);

/* Command groups: argv[0] is the command's name. Each returns the exit
 * status. The usage texts cover every sub-command of the group. */
extern const char apictl_cred_apikey_usage[], apictl_cred_client_usage[],
	apictl_cred_token_usage[], apictl_cred_purge_usage[], apictl_cred_wsse_usage[];
int apictl_cred_apikey(struct ctl *c, int argc, char **argv);
int apictl_cred_client(struct ctl *c, int argc, char **argv);
int apictl_cred_token(struct ctl *c, int argc, char **argv);
int apictl_cred_purge(struct ctl *c, int argc, char **argv);
int apictl_cred_wsse(int argc, char **argv);

extern const char apictl_org_usage[];
int apictl_org_run(struct ctl *c, int argc, char **argv);
extern const char apictl_user_usage[];
int apictl_user_run(struct ctl *c, int argc, char **argv);
extern const char apictl_role_usage[];
int apictl_role_run(struct ctl *c, int argc, char **argv);

extern const char apictl_batch_usage[];
int apictl_batch_worker(struct ctl *c, int argc, char **argv);

extern const char apictl_db_migrate_usage[], apictl_db_seed_usage[];
int apictl_db_migrate(struct ctl *c, int argc, char **argv);
int apictl_db_seed(struct ctl *c, int argc, char **argv);

extern const char apictl_openapi_usage[];
int apictl_openapi_run(struct ctl *c, int argc, char **argv);

#endif
