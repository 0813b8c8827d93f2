/* config.h: the settings of section 13 plus the database connection.
 * One file (path from API_CONFIG, default CONFIG_DEFAULT_PATH) of
 * `key = value` lines; every key can be overridden by an environment variable
 * named API_ + the key upper-cased with dots as underscores (db.host ->
 * API_DB_HOST). Unknown keys and bad values are errors, reported at start-up. */
#ifndef CONFIG_H
#define CONFIG_H
#include "first.h"
#include <stdio.h>

#define CONFIG_DEFAULT_PATH "/etc/mariapi/api.conf"

struct config {
	char db_host[256];
	unsigned db_port;
	char db_socket[512];
	char db_user[128];
	char db_password[256];
	char db_name[128];
	char base_url[512];
	long default_page_size;
	long max_page_size;        /* -1: unlimited */
	long max_related_entities;
	long max_delete_entities;
	long max_include_depth;
	long max_included_items;   /* items in a write's "included" */
	long max_sort_fields;
	long max_filter_value_length; /* characters of one pattern-operator value */
	long max_filter_items;     /* items of one comma list */
	long max_query_parameters; /* distinct parameter names */
	long db_statement_timeout; /* seconds (max_statement_time); 0: none */
	long max_body_size;
	long batch_max_body_size;  /* bodies of PATCH /api/{type} (the batch API) */
	long wsse_lifetime;
	long wsse_max_clock_skew;
	long oauth_access_lifetime;
	long oauth_refresh_lifetime;
	long oauth_max_failures;   /* failed authentications per name or client ... */
	long oauth_failure_window; /* ... within this many seconds: then 429 */
	long auth_cache_ttl_ms;    /* auth.cache_ttl (seconds, fractions allowed) in ms */
	long plan_cache_ttl_ms;    /* plan.cache_ttl: list plans' estimates (sql/plan.c) */
	char cors_allow_origins[1024];
	int api_enabled;
	char path[512];            /* the file actually read, "" if none */
};

/* Fills c with defaults, the file at path (NULL: API_CONFIG or the default;
 * a missing default file is not an error), then the environment. Returns 0,
 * or -1 with a message in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* Writes every key with its value (passwords masked) to f, for check-config. */
void config_dump(const struct config *c, FILE *f);

#endif
