/* body.c: see body.h. The jansson tree lives only inside
 * body_query_params; what it yields is copied into the arena. */
#include "first.h"
#include "body.h"
#include "maxima.h"
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "err.h"
#include "query.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int body_read(struct request *r, const char **data, size_t *len)
{
	return body_read_max(r, (size_t)r->cfg->max_body_size, data, len);
}

int body_read_max(struct request *r, size_t max, const char **data, size_t *len)
{
	/* Read once; a request that runs again (serve.c) reads it again here. */
	if (r->body_in) {
		*data = r->body_in;
		*len = r->body_in_len;
		return 0;
	}
	const char *cl = req_param(r, "CONTENT_LENGTH");
	if (cl && *cl && strtoull(cl, NULL, 10) > max) {
		err_add(r, ERR_TOO_LARGE, "The request body is too large.");
		return -1;
	}
	struct buf *b = arena_alloc(r->arena, sizeof(*b));
	buf_init(b, max);
	arena_on_reset(r->arena, buf_free_cb, b);
	char chunk[IO_CHUNK];
	for (;;) {
		long n = r->io->read(r->io->ctx, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		if (buf_append(b, chunk, (size_t)n) < 0) {
			err_add(r, ERR_TOO_LARGE, "The request body is too large.");
			return -1;
		}
	}
	*data = b->data ? b->data : "";
	*len = b->len;
	r->body_in = *data;
	r->body_in_len = *len;
	return 0;
}

/* A parameter value as text: strings as they are, numbers and booleans
 * printed, arrays comma-joined. NULL for anything else. */
static char *value_text(struct request *r, json_t *v)
{
	if (json_is_string(v))
		return arena_strndup(r->arena, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return arena_printf(r->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(r->arena, "%.17g", json_real_value(v));
	if (json_is_boolean(v))
		return arena_strdup(r->arena, json_is_true(v) ? "true" : "false");
	if (json_is_array(v)) {
		struct buf b;
		buf_init(&b, MAX_PARAM_TEXT);
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			char *t = value_text(r, e);
			if (!t) {
				buf_free(&b);
				return NULL;
			}
			if (i)
				buf_putc(&b, ',');
			buf_puts(&b, t);
		}
		char *out = arena_strndup(r->arena, b.data ? b.data : "", b.len);
		buf_free(&b);
		return out;
	}
	return NULL;
}

/* Room for one more parameter; the array doubles, so a large body costs
 * linear time. */
static void grow_params(struct request *r, struct query *q, size_t *cap)
{
	if (q->n < *cap)
		return;
	size_t ncap = *cap ? *cap * 2 : q->n + 16;
	struct qparam *np = arena_alloc(r->arena, ncap * sizeof(*np));
	if (q->n)
		memcpy(np, q->params, q->n * sizeof(*np));
	q->params = np;
	*cap = ncap;
}

static int add_param(struct request *r, struct query *q, size_t *cap, const char *name, json_t *v)
{
	char *value = value_text(r, v);
	if (!value) {
		err_addf(r, ERR_FILTER, "The value of \"%s\" is not valid.", name);
		return -1;
	}
	grow_params(r, q, cap);
	struct qparam *p = &q->params[q->n];
	p->name = p->raw_name = arena_strdup(r->arena, name);
	p->name_len = strlen(name);
	p->value = value;
	p->value_len = strlen(value);
	q->n++;
	return p->name ? 0 : -1;
}

static int add_filters(struct request *r, struct query *q, size_t *cap, json_t *filter)
{
	const char *field;
	json_t *v;
	json_object_foreach(filter, field, v) {
		if (json_is_object(v)) {
			const char *op;
			json_t *ov;
			json_object_foreach(v, op, ov) {
				char *name = arena_printf(r->arena, "filter[%s][%s]", field, op);
				if (add_param(r, q, cap, name, ov) < 0)
					return -1;
			}
		} else {
			char *name = arena_printf(r->arena, "filter[%s]", field);
			if (add_param(r, q, cap, name, v) < 0)
				return -1;
		}
	}
	return 0;
}

int body_query_params(struct request *r, struct query *q)
{
	const char *data;
	size_t len;
	if (body_read(r, &data, &len) < 0)
		return -1;
	if (len == 0)
		return 0; /* nothing beyond the query string */
	json_error_t jerr;
	json_t *root = json_loadb(data, len, 0, &jerr);
	if (!root) {
		err_addf(r, ERR_BAD_REQUEST,
			 "Invalid json message received. Parsing error in [%d:%d]. %s", jerr.line,
			 jerr.column, jerr.text);
		return -1;
	}
	int rc = 0;
	size_t cap = 0; /* q->params as parsed from the query string is full */
	if (!json_is_object(root)) {
		err_add(r, ERR_BAD_REQUEST,
			"Invalid json message received. An object with the filters is expected.");
		rc = -1;
	} else {
		const char *key;
		json_t *v;
		json_object_foreach(root, key, v) {
			if (strcmp(key, "filter") == 0 && json_is_object(v))
				rc = add_filters(r, q, &cap, v);
			else
				rc = add_param(r, q, &cap, key, v);
			if (rc < 0)
				break;
		}
	}
	json_decref(root);
	return rc;
}
