/* fuzz_route.c: the request line's other parsers: the path router
 * (router.c, section 1), percent-decoding (url_decode of core/url.c, shared with the
 * query string) and content negotiation (negotiate.c, section 2). Input:
 * the path, then after a NUL the Accept header, after another the
 * Content-Type (each may be absent).
 *
 * Oracles: a route is found exactly when no error is recorded, and names a
 * type of the registry with an id for items and a relationship of that
 * type for subresources and relationships; the 404 documents (which echo
 * the path) are valid JSON; percent-encoding what was decoded (url_encode,
 * as the pagination links do) and decoding it again gives the same bytes;
 * negotiation answers one of its results, the same on a second call. */
#include "fuzz.h"
#include "jsonapi.h"
#include "negotiate.h"
#include "query.h"
#include "resource.h"
#include "router.h"
#include "url.h"

static void check_roundtrip(struct request *r, const char *s, size_t n)
{
	size_t len, again_len;
	char *d = url_decode(r->arena, s, n, 1, &len);
	FUZZ_CHECK(d != NULL && len <= n && d[len] == '\0');
	struct buf e;
	buf_init(&e, 1u << 24);
	url_encode(&e, d, len);
	FUZZ_CHECK(!buf_failed(&e));
	for (size_t i = 0; i < e.len; i++) {
		char c = e.data[i];
		int unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				 (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
		FUZZ_CHECK(unreserved || (c == '%' && i + 2 < e.len));
	}
	char *again = url_decode(r->arena, e.data ? e.data : "", e.len, 1, &again_len);
	FUZZ_CHECK(again && again_len == len && memcmp(again, d, len) == 0);
	buf_free(&e);
}

static void check_route(struct request *r)
{
	int rc = router_match(r);
	FUZZ_CHECK((rc < 0) == (r->errors != NULL));
	if (rc < 0) {
		for (int k = 0; k < 2; k++) {
			r->plain = k;
			jsonapi_errors(r);
			FUZZ_CHECK(fuzz_json_valid(r->body.data, r->body.len));
		}
		return;
	}
	const struct route *rt = &r->route;
	if (rt->kind == ROUTE_DOC) {
		/* The documentation: exact paths, no type, GET/HEAD/OPTIONS. */
		FUZZ_CHECK(rt->res == NULL && rt->id == NULL && rt->rel == NULL);
		FUZZ_CHECK(router_allowed(rt) == (M_OPTIONS | M_GET | M_HEAD));
		return;
	}
	size_t n;
	const struct resource *const *all = resources_all(&n);
	int known = 0;
	for (size_t i = 0; i < n; i++)
		known |= all[i] == rt->res;
	FUZZ_CHECK(known && rt->prefix != NULL);
	switch (rt->kind) {
	case ROUTE_LIST:
		FUZZ_CHECK(rt->id == NULL && rt->rel == NULL);
		break;
	case ROUTE_ITEM:
		FUZZ_CHECK(rt->id != NULL && rt->rel == NULL);
		break;
	case ROUTE_SUBRESOURCE:
		/* asyncoperations/{id}/errors: the one subresource without a rel. */
		if (rt->rel == NULL) {
			FUZZ_CHECK(rt->id != NULL && rt->res->errors_subresource != NULL);
			break;
		}
		/* fall through */
	case ROUTE_RELATIONSHIP:
		FUZZ_CHECK(rt->id != NULL && rt->rel != NULL && rt->rel >= rt->res->rels &&
			   rt->rel < rt->res->rels + rt->res->n_rels);
		break;
	case ROUTE_DOC:
	case ROUTE_NONE:
		FUZZ_CHECK(!"a matched route has a kind");
	}
	FUZZ_CHECK(router_allowed(rt) != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	FUZZ_CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	/* "path\0accept\0content-type": each part is a C string. */
	const char *path = s, *accept = NULL, *ctype = NULL;
	size_t plen = strlen(s);
	if (plen < size) {
		accept = s + plen + 1;
		size_t alen = strlen(accept);
		if (plen + 1 + alen < size)
			ctype = accept + alen + 1;
	}
	struct fuzz_body b = { NULL, 0, 0 };
	struct transport io;
	struct request r;
	fuzz_request(&r, &io, &b);
	r.path = path;
	r.uri = path;
	check_route(&r);
	check_roundtrip(&r, (const char *)data, size);
	enum nego_result n1 = negotiate(accept, ctype), n2 = negotiate(accept, ctype);
	FUZZ_CHECK(n1 == n2 && n1 >= NEGO_JSONAPI && n1 <= NEGO_415);
	fuzz_request_end(&r);
	free(s);
	return 0;
}
