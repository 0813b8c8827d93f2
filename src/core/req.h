/* req.h: one request's state, from the transport's parameters to the
 * response. Everything here lives in the request's arena (the body buffer is
 * registered with it); nothing survives FCGX_Finish_r. */
#ifndef REQ_H
#define REQ_H
#include "first.h"
#include "buf.h"
#include "route.h"

struct acl_cache;
struct arena;
struct authcache;
struct batch_doc;
struct config;
struct db;
struct activity;
struct query;

struct header {
	struct header *next;
	const char *name, *value;
};

/* One JSON:API error object (section 10); NULL members are omitted. It
 * lives in kept arena memory (err.c copies title, detail and pointer there);
 * parameter and header, set by callers, must be literals or request strings
 * made before any arena_mark (query parameter names). */
struct api_error {
	struct api_error *next;
	int status;
	const char *title, *detail;
	const char *pointer, *parameter, *header;
};

/* What the transport offers the request: its parameters and its body. */
struct transport {
	const char *(*param)(void *ctx, const char *name);
	/* Reads up to n bytes of the body; returns bytes read, 0 at end, -1 on error. */
	long (*read)(void *ctx, char *p, size_t n);
	/* Writes n bytes of the response (headers included); -1 on error. */
	int (*write)(void *ctx, const char *p, size_t n);
	void *ctx;
	/* Ends a response cut short after its headers went out so that the web
	 * server sees it fail (NULL where the transport cannot say so). */
	void (*abort)(void *ctx);
	/* Starts batch job `job` (lease `token`, its checked body `doc`, which
	 * must live until the response is finished) once the response is
	 * finished (op_batch_async); NULL where the transport cannot (the job
	 * then waits for apictl batch-worker). */
	void (*defer_job)(void *ctx, long long job, unsigned long long token,
			  const struct batch_doc *doc);
};

struct request {
	struct arena *arena;
	const struct config *cfg;
	struct db *db;
	struct authcache *cache;   /* the process's credential caches, or NULL */
	const struct transport *io;
	char id[17];               /* request id: logs and X-Request-Id */

	const char *method;
	const char *uri;           /* REQUEST_URI as received */
	const char *path;          /* its path part (NUL-terminated copy) */
	const char *query;         /* the raw query string, "" if none */
	const char *base;          /* scheme://host/prefix, no trailing slash */
	int is_head;
	int plain;                 /* plain (non-JSON:API) request, section 5.5 */
	int override_get;          /* POST with X-HTTP-Method-Override: GET */
	int no_links;              /* X-Include: noHateoas */
	int want_total;            /* X-Include: totalCount */
	int want_deleted;          /* X-Include: deletedCount */
	const struct query *q;     /* the parsed query string, once dispatched */
	struct activity *activity; /* contacts/accounts whose activity to recount */

	struct route route;

	long long user_id, org_id; /* the authenticated principal */
	struct acl_cache *acl;     /* its permissions, loaded on first use (acl.c) */
	int auth_changed;          /* a write touched users, roles, units or organizations */

	struct api_error *errors, *errors_tail;
	unsigned n_errors;

	int status;
	int headers_sent;          /* a streamed response has begun */
	int keep_error_body;       /* a 401 with a body (OAuth invalid_client) */
	const char *content_type;  /* overrides the JSON types (the HTML sandbox) */
	struct header *headers, *headers_tail;
	struct buf body;
	const char *body_in;       /* the request body, once read (body.c) */
	size_t body_in_len;
};

/* Request parameter (CGI variable / FastCGI param), NULL if absent. */
const char *req_param(const struct request *r, const char *name);
/* Adds a response header; name and value are copied into the arena. */
void req_header(struct request *r, const char *name, const char *value);

#endif
