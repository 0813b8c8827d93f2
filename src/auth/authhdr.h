/* authhdr.h: the Authorization request header as the application receives
 * it through CGI/FastCGI parameters. */
#ifndef AUTHHDR_H
#define AUTHHDR_H
#include "first.h"
#include "req.h"

/* The Authorization header's value, or NULL when none arrived: from
 * HTTP_AUTHORIZATION, else REDIRECT_HTTP_AUTHORIZATION (what Apache makes of
 * the rewrite work-around after an .htaccess internal redirect). Borrowed:
 * lives as long as the request's parameters. */
const char *authhdr_get(const struct request *r);

/* After a 401: logs the scheme of the Authorization header that arrived
 * (never its credentials), or that none did, so a stripped header is easy to
 * tell from a wrong key in the web server's error log. */
void authhdr_log_401(const struct request *r);

#endif
