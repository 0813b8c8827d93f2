/* fuzz_write.c: the body of a write (section 8) through the document
 * parser (write_doc.c, write_plain.c for the plain format, value.c for every
 * attribute), and the body of a relationship route (write_parse_linkage).
 * Input: byte 0 picks the resource from the registry, byte 1 the mode
 * (bit 0: PATCH, else POST; bit 1: the plain format) and, in its upper
 * bits, the relationship for the relationship body; the rest is the body.
 *
 * write_doc_parse needs no database: what does (existence, uniqueness,
 * access, storing: write_item.c) comes after it in op_write.c and is not
 * reached here.
 *
 * Oracles: a parse fails exactly when it recorded an error; an accepted
 * document has its primary item of the route's type (and id, for PATCH),
 * every required member of what it creates (upserts aside), no read-only member, and
 * references with an id each; an accepted linkage has as many references
 * as the body's data holds; the error documents (JSON:API and plain) are
 * valid JSON. */
#include "fuzz.h"
#include "jsonapi.h"
#include "write.h"

static void check_refs(const struct write_rel *wr)
{
	for (size_t j = 0; j < wr->n; j++)
		FUZZ_CHECK(wr->refs[j].id != NULL && wr->refs[j].ptr != NULL);
}

static void check_item(const struct write_item *it, int creating)
{
	const struct resource *res = it->res;
	FUZZ_CHECK(res != NULL && it->ptr != NULL);
	for (size_t i = 0; i < res->n_attrs; i++) {
		const struct attribute *a = &res->attrs[i];
		const struct write_attr *wa = &it->attrs[i];
		if (!wa->present)
			continue;
		FUZZ_CHECK(!(a->flags & A_RO));
		FUZZ_CHECK(!wa->text || strlen(wa->text) <= wa->len);
		if (a->flags & A_REQ)
			FUZZ_CHECK(wa->text && wa->len > 0);
	}
	for (size_t i = 0; i < res->n_rels; i++) {
		const struct write_rel *wr = &it->rels[i];
		if (wr->present) {
			FUZZ_CHECK(!(res->rels[i].flags & R_RO));
			FUZZ_CHECK(res->rels[i].kind == REL_TO_MANY || wr->n <= 1);
			check_refs(wr);
		}
	}
	if (!creating)
		return;
	for (size_t i = 0; i < res->n_attrs; i++)
		if (res->attrs[i].flags & A_REQ)
			FUZZ_CHECK(it->attrs[i].present);
	for (size_t i = 0; i < res->n_rels; i++)
		if (res->rels[i].flags & R_REQ)
			FUZZ_CHECK(it->rels[i].present);
}

static void fuzz_document(const struct resource *res, uint8_t mode, const uint8_t *data,
			  size_t size)
{
	struct fuzz_body b = { (const char *)data, size, 0 };
	struct transport io;
	struct request r;
	fuzz_request(&r, &io, &b);
	int update = mode & 1;
	r.method = update ? "PATCH" : "POST";
	r.plain = (mode >> 1) & 1;
	r.route.kind = update ? ROUTE_ITEM : ROUTE_LIST;
	r.route.res = res;
	r.route.prefix = "";
	if (update) {
		r.route.id = res->id_kind == ID_INT ? "1" : "DE";
		r.route.id_len = strlen(r.route.id);
	}
	struct write_doc doc;
	int rc = write_doc_parse(&r, update ? WRITE_UPDATE : WRITE_CREATE, &doc);
	FUZZ_CHECK((rc < 0) == (r.errors != NULL));
	if (rc < 0) {
		fuzz_check_errors_render(&r);
	} else {
		const struct write_item *p = doc.primary;
		FUZZ_CHECK(p != NULL && p->res == res && strcmp(p->ptr, "/data") == 0);
		if (update)
			FUZZ_CHECK(p->client_id && p->client_id_len == r.route.id_len &&
				   memcmp(p->client_id, r.route.id, r.route.id_len) == 0);
		else if (res->id_kind == ID_STRING)
			FUZZ_CHECK(p->client_id != NULL);
		/* An upsert creates only when its lookup finds nothing, which
		 * checks the required members then (write_item.c). */
		check_item(p, !p->update && !p->upsert);
		size_t n = 0;
		for (const struct write_item *it = doc.included; it; it = it->next, n++) {
			FUZZ_CHECK(it->index >= n);
			check_item(it, !it->update && !it->upsert);
		}
		FUZZ_CHECK(n == doc.n_included);
	}
	fuzz_request_end(&r);
}

static void fuzz_linkage(const struct resource *res, uint8_t mode, const uint8_t *data,
			 size_t size)
{
	if (!res->n_rels)
		return;
	const struct relationship *rel = &res->rels[(mode >> 2) % res->n_rels];
	struct fuzz_body b = { (const char *)data, size, 0 };
	struct transport io;
	struct request r;
	fuzz_request(&r, &io, &b);
	r.method = "PATCH";
	r.route.kind = ROUTE_RELATIONSHIP;
	r.route.res = res;
	r.route.rel = rel;
	r.route.id = "1";
	r.route.id_len = 1;
	r.route.prefix = "";
	json_t *root = write_body_json(&r);
	FUZZ_CHECK((root == NULL) == (r.errors != NULL));
	json_t *data_member = root ? json_object_get(root, "data") : NULL;
	if (data_member) {
		struct write_rel wr;
		memset(&wr, 0, sizeof(wr));
		int rc = write_parse_linkage(&r, rel, data_member, "/data", &wr);
		FUZZ_CHECK((rc < 0) == (r.errors != NULL));
		if (rc == 0) {
			FUZZ_CHECK(wr.present);
			if (rel->kind == REL_TO_ONE)
				FUZZ_CHECK(wr.n == (json_is_null(data_member) ? 0u : 1u));
			else
				FUZZ_CHECK(wr.n == json_array_size(data_member));
			check_refs(&wr);
			for (size_t j = 0; j < wr.n; j++) {
				/* Identifiers are {"type": target, "id": string or integer}. */
				json_t *o = rel->kind == REL_TO_ONE ? data_member
								    : json_array_get(data_member, j);
				json_t *id = json_object_get(o, "id");
				FUZZ_CHECK(!json_is_string(id) || wr.refs[j].len == json_string_length(id));
				FUZZ_CHECK(strcmp(json_string_value(json_object_get(o, "type")),
						  rel->target) == 0);
			}
		}
	}
	if (r.errors)
		fuzz_check_errors_render(&r);
	fuzz_request_end(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	const struct resource *res = all[data[0] % n];
	uint8_t mode = data[1];
	fuzz_document(res, mode, data + 2, size - 2);
	fuzz_linkage(res, mode, data + 2, size - 2);
	return 0;
}
