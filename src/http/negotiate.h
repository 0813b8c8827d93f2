/* negotiate.h: content negotiation of section 2 (406 and 415) and whether
 * the request is a JSON:API request or a plain one. Pure functions of the
 * two header values, so they are unit-tested directly. */
#ifndef NEGOTIATE_H
#define NEGOTIATE_H
#include "first.h"

enum nego_result {
	NEGO_JSONAPI,
	NEGO_PLAIN,
	NEGO_406_JSONAPI,      /* Accept lists JSON:API only with parameters, or admits nothing usable */
	NEGO_406_PLAIN_ACCEPT, /* plain request whose Accept admits no JSON */
	NEGO_406_PLAIN_CTYPE,  /* plain request with a non-JSON Content-Type */
	NEGO_415,              /* JSON:API Content-Type with parameters */
};

/* accept and content_type may be NULL (header absent). */
enum nego_result negotiate(const char *accept, const char *content_type);

#endif
