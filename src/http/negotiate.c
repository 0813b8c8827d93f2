/* negotiate.c: see negotiate.h. Media types compare case-insensitively;
 * a media range with q=0 admits nothing. */
#include "first.h"
#include "negotiate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JSONAPI "application/vnd.api+json"

struct range_info {
	int jsonapi_plain;  /* JSON:API listed without parameters (q aside) */
	int jsonapi_params; /* JSON:API listed with parameters */
	int json;           /* application/json, application/ any, or any/any */
};

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims [*s, *e) of spaces. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

static int eq(const char *s, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(e - s) == n && strncasecmp(s, lit, n) == 0;
}

/* Examines one media range [s, e): type plus ;params. */
static void scan_range(const char *s, const char *e, struct range_info *ri)
{
	const char *semi = memchr(s, ';', (size_t)(e - s));
	const char *te = semi ? semi : e;
	const char *ts = s;
	trim(&ts, &te);
	int other_params = 0;
	double q = 1.0;
	const char *p = semi;
	while (p && p < e) {
		const char *ps = p + 1;
		const char *pe = memchr(ps, ';', (size_t)(e - ps));
		if (!pe)
			pe = e;
		const char *a = ps, *b = pe;
		trim(&a, &b);
		if (b - a >= 2 && (a[0] == 'q' || a[0] == 'Q') && a[1] == '=') {
			char tmp[16];
			size_t n = (size_t)(b - a - 2);
			if (n >= sizeof(tmp))
				n = sizeof(tmp) - 1;
			memcpy(tmp, a + 2, n);
			tmp[n] = '\0';
			q = strtod(tmp, NULL);
		} else if (b > a) {
			other_params = 1;
		}
		p = pe < e ? pe : NULL;
	}
	if (q <= 0.0)
		return;
	if (eq(ts, te, JSONAPI)) {
		if (other_params)
			ri->jsonapi_params = 1;
		else
			ri->jsonapi_plain = 1;
	} else if (eq(ts, te, "application/json") || eq(ts, te, "application/*") ||
		   eq(ts, te, "*/*")) {
		ri->json = 1;
	}
}

static void scan_accept(const char *accept, struct range_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	const char *s = accept;
	while (*s) {
		const char *e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		scan_range(s, e, ri);
		s = *e ? e + 1 : e;
	}
}

/* The media type of a Content-Type value, without parameters. */
static void media_type(const char *ct, const char **s, const char **e, int *has_params)
{
	*s = ct;
	const char *semi = strchr(ct, ';');
	*e = semi ? semi : ct + strlen(ct);
	trim(s, e);
	*has_params = 0;
	if (semi) {
		const char *p = semi + 1;
		while (*p && is_space(*p))
			p++;
		*has_params = *p != '\0';
	}
}

enum nego_result negotiate(const char *accept, const char *content_type)
{
	int accept_given = accept && *accept;
	struct range_info ri = { 0, 0, 0 };
	if (accept_given)
		scan_accept(accept, &ri);

	int ct_jsonapi = 0, ct_jsonapi_params = 0, ct_json = 0, ct_given = 0;
	if (content_type && *content_type) {
		const char *s, *e;
		int params;
		media_type(content_type, &s, &e, &params);
		ct_given = 1;
		if (eq(s, e, JSONAPI)) {
			ct_jsonapi = !params;
			ct_jsonapi_params = params;
		}
		ct_json = eq(s, e, "application/json");
	}

	if (ct_jsonapi_params)
		return NEGO_415;
	if (ri.jsonapi_plain || ri.jsonapi_params)
		return ri.jsonapi_plain ? NEGO_JSONAPI : NEGO_406_JSONAPI;
	if (ct_jsonapi) {
		if (accept_given && !ri.json)
			return NEGO_406_JSONAPI;
		return NEGO_JSONAPI;
	}
	if (accept_given && !ri.json)
		return NEGO_406_PLAIN_ACCEPT;
	if (ct_given && !ct_json)
		return NEGO_406_PLAIN_CTYPE;
	return NEGO_PLAIN;
}
