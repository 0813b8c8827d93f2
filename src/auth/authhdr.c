/* authhdr.c: see authhdr.h. Apache hides Authorization from CGI and
 * FastCGI programs unless told (CGIPassAuth On, or a mod_rewrite rule that
 * copies it into HTTP_AUTHORIZATION, renamed REDIRECT_HTTP_AUTHORIZATION by
 * an internal redirect); the shipped configs in apache/ do one or the other. */
#include "first.h"
#include "authhdr.h"
#include "log.h"

#include <string.h>

const char *authhdr_get(const struct request *r)
{
	const char *v = req_param(r, "HTTP_AUTHORIZATION");
	if (v && *v)
		return v;
	v = req_param(r, "REDIRECT_HTTP_AUTHORIZATION");
	return v && *v ? v : NULL;
}

void authhdr_log_401(const struct request *r)
{
	const char *v = authhdr_get(r);
	if (!v) {
		log_msg(r->id, "401: no Authorization header received"
			       " (fine for WSSE; OAuth needs it passed: see apache/)");
		return;
	}
	/* Only the scheme token, and only if it looks like one. */
	char scheme[33];
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/");
	if (n == 0 || n >= sizeof(scheme) || (v[n] && v[n] != ' ')) {
		log_msg(r->id, "401: Authorization header received, scheme unreadable");
		return;
	}
	memcpy(scheme, v, n);
	scheme[n] = '\0';
	log_msg(r->id, "401: Authorization scheme \"%s\" received", scheme);
}
