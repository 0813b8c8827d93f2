/* fuzz.h: what every libFuzzer harness of tests/fuzz/ shares: a request
 * with an arena and the default configuration, as a FastCGI process would
 * have one, but no database (r->db stays NULL, so a harness that reached a
 * query would crash at once instead of passing quietly), a transport whose
 * body is the fuzzer's bytes, and the checks that abort on a broken oracle.
 * Each harness is one .c file linked against the project's own src files
 * (build/fuzz/libmariapi.a): see the fuzz targets of the Makefile. */
#ifndef FUZZ_H
#define FUZZ_H
#include "first.h"
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "jsonapi.h"
#include "req.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken oracle: say which, then abort so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                           \
		}                                                                          \
	} while (0)

/* The body handed to the request's transport. */
struct fuzz_body {
	const char *p;
	size_t n, off;
};

static inline const char *fuzz_param(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL; /* no CONTENT_LENGTH: the body is read to its end */
}

static inline long fuzz_read(void *ctx, char *p, size_t n)
{
	struct fuzz_body *b = ctx;
	size_t left = b->n - b->off;
	if (n > left)
		n = left;
	memcpy(p, b->p + b->off, n);
	b->off += n;
	return (long)n;
}

static inline int fuzz_write(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;
}

/* The defaults of section 13 (an empty configuration file; API_* variables
 * of the environment still apply), loaded once per process. */
static inline const struct config *fuzz_config(void)
{
	static struct config cfg;
	static int loaded;
	if (!loaded) {
		char err[256];
		if (config_load(&cfg, "/dev/null", err, sizeof(err)) < 0) {
			fprintf(stderr, "fuzz: configuration: %s\n", err);
			abort();
		}
		loaded = 1;
	}
	return &cfg;
}

/* The process's arena, reset before every input as serve() resets it
 * between requests. */
static inline struct arena *fuzz_arena(void)
{
	static struct arena *a;
	if (!a)
		a = arena_new();
	arena_reset(a);
	return a;
}

/* A fresh request on arena a (reset here): authenticated as user 1 of
 * organization 1, the body (may be NULL) behind its transport. Call
 * fuzz_request_end when done with it. */
static inline void fuzz_request_in(struct request *r, struct transport *io, struct fuzz_body *body,
				   struct arena *a)
{
	memset(r, 0, sizeof(*r));
	memset(io, 0, sizeof(*io)); /* abort, defer_job: none */
	arena_reset(a);
	io->param = fuzz_param;
	io->read = fuzz_read;
	io->write = fuzz_write;
	io->ctx = body;
	r->arena = a;
	r->cfg = fuzz_config();
	r->io = io;
	memcpy(r->id, "fuzz000000000000", 17);
	r->method = "GET";
	r->uri = "/api";
	r->path = "/api";
	r->query = "";
	r->base = "http://localhost";
	r->user_id = 1;
	r->org_id = 1;
	r->status = 200;
	buf_init(&r->body, 1u << 24);
}

/* The same on the process's arena. */
static inline void fuzz_request(struct request *r, struct transport *io, struct fuzz_body *body)
{
	fuzz_request_in(r, io, body, fuzz_arena());
}

static inline void fuzz_request_end(struct request *r)
{
	buf_free(&r->body);
}

/* Whether the n bytes at s are one JSON text (jansson, NUL allowed). */
static inline int fuzz_json_valid(const char *s, size_t n)
{
	json_error_t je;
	json_t *v = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!v) {
		fprintf(stderr, "fuzz: invalid JSON (%s at %d:%d): %.*s\n", je.text, je.line, je.column,
			(int)(n > 2000 ? 2000 : n), s);
		return 0;
	}
	json_decref(v);
	return 1;
}

/* The request's errors render as valid JSON in both formats (JSON:API and
 * plain), the body buffer intact. */
static inline void fuzz_check_errors_render(struct request *r)
{
	int plain = r->plain;
	for (int k = 0; k < 2; k++) {
		r->plain = k;
		jsonapi_errors(r);
		FUZZ_CHECK(!buf_failed(&r->body));
		FUZZ_CHECK(fuzz_json_valid(r->body.data, r->body.len));
	}
	r->plain = plain;
}

/* Counts the errors a request recorded. */
static inline size_t fuzz_errors(const struct request *r)
{
	size_t n = 0;
	for (const struct api_error *e = r->errors; e; e = e->next)
		n++;
	return n;
}

#endif
