/* cors.c: see cors.h. cors.allow_origins is a list of origins separated by
 * commas or spaces ("https://app.example.com, https://admin.example.com"),
 * compared exactly but for case; "*" admits every origin. Empty (the
 * default): no CORS header at all. Credentials travel in X-WSSE or
 * Authorization, never in cookies, so echoing the origin is safe. */
#include "first.h"
#include "cors.h"
#include "config.h"

#include <string.h>
#include <strings.h>

#define ALLOW_HEADERS                                                                      \
	"Authorization,Content-Type,X-Include,X-WSSE,If-Match,If-None-Match,X-Mode,X-Consistency-Token"
/* Section 13's list; X-Include-* spelled out (a "*" there is no wildcard
 * for requests with credentials). */
#define EXPOSE_HEADERS                                                                     \
	"Location,Content-Location,ETag,Retry-After,X-Request-Id,X-Include-Total-Count,"   \
	"X-Include-Deleted-Count,X-Consistency-Token"

/* The Access-Control-Allow-Origin value for this request, or NULL. */
static const char *admitted(const struct request *r)
{
	const char *origin = req_param(r, "HTTP_ORIGIN");
	const char *list = r->cfg->cors_allow_origins;
	if (!origin || !*origin || !list[0])
		return NULL;
	size_t olen = strlen(origin);
	for (const char *p = list; *p;) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if (n == 1 && *p == '*')
			return origin;
		if (n && n == olen && strncasecmp(p, origin, n) == 0)
			return origin;
		p += n;
	}
	return NULL;
}

void cors_headers(struct request *r)
{
	const char *origin = admitted(r);
	if (!origin)
		return;
	req_header(r, "Access-Control-Allow-Origin", origin);
	req_header(r, "Access-Control-Expose-Headers", EXPOSE_HEADERS);
	req_header(r, "Vary", "Origin");
}

void cors_preflight(struct request *r, const char *allow)
{
	if (!admitted(r) || !allow)
		return;
	req_header(r, "Access-Control-Allow-Methods", allow);
	req_header(r, "Access-Control-Allow-Headers", ALLOW_HEADERS);
	req_header(r, "Access-Control-Max-Age", "600");
}
