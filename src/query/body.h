/* body.h: the request body: read through the transport up to
 * max_body_size (batch.max_body_size on the batch routes; 413 beyond),
 * parsed with jansson (400 on invalid JSON). */
#ifndef BODY_H
#define BODY_H
#include "first.h"
#include "req.h"

struct query;

/* Reads the whole body into the arena (NUL-terminated). *len may be 0.
 * 0, or -1 with 413 / 500 recorded. */
int body_read(struct request *r, const char **data, size_t *len);
/* body_read with another maximum (batch.max_body_size on batch routes). */
int body_read_max(struct request *r, size_t max, const char **data, size_t *len);
/* For POST with X-HTTP-Method-Override: GET: adds the body's parameters
 * ({"filter": {"id": {"gt": "5"}}} or {"filter[id][gt]": "5"}, and any
 * other query parameter by name) to q. 0, or -1 with the 400 recorded. */
int body_query_params(struct request *r, struct query *q);

#endif
