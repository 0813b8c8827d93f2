/* err.h: the request's error list (section 10). A failing function records
 * one or more errors here and returns -1; the top level renders them. */
#ifndef ERR_H
#define ERR_H
#include "first.h"
#include "req.h"

/* Appends an error; title/detail are borrowed (string literals or arena
 * memory). Returns the error so the caller can set its source, or NULL on
 * ENOMEM (the request then still has its status). */
struct api_error *err_add(struct request *r, int status, const char *title, const char *detail);
/* err_add with source.pointer (borrowed like title and detail). */
struct api_error *err_ptr(struct request *r, int status, const char *title, const char *detail,
			  const char *pointer);
/* Same with a printf-formatted detail copied into the arena. */
struct api_error *err_addf(struct request *r, int status, const char *title, const char *fmt, ...)
	ATTR_PRINTF(4, 5);
/* Logs the cause with the request id and records a detail-less 500. */
void err_internal(struct request *r, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* The response status for the recorded errors: the one status if all agree,
 * 500 if any 5xx, 409 if any 409, else 400. */
int err_status(const struct request *r);

#endif
