/* serve.c: the pipeline of DESIGN.md: parse the environment, route, check
 * the method, answer OPTIONS, negotiate, authenticate, dispatch, render
 * errors, write the response. */
#include "first.h"
#include "hex.h"
#include "serve.h"
#include "maxima.h"
#include "acl.h"
#include "arena.h"
#include "auth.h"
#include "authcache.h"
#include "authhdr.h"
#include "body.h"
#include "config.h"
#include "cors.h"
#include "db.h"
#include "dbroute.h"
#include "err.h"
#include "http.h"
#include "jsonapi.h"
#include "log.h"
#include "negotiate.h"
#include "oauth.h"
#include "op.h"
#include "openapi.h"
#include "query.h"
#include "router.h"
#include "sandbox.h"
#include "uniq.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void make_request_id(struct request *r)
{
	unsigned char b[UNIQ_LEN];
	uniq_next(b);
	hex_encode(r->id, b, sizeof(b));
}

/* Reads method, URI, path and query from the parameters. */
static void read_environment(struct request *r)
{
	const char *m = req_param(r, "REQUEST_METHOD");
	r->method = m && *m ? m : "GET";
	r->is_head = strcmp(r->method, "HEAD") == 0;
	const char *uri = req_param(r, "REQUEST_URI");
	if (!uri || !*uri) {
		/* Plain CGI under a server that sets no REQUEST_URI. */
		const char *sn = req_param(r, "SCRIPT_NAME"), *pi = req_param(r, "PATH_INFO");
		const char *qs = req_param(r, "QUERY_STRING");
		uri = arena_printf(r->arena, "%s%s%s%s", sn ? sn : "", pi ? pi : "",
				   qs && *qs ? "?" : "", qs && *qs ? qs : "");
	}
	r->uri = uri;
	const char *qm = strchr(uri, '?');
	r->path = qm ? arena_strndup(r->arena, uri, (size_t)(qm - uri)) : uri;
	r->query = qm ? qm + 1 : "";
}

/* Scheme, host and mount prefix for absolute links (section 1). */
static void compute_base(struct request *r)
{
	if (r->cfg->base_url[0]) {
		r->base = r->cfg->base_url;
		return;
	}
	const char *https = req_param(r, "HTTPS");
	const char *scheme = req_param(r, "REQUEST_SCHEME");
	int secure = (https && *https && strcmp(https, "off") != 0) ||
		     (scheme && strcmp(scheme, "https") == 0);
	const char *host = req_param(r, "HTTP_HOST");
	/* A Host header with anything but host characters is not echoed. */
	if (host && strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
			    strlen(host))
		host = NULL;
	if (!host || !*host) {
		const char *sn = req_param(r, "SERVER_NAME");
		host = sn && *sn ? sn : "localhost";
	}
	r->base = arena_printf(r->arena, "%s://%s%s", secure ? "https" : "http", host,
			       r->route.prefix ? r->route.prefix : "");
}

static int negotiate_request(struct request *r)
{
	enum nego_result n = negotiate(req_param(r, "HTTP_ACCEPT"), req_param(r, "CONTENT_TYPE"));
	switch (n) {
	case NEGO_JSONAPI:
		return 0;
	case NEGO_PLAIN:
		r->plain = 1;
		return 0;
	case NEGO_406_JSONAPI:
		err_add(r, ERR_NOT_ACCEPTABLE,
			"The \"Accept\" request header does not accept \"application/vnd.api+json\""
			" without media type parameters.");
		return -1;
	case NEGO_406_PLAIN_ACCEPT:
		r->plain = 1;
		err_add(r, ERR_NOT_ACCEPTABLE,
			"Only JSON representation of the requested resource is supported.");
		return -1;
	case NEGO_406_PLAIN_CTYPE:
		r->plain = 1;
		err_add(r, ERR_NOT_ACCEPTABLE,
			"The \"Content-Type\" request header must be \"application/json\" if specified.");
		return -1;
	case NEGO_415:
		err_add(r, ERR_MEDIA_TYPE,
			"The \"Content-Type\" request header must be \"application/vnd.api+json\""
			" without media type parameters.");
		return -1;
	}
	return -1;
}

/* X-Include (section 7): ;-separated keys, unknown ones ignored. */
static void read_x_include(struct request *r)
{
	const char *x = req_param(r, "HTTP_X_INCLUDE");
	for (const char *s = x; s && *s;) {
		while (*s == ' ' || *s == ';')
			s++;
		size_t n = strcspn(s, ";");
		size_t t = n;
		while (t && s[t - 1] == ' ')
			t--;
		if (t == 10 && strncmp(s, "totalCount", 10) == 0)
			r->want_total = 1;
		else if (t == 12 && strncmp(s, "deletedCount", 12) == 0)
			r->want_deleted = 1;
		else if (t == 9 && strncmp(s, "noHateoas", 9) == 0)
			r->no_links = 1;
		s += n;
	}
}

/* A read: GET, HEAD, or POST with X-HTTP-Method-Override: GET. */
static int is_read(const struct request *r)
{
	return r->override_get || r->is_head || strcmp(r->method, "GET") == 0;
}

#define TOKEN_HEADER "X-Consistency-Token"

/* Section 15: a read runs on this process's replica when one can serve it
 * (with X-Consistency-Token: once it has applied the token). Batch jobs
 * and everything of a write stay on the primary, and so do credentials and
 * permissions: they are loaded before the switch. */
static int route_read(const struct process *p, struct request *r)
{
	if (!is_read(r))
		return 0;
	const char *token = req_param(r, "HTTP_X_CONSISTENCY_TOKEN");
	if (token && *token && !dbroute_token_valid(token, strlen(token))) {
		struct api_error *e = err_add(r, ERR_HEADER_VALUE,
					      "The \"" TOKEN_HEADER "\" request header must be a GTID"
					      " list as given by a write response.");
		if (e)
			e->header = TOKEN_HEADER;
		return -1;
	}
	if (!p->dbroute || !r->route.res || strcmp(r->route.res->type, "asyncoperations") == 0)
		return 0;
	if (acl_level(r, r->route.res, ACL_VIEW) < 0)
		return -1;
	dbroute_read(p->dbroute, r, token);
	return 0;
}

static int run_operation(struct request *r)
{
	struct query *q = arena_alloc(r->arena, sizeof(*q));
	query_parse(r, q);
	r->q = q;
	if (r->override_get && body_query_params(r, q) < 0)
		return -1;
	/* The router let only methods the route allows through. */
	int get = r->override_get || strcmp(r->method, "GET") == 0 || r->is_head;
	int del = strcmp(r->method, "DELETE") == 0;
	int patch = strcmp(r->method, "PATCH") == 0;
	switch (r->route.kind) {
	case ROUTE_ITEM:
		return get ? op_get(r, q) : del ? op_delete(r, q) : op_update(r, q);
	case ROUTE_LIST:
		return get ? op_list(r, q) : del ? op_delete_list(r, q)
			   : patch ? op_batch(r, q) : op_create(r, q);
	case ROUTE_SUBRESOURCE:
		return r->route.rel ? op_related_get(r, q) : op_async_errors(r, q);
	case ROUTE_RELATIONSHIP:
		return get ? op_related_get(r, q) : op_linkage_write(r, q);
	case ROUTE_NONE:
	case ROUTE_DOC:
		break;
	}
	err_internal(r, "unrouted request");
	return -1;
}

/* Forgets what a failed attempt put into the response. */
static void reset_response(struct request *r, struct header *mark)
{
	r->errors = r->errors_tail = NULL;
	r->n_errors = 0;
	r->status = 0;
	r->body.len = 0;
	if (mark)
		mark->next = NULL;
	else
		r->headers = NULL;
	r->headers_tail = mark;
	r->activity = NULL;
}

/* A transaction InnoDB chose as a deadlock victim was rolled back whole and
 * had no effect: the operation runs again from the start (the body is kept),
 * at most twice more; then the client gets the 409. On Galera a write that
 * lost a certification conflict, at a statement or at COMMIT, is such a
 * victim too (db.c). */
#define DEADLOCK_RETRIES 2

static int dispatch(struct request *r)
{
	read_x_include(r);
	struct header *mark = r->headers_tail;
	for (int attempt = 0;; attempt++) {
		int rc = run_operation(r);
		if (rc == 0 && !r->errors && !is_read(r)) {
			/* Read-your-writes (section 15): the commit's GTID. */
			const char *token = db_commit_token(r);
			if (token)
				req_header(r, TOKEN_HEADER, token);
		}
		if (rc == 0 || !db_deadlocked(r) || attempt == DEADLOCK_RETRIES || r->headers_sent)
			return rc;
		db_end(r, 0);
		log_msg(r->id, "deadlock: running the request again (%d)", attempt + 1);
		reset_response(r, mark);
	}
}

/* Everything up to the operation; returns when the response is decided. */
static void handle(const struct process *p, struct request *r)
{
	read_environment(r);
	cors_headers(r);
	if (strlen(r->uri) > MAX_URI) {
		err_add(r, ERR_URI_TOO_LONG, "The request URI is too long.");
		return;
	}
	int oauth = oauth_match(r);
	if (oauth) {
		oauth_serve(r, oauth);
		return;
	}
	if (router_match(r) < 0)
		return;
	compute_base(r);
	unsigned allowed = router_allowed(&r->route);
	unsigned bit = router_method_bit(r->method);
	/* POST + X-HTTP-Method-Override: GET is a list read whose filters may
	 * come in the body (section 1), for query strings too long for a URL. */
	const char *override = req_param(r, "HTTP_X_HTTP_METHOD_OVERRIDE");
	if (bit == M_POST && override && strcmp(override, "GET") == 0 &&
	    r->route.kind == ROUTE_LIST && (allowed & M_GET)) {
		r->override_get = 1;
		bit = M_GET;
	}
	if (!(allowed & bit)) {
		r->status = 405;
		req_header(r, "Allow", router_allow_header(r, allowed));
		return;
	}
	if (bit == M_OPTIONS) {
		r->status = 200;
		req_header(r, "Allow", router_allow_header(r, allowed));
		cors_preflight(r, router_allow_header(r, allowed));
		return;
	}
	if (r->route.kind == ROUTE_DOC) {
		/* The documentation needs no credentials and no negotiation: the
		 * router matched its exact paths only (section 11). */
		if (r->route.doc == DOC_SANDBOX)
			sandbox_page(r);
		else if (r->route.doc == DOC_OPENAPI)
			openapi_respond(r);
		return;
	}
	if (negotiate_request(r) < 0)
		return;
	if (auth_authenticate(r) < 0) {
		if (r->status == 401)
			authhdr_log_401(r);
		return;
	}
	req_header(r, "Cache-Control", "no-store");
	if (route_read(p, r) < 0)
		return;
	dispatch(r);
}

/* Seconds a client waits after a 503 (database down, statement timeout,
 * nonce store failing): long enough for a restart or a burst to pass. */
#define RETRY_AFTER_503 "5"

static int has_header(const struct request *r, const char *name)
{
	for (const struct header *h = r->headers; h; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return 1;
	return 0;
}

void serve(const struct process *p, const struct transport *io)
{
	/* In the arena, like everything of the request: the body's reset-time
	 * cleanup points into it and runs after this function has returned. */
	struct request *r = arena_alloc(p->arena, sizeof(*r));
	r->arena = p->arena;
	r->cfg = p->cfg;
	r->db = p->db;
	r->cache = p->cache;
	r->io = io;
	make_request_id(r);
	buf_init(&r->body, MAX_RESPONSE);
	arena_on_reset(r->arena, buf_free_cb, &r->body);
	if (p->config_error)
		err_add(r, ERR_INTERNAL, NULL);
	else
		handle(p, r);
	/* An operation that failed inside its transaction left it open:
	 * nothing of the request remains. */
	if (db_in_transaction(r))
		db_end(r, 0);
	/* What this process changed holds in it from the next request on
	 * (section 3.3); the other processes' entries age out. */
	if (r->auth_changed)
		authcache_flush(r->cache);
	if (r->errors && r->headers_sent) {
		/* Too late for an error document: the transfer is made to fail. */
		log_msg(r->id, "error after a streamed response began; response aborted");
		if (io->abort) {
			io->abort(io->ctx);
			return;
		}
	} else if (r->errors) {
		r->status = err_status(r);
		jsonapi_errors(r);
		if (r->status == 503 && !has_header(r, "Retry-After"))
			req_header(r, "Retry-After", RETRY_AFTER_503);
	}
	if (buf_failed(&r->body)) {
		err_internal(r, "response body too large or out of memory");
		r->status = 500;
		r->errors = r->errors_tail = NULL;
		r->n_errors = 0;
		err_add(r, ERR_INTERNAL, NULL);
		jsonapi_errors(r);
	}
	http_respond(r);
}
