/* config.c: see config.h. A constant table describes every key once; the
 * file parser, the environment overrides and the dump all walk it. */
#include "first.h"
#include "config.h"
#include "maxima.h"
#include "num.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* K_MSEC: seconds with up to three decimals ("0.5"), kept in milliseconds. */
enum key_kind { K_STR, K_LONG, K_UINT, K_BOOL, K_MSEC };

struct key {
	const char *name;
	enum key_kind kind;
	size_t offset, size;
	long min, max;
	int secret;
};

#define STR(n, f) { n, K_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0, 0 }
#define LNG(n, f, lo, hi) { n, K_LONG, offsetof(struct config, f), 0, lo, hi, 0 }

static const struct key keys[] = {
	STR("db.host", db_host),
	{ "db.port", K_UINT, offsetof(struct config, db_port), 0, 0, 65535, 0 },
	STR("db.socket", db_socket),
	STR("db.user", db_user),
	{ "db.password", K_STR, offsetof(struct config, db_password),
	  sizeof(((struct config *)0)->db_password), 0, 0, 1 },
	STR("db.name", db_name),
	STR("base_url", base_url),
	LNG("default_page_size", default_page_size, 1, 100000),
	LNG("max_page_size", max_page_size, -1, 1000000000),
	LNG("max_related_entities", max_related_entities, 1, 100000),
	LNG("max_delete_entities", max_delete_entities, 1, 100000),
	LNG("max_include_depth", max_include_depth, 1, 10),
	LNG("max_included_items", max_included_items, 1, 100000),
	LNG("max_sort_fields", max_sort_fields, 1, 100),
	LNG("max_filter_value_length", max_filter_value_length, 1, 1000000),
	LNG("max_filter_items", max_filter_items, 1, 1000000),
	LNG("max_query_parameters", max_query_parameters, 1, 100000),
	LNG("db.statement_timeout", db_statement_timeout, 0, 86400),
	LNG("max_body_size", max_body_size, 1024, 1073741824),
	LNG("batch.max_body_size", batch_max_body_size, 1024, 1073741824),
	LNG("wsse.lifetime", wsse_lifetime, 1, 86400 * 7),
	LNG("wsse.max_clock_skew", wsse_max_clock_skew, 0, 86400),
	LNG("oauth.access_lifetime", oauth_access_lifetime, 1, 86400 * 7),
	LNG("oauth.refresh_lifetime", oauth_refresh_lifetime, 1, 86400 * 365),
	LNG("oauth.max_failures", oauth_max_failures, 1, 1000000),
	LNG("oauth.failure_window", oauth_failure_window, 1, 86400 * 30),
	{ "auth.cache_ttl", K_MSEC, offsetof(struct config, auth_cache_ttl_ms), 0, 0, 3600000, 0 },
	{ "plan.cache_ttl", K_MSEC, offsetof(struct config, plan_cache_ttl_ms), 0, 0, 3600000, 0 },
	STR("cors.allow_origins", cors_allow_origins),
	{ "api.enabled", K_BOOL, offsetof(struct config, api_enabled), 0, 0, 1, 0 },
};

static void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->db_host, sizeof(c->db_host), "localhost");
	snprintf(c->db_user, sizeof(c->db_user), "mariapi");
	snprintf(c->db_name, sizeof(c->db_name), "mariapi");
	c->default_page_size = 10;
	c->max_page_size = -1;
	c->max_related_entities = 1000;
	c->max_delete_entities = 100;
	c->max_include_depth = 3;
	c->max_included_items = 100;
	c->max_sort_fields = 5;
	c->max_filter_value_length = 1000;
	c->max_filter_items = 10000;
	c->max_query_parameters = 1000;
	c->db_statement_timeout = 10;
	c->max_body_size = 1048576;
	c->batch_max_body_size = 16777216;
	c->wsse_lifetime = 3600;
	c->wsse_max_clock_skew = 60;
	c->oauth_access_lifetime = 3600;
	c->oauth_refresh_lifetime = 86400 * 30;
	c->oauth_max_failures = 10;
	c->oauth_failure_window = 900;
	c->auth_cache_ttl_ms = 1000;
	c->plan_cache_ttl_ms = 10000;
	c->api_enabled = 1;
}

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* "S", "S." or "S.d", "S.dd", "S.ddd" seconds into milliseconds; -1 if not. */
static int parse_msec(const char *v, long *out)
{
	char *end;
	errno = 0;
	long s = strtol(v, &end, 10);
	if (errno || end == v || *v == '-' || *v == '+' || s > LONG_MAX / 1000 - 1)
		return -1;
	long ms = 0, scale = 100;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9' && scale; end++, scale /= 10)
			ms += (*end - '0') * scale;
	}
	if (*end)
		return -1;
	*out = s * 1000 + ms;
	return 0;
}

static int set_key(struct config *c, const struct key *k, const char *v,
		   const char *where, char *err, size_t errlen)
{
	char *field = (char *)c + k->offset;
	if (k->kind == K_STR) {
		if (strlen(v) >= k->size) {
			snprintf(err, errlen, "%s: value of %s is too long", where, k->name);
			return -1;
		}
		snprintf(field, k->size, "%s", v);
		return 0;
	}
	if (k->kind == K_BOOL) {
		if (parse_bool(v, (int *)(void *)field) < 0) {
			snprintf(err, errlen, "%s: %s must be true or false, not \"%s\"", where, k->name, v);
			return -1;
		}
		return 0;
	}
	if (k->kind == K_MSEC) {
		long ms;
		if (parse_msec(v, &ms) < 0 || ms < k->min || ms > k->max) {
			snprintf(err, errlen, "%s: %s must be seconds from %ld to %ld (up to three"
					      " decimals), not \"%s\"", where, k->name, k->min / 1000,
				 k->max / 1000, v);
			return -1;
		}
		*(long *)(void *)field = ms;
		return 0;
	}
	/* Like strtol, which read these values before: leading blanks and a
	 * '+' are allowed here (a config file is not client input). */
	const char *t = v;
	while (isspace((unsigned char)*t))
		t++;
	if (t[0] == '+' && t[1] >= '0' && t[1] <= '9')
		t++;
	int64_t n;
	if (num_parse_i64(t, strlen(t), k->min, k->max, &n) < 0) {
		snprintf(err, errlen, "%s: %s must be an integer from %ld to %ld, not \"%s\"",
			 where, k->name, k->min, k->max, v);
		return -1;
	}
	if (k->kind == K_UINT)
		*(unsigned *)(void *)field = (unsigned)n;
	else
		*(long *)(void *)field = n;
	return 0;
}

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int config_read_file(struct config *c, FILE *f, const char *path, char *err, size_t errlen)
{
	char line[MAX_CONFIG_LINE];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char where[600];
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s: expected \"key = value\"", where);
			return -1;
		}
		*eq = '\0';
		char *name = trim(s), *value = trim(eq + 1);
		size_t vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		const struct key *k = find_key(name);
		if (!k) {
			snprintf(err, errlen, "%s: unknown key \"%s\"", where, name);
			return -1;
		}
		if (set_key(c, k, value, where, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* db.host -> API_DB_HOST */
static void env_name(const char *key, char *out, size_t outlen)
{
	size_t o = snprintf(out, outlen, "API_");
	for (const char *p = key; *p && o + 1 < outlen; p++)
		out[o++] = (*p == '.') ? '_' : (char)toupper((unsigned char)*p);
	out[o] = '\0';
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	config_defaults(c);
	int explicit = 1;
	if (!path || !*path)
		path = getenv("API_CONFIG");
	if (!path || !*path) {
		path = CONFIG_DEFAULT_PATH;
		explicit = 0;
	}
	FILE *f = fopen(path, "r");
	if (f) {
		snprintf(c->path, sizeof(c->path), "%s", path);
		int rc = config_read_file(c, f, path, err, errlen);
		fclose(f);
		if (rc < 0)
			return -1;
	} else if (explicit || errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		char name[64];
		env_name(keys[i].name, name, sizeof(name));
		const char *v = getenv(name);
		if (v && set_key(c, &keys[i], v, name, err, errlen) < 0)
			return -1;
	}
	size_t bl = strlen(c->base_url);
	while (bl && c->base_url[bl - 1] == '/')
		c->base_url[--bl] = '\0';
	return 0;
}

void config_dump(const struct config *c, FILE *f)
{
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const struct key *k = &keys[i];
		const char *field = (const char *)c + k->offset;
		char name[64];
		env_name(k->name, name, sizeof(name));
		if (k->kind == K_STR)
			fprintf(f, "%-22s = %s\n", k->name, k->secret && *field ? "********" : field);
		else if (k->kind == K_LONG)
			fprintf(f, "%-22s = %ld\n", k->name, *(const long *)(const void *)field);
		else if (k->kind == K_MSEC)
			fprintf(f, "%-22s = %ld.%03ld\n", k->name, *(const long *)(const void *)field / 1000,
				*(const long *)(const void *)field % 1000);
		else if (k->kind == K_UINT)
			fprintf(f, "%-22s = %u\n", k->name, *(const unsigned *)(const void *)field);
		else
			fprintf(f, "%-22s = %s\n", k->name, *(const int *)(const void *)field ? "true" : "false");
	}
}
