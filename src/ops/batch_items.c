/* batch_items.c: see batch_items.h. Reading: a scanner splits the body into
 * records and included items, each parsed alone and reduced to what the
 * checks need; then the shape, and a graph of the references between records
 * and items: each record takes the items it reaches without passing another
 * record; records that reach a common item form a group. Running: each record
 * parsed again, built (write_doc_build) and stored in a savepoint. */
#include "first.h"
#include "batch_items.h"
#include "acl.h"
#include "arena.h"
#include "body.h"
#include "config.h"
#include "db.h"
#include "err.h"
#include "sql.h"
#include "write.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ reading */

/* A "type/id" key set (open addressing, arena) mapping to a node. */
struct node_map {
	const char **key;
	size_t *node;
	size_t cap;
};

static size_t key_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void map_init(struct request *r, struct node_map *m, size_t n)
{
	m->cap = 16;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->key = arena_alloc(r->arena, m->cap * sizeof(*m->key));
	m->node = arena_alloc(r->arena, m->cap * sizeof(*m->node));
}

/* The node of key, or SIZE_MAX; with add, inserts it (as node) when new. */
static size_t map_find(struct node_map *m, const char *key, int add, size_t node)
{
	size_t i = key_hash(key) & (m->cap - 1);
	while (m->key[i]) {
		if (strcmp(m->key[i], key) == 0)
			return m->node[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (add) {
		m->key[i] = key;
		m->node[i] = node;
	}
	return SIZE_MAX;
}

/* An "id" member as text (numbers as their digits), or NULL. */
static const char *id_text(struct request *r, json_t *v)
{
	if (json_is_string(v) && json_string_length(v) > 0)
		return arena_strndup(r->arena, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return arena_printf(r->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return NULL;
}

static const char *node_key(struct request *r, const char *type, const char *id)
{
	return arena_printf(r->arena, "%s/%s", type, id);
}

/* Undirected edges, collected then turned into adjacency lists. */
struct graph {
	size_t n_nodes, n_edges, cap;
	size_t *from, *to;
	size_t *start, *adj; /* adjacency: adj[start[u] .. start[u + 1]) */
};

static void edge_add(struct request *r, struct graph *g, size_t a, size_t b)
{
	if (g->n_edges == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		size_t *f = arena_alloc(r->arena, cap * sizeof(*f));
		size_t *t = arena_alloc(r->arena, cap * sizeof(*t));
		if (g->n_edges) {
			memcpy(f, g->from, g->n_edges * sizeof(*f));
			memcpy(t, g->to, g->n_edges * sizeof(*t));
		}
		g->from = f;
		g->to = t;
		g->cap = cap;
	}
	g->from[g->n_edges] = a;
	g->to[g->n_edges] = b;
	g->n_edges++;
}

/* What reading keeps of one data record or included item (its tree is
 * freed at once). */
struct node_info {
	unsigned char object;   /* a JSON object */
	unsigned char has_type, has_id; /* included items: the members exist */
	const char *type_text;  /* included items: "type" when a string */
	size_t type_len;
	const char *id;         /* "id" as text (id_text), or NULL */
	const char **links;     /* "type/id" keys its relationships name */
	size_t n_links;
};

/* The keys of the linkage obj's relationships name. Malformed linkage is
 * skipped: the record's own parse reports it. */
static void collect_links(struct request *r, json_t *obj, struct node_info *ni)
{
	json_t *rels = json_is_object(obj) ? json_object_get(obj, "relationships") : NULL;
	if (!json_is_object(rels))
		return;
	size_t cap = 0;
	const char *name;
	json_t *rel;
	json_object_foreach(rels, name, rel) {
		json_t *data = json_is_object(rel) ? json_object_get(rel, "data") : NULL;
		size_t n = json_is_array(data) ? json_array_size(data) : 1;
		for (size_t k = 0; k < n; k++) {
			json_t *ident = json_is_array(data) ? json_array_get(data, k) : data;
			json_t *type = json_is_object(ident) ? json_object_get(ident, "type") : NULL;
			const char *id = json_is_object(ident) ? id_text(r, json_object_get(ident, "id"))
							       : NULL;
			if (!json_is_string(type) || !id)
				continue;
			if (ni->n_links == cap) {
				cap = cap ? cap * 2 : 4;
				const char **l = arena_alloc(r->arena, cap * sizeof(*l));
				if (ni->n_links)
					memcpy(l, ni->links, ni->n_links * sizeof(*l));
				ni->links = l;
			}
			ni->links[ni->n_links++] = node_key(r, json_string_value(type), id);
		}
	}
}

/* The edges from node u to the nodes its links name. */
static void node_edges(struct request *r, struct graph *g, struct node_map *m,
		       const struct node_info *ni, size_t u, size_t n_data)
{
	for (size_t k = 0; ni && k < ni->n_links; k++) {
		size_t v = map_find(m, ni->links[k], 0, 0);
		/* Records never link records: only items of `included`. */
		if (v == SIZE_MAX || v == u || (u < n_data && v < n_data))
			continue;
		edge_add(r, g, u, v);
	}
}

static void graph_build(struct request *r, struct graph *g)
{
	g->start = arena_alloc(r->arena, (g->n_nodes + 1) * sizeof(*g->start));
	g->adj = arena_alloc(r->arena, (2 * g->n_edges + 1) * sizeof(*g->adj));
	size_t *deg = arena_alloc(r->arena, (g->n_nodes + 1) * sizeof(*deg));
	for (size_t e = 0; e < g->n_edges; e++) {
		deg[g->from[e]]++;
		deg[g->to[e]]++;
	}
	for (size_t u = 0; u < g->n_nodes; u++)
		g->start[u + 1] = g->start[u] + deg[u];
	memset(deg, 0, g->n_nodes * sizeof(*deg));
	for (size_t e = 0; e < g->n_edges; e++) {
		size_t a = g->from[e], b = g->to[e];
		g->adj[g->start[a] + deg[a]++] = b;
		g->adj[g->start[b] + deg[b]++] = a;
	}
}

static size_t uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* The included items data record i reaches without passing another
 * record: a walk over included nodes only, collected in ascending order
 * (request order). mark: n_nodes entries, stamped i + 1 for record i;
 * list: room for every node. */
static size_t reach_of(struct request *r, const struct graph *g, size_t n_data, size_t i,
		       size_t *mark, size_t *list, size_t **out)
{
	size_t n = 0, done = 0;
	list[n++] = i;
	mark[i] = i + 1;
	/* list doubles as the walk's queue: entries before `done` are walked. */
	while (done < n) {
		size_t u = list[done++];
		for (size_t e = g->start[u]; e < g->start[u + 1]; e++) {
			size_t v = g->adj[e];
			if (v < n_data || mark[v] == i + 1)
				continue;
			mark[v] = i + 1;
			list[n++] = v;
		}
	}
	*out = arena_alloc(r->arena, n * sizeof(**out));
	for (size_t k = 1; k < n; k++)
		(*out)[k - 1] = list[k] - n_data;
	qsort(*out, n - 1, sizeof(**out), size_cmp);
	return n - 1;
}

/* ------------------------------------------------------------ scanning */

/* The scanner only finds where values begin and end (strings, brackets);
 * each value's bytes are then parsed by jansson, which checks them, so a
 * document passes exactly when jansson's parse of the whole would. The
 * flags of write_json_parse, plus any value at the top. */
#define SPAN_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)
/* jansson's nesting limit (JSON_PARSER_MAX_DEPTH in its build). */
#define JSON_MAX_DEPTH 2048

struct scan {
	const char *p;
	size_t len, pos;
};

static void skip_ws(struct scan *s)
{
	while (s->pos < s->len && (s->p[s->pos] == ' ' || s->p[s->pos] == '\t' ||
				   s->p[s->pos] == '\n' || s->p[s->pos] == '\r'))
		s->pos++;
}

static int skip_string(struct scan *s)
{
	for (s->pos++; s->pos < s->len; s->pos++) {
		if (s->p[s->pos] == '\\')
			s->pos++;
		else if (s->p[s->pos] == '"') {
			s->pos++;
			return 0;
		}
	}
	return -1;
}

/* Skips one value; *depth: its nesting (1 for a bracket of its own). 0 or
 * -1 (no value there). */
static int skip_value(struct scan *s, size_t *depth)
{
	*depth = 0;
	if (s->pos >= s->len)
		return -1;
	char c = s->p[s->pos];
	if (c == '"')
		return skip_string(s);
	if (c == '{' || c == '[') {
		size_t d = 0;
		while (s->pos < s->len) {
			c = s->p[s->pos];
			if (c == '"') {
				if (skip_string(s) < 0)
					return -1;
				continue;
			}
			s->pos++;
			if (c == '{' || c == '[') {
				if (++d > *depth)
					*depth = d;
			} else if ((c == '}' || c == ']') && --d == 0) {
				return 0;
			}
		}
		return -1;
	}
	size_t from = s->pos;
	while (s->pos < s->len && !strchr(",]} \t\r\n\"{[", s->p[s->pos]))
		s->pos++;
	if (s->pos == from)
		return -1;
	/* jansson drops the one byte after a number or a literal when that
	 * byte is NUL (it reads "[1\0]" as [1]); so does the scan, so that a
	 * batch reads exactly what a single write's parse reads. */
	if (s->pos < s->len && s->p[s->pos] == '\0')
		s->pos++;
	return 0;
}

/* The value at s (its span in *sp) parsed by jansson, at depth `above`
 * (the brackets around it) in the document; NULL when the scan or the
 * parse fails. */
static json_t *scan_value(struct scan *s, size_t above, struct batch_span *sp)
{
	size_t depth;
	sp->off = s->pos;
	if (skip_value(s, &depth) < 0 || depth + above > JSON_MAX_DEPTH)
		return NULL;
	sp->len = s->pos - sp->off;
	return json_loadb(s->p + sp->off, sp->len, SPAN_FLAGS, NULL);
}

/* A growable list of spans and node facts. Its arrays are malloc'd (a
 * doubling arena array would leave every smaller copy behind: some 10
 * bytes per record) and freed at the arena's reset. Facts are kept only
 * for the nodes that have some (a record with no id nor links has none). */
struct node_list {
	struct batch_span *span;
	const struct node_info **info;
	size_t n, cap;
	int failed; /* out of memory */
};

static void list_free_cb(void *p)
{
	struct node_list *l = p;
	free(l->span);
	free(l->info);
}

static void list_add(struct node_list *l, const struct batch_span *sp, const struct node_info *ni)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct batch_span *s2 = realloc(l->span, cap * sizeof(*s2));
		if (s2)
			l->span = s2;
		const struct node_info **i2 = realloc(l->info, cap * sizeof(*i2));
		if (i2)
			l->info = i2;
		if (!s2 || !i2) {
			l->failed = 1;
			return;
		}
		l->cap = cap;
	}
	l->span[l->n] = *sp;
	l->info[l->n++] = ni;
}

/* What reading keeps of one element (a record when !item): NULL for a
 * record with nothing to keep. */
static const struct node_info *node_facts(struct request *r, json_t *v, int item)
{
	static const struct node_info none;
	struct node_info tmp = { 0 }, *ni = &tmp;
	ni->object = json_is_object(v) != 0;
	if (!ni->object)
		return item ? &none : NULL;
	json_t *id = json_object_get(v, "id");
	ni->id = id_text(r, id);
	if (item) {
		json_t *type = json_object_get(v, "type");
		ni->has_type = type != NULL;
		ni->has_id = id != NULL;
		if (json_is_string(type)) {
			ni->type_len = json_string_length(type);
			ni->type_text = arena_strndup(r->arena, json_string_value(type), ni->type_len);
		}
	}
	collect_links(r, v, ni);
	if (!item && !ni->id && !ni->n_links)
		return NULL;
	struct node_info *kept = arena_alloc(r->arena, sizeof(*kept));
	*kept = tmp;
	return kept;
}

/* One top-level member's value: "data" or "included" (an array is scanned
 * element by element), or any other (parsed whole, then dropped). kind:
 * 0 absent, 1 an array, 2 null, 3 anything else. */
struct member {
	int kind;
	struct node_list list;
};

static int scan_member(struct request *r, struct scan *s, struct member *m, int item)
{
	struct batch_span sp;
	if (!m || s->pos >= s->len || s->p[s->pos] != '[') {
		json_t *v = scan_value(s, 1, &sp);
		if (!v)
			return -1;
		if (m)
			m->kind = json_is_null(v) ? 2 : 3;
		json_decref(v);
		return 0;
	}
	m->kind = 1;
	arena_on_reset(r->arena, list_free_cb, &m->list);
	s->pos++;
	skip_ws(s);
	if (s->pos < s->len && s->p[s->pos] == ']') {
		s->pos++;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		json_t *v = scan_value(s, 2, &sp);
		if (!v)
			return -1;
		const struct node_info *ni = node_facts(r, v, item);
		json_decref(v);
		list_add(&m->list, &sp, ni);
		if (m->list.failed)
			return -2;
		skip_ws(s);
		if (s->pos >= s->len)
			return -1;
		char c = s->p[s->pos++];
		if (c == ']')
			return 0;
		if (c != ',')
			return -1;
	}
}

/* The body's top-level object, member by member. 0, -1 when the scan
 * fails (the body is not JSON as jansson reads it, or the scanner cannot
 * tell: write_json_parse of the whole then says what is wrong), -2 out of
 * memory, 1 when the object has no member. */
static int scan_doc(struct request *r, const char *body, size_t len, struct member *data,
		    struct member *inc)
{
	struct scan s = { body, len, 0 };
	/* The member names seen (jansson rejects duplicates). */
	struct node_map seen = { 0 };
	const char **names = NULL;
	size_t n_names = 0, names_cap = 0;
	map_init(r, &seen, 8);
	skip_ws(&s);
	if (s.pos >= len || body[s.pos] != '{')
		return -1;
	s.pos++;
	skip_ws(&s);
	if (s.pos < len && body[s.pos] == '}') {
		s.pos++;
		skip_ws(&s);
		return s.pos == len ? 1 : -1;
	}
	for (;;) {
		skip_ws(&s);
		size_t from = s.pos;
		if (s.pos >= len || body[s.pos] != '"' || skip_string(&s) < 0)
			return -1;
		json_t *key = json_loadb(body + from, s.pos - from, SPAN_FLAGS, NULL);
		if (!json_is_string(key) || strlen(json_string_value(key)) != json_string_length(key)) {
			json_decref(key);
			return -1;
		}
		const char *name = arena_strdup(r->arena, json_string_value(key));
		json_decref(key);
		if (map_find(&seen, name, 1, n_names) != SIZE_MAX)
			return -1;
		if (n_names == names_cap) {
			names_cap = names_cap ? names_cap * 2 : 8;
			const char **nn = arena_alloc(r->arena, names_cap * sizeof(*nn));
			if (n_names)
				memcpy(nn, names, n_names * sizeof(*nn));
			names = nn;
		}
		names[n_names++] = name;
		if (n_names * 2 >= seen.cap) {
			map_init(r, &seen, n_names * 2);
			for (size_t k = 0; k < n_names; k++)
				map_find(&seen, names[k], 1, k);
		}
		skip_ws(&s);
		if (s.pos >= len || body[s.pos++] != ':')
			return -1;
		skip_ws(&s);
		int is_data = strcmp(name, "data") == 0, is_inc = strcmp(name, "included") == 0;
		int rc = scan_member(r, &s, is_data ? data : is_inc ? inc : NULL, is_inc);
		if (rc < 0)
			return rc;
		skip_ws(&s);
		if (s.pos >= len)
			return -1;
		char c = body[s.pos++];
		if (c == '}')
			break;
		if (c != ',')
			return -1;
	}
	skip_ws(&s);
	return s.pos == len ? 0 : -1;
}

static void json_free_cb(void *p)
{
	json_decref(p);
}

/* The body as write_json_parse reads it, for its errors only: called when
 * the scan failed, it records jansson's own message (or, should jansson
 * accept what the scanner did not, a plain 400). Always -1. The records
 * and items read before the failure are valid: each is replaced by a 0
 * padded to the same lines and columns (jansson counts a column per
 * character, not per byte: continuation bytes go), so the parse builds no
 * tree of them and its message is the one of the whole body. */
static int whole_parse_error(struct request *r, const char *body, size_t len,
			     const struct node_list *a, const struct node_list *b)
{
	char *copy = malloc(len + 1);
	if (!copy) {
		err_internal(r, "batch: out of memory reading the body");
		return -1;
	}
	size_t w = 0, pos = 0, ia = 0, ib = 0;
	/* jansson reads a NUL byte its own way: such a body is parsed as is. */
	int as_is = memchr(body, '\0', len) != NULL;
	for (; !as_is;) {
		/* The next span, lists merged by offset. */
		const struct batch_span *sp = NULL;
		if (ia < a->n && (ib >= b->n || a->span[ia].off < b->span[ib].off))
			sp = &a->span[ia++];
		else if (ib < b->n)
			sp = &b->span[ib++];
		size_t upto = sp ? sp->off : len;
		memcpy(copy + w, body + pos, upto - pos);
		w += upto - pos;
		if (!sp)
			break;
		copy[w++] = '0';
		for (size_t k = sp->off + 1; k < sp->off + sp->len; k++) {
			unsigned char c = (unsigned char)body[k];
			if (c == '\n')
				copy[w++] = '\n';
			else if ((c & 0xC0) != 0x80)
				copy[w++] = ' ';
		}
		pos = sp->off + sp->len;
	}
	if (as_is) {
		memcpy(copy, body, len);
		w = len;
	}
	copy[w] = '\0';
	json_t *root = write_json_parse(r, copy, w);
	free(copy);
	if (root && !r->errors)
		err_add(r, ERR_BAD_REQUEST, "Invalid json message received.");
	return -1;
}

/* Checks the included items one by one; fills m with them (nodes n_data +
 * j). 0 or -1 (recorded). */
static int check_included(struct request *r, struct batch_doc *d, struct node_map *m,
			  const struct node_info *const *info, const char **inc_id,
			  const struct resource **inc_res)
{
	int rc = 0;
	for (size_t j = 0; j < d->n_included; j++) {
		const struct node_info *ni = info[j];
		const char *ptr = arena_printf(r->arena, "/included/%zu", j);
		if (!ni->object || !ni->has_type || !ni->has_id) {
			err_ptr(r, ERR_REQUEST_DATA,
				"An included item should be an object with \"type\" and \"id\".", ptr);
			rc = -1;
			continue;
		}
		const struct resource *res =
			ni->type_text ? resources_find(ni->type_text, ni->type_len) : NULL;
		if (!res || !(res->actions & ACT_CREATE)) {
			err_ptr(r, ERR_ENTITY_TYPE,
				arena_printf(r->arena, "Unknown entity type: %s.",
					     ni->type_text ? ni->type_text : "?"),
				arena_printf(r->arena, "%s/type", ptr));
			rc = -1;
			continue;
		}
		inc_res[j] = res;
		inc_id[j] = ni->id;
		if (!inc_id[j]) {
			err_ptr(r, ERR_REQUEST_DATA, "The 'id' property should be a not empty string.",
				arena_printf(r->arena, "%s/id", ptr));
			rc = -1;
			continue;
		}
		size_t dup = map_find(m, node_key(r, res->type, inc_id[j]), 1, d->n_data + j);
		if (dup != SIZE_MAX) {
			err_ptr(r, ERR_REQUEST_DATA,
				arena_printf(r->arena, "The item duplicates the item with the index %zu",
					     dup - d->n_data),
				ptr);
			rc = -1;
		}
	}
	return rc;
}

int batch_doc_parse(struct request *r, const struct resource *res, const char *body, size_t len,
		    struct batch_doc *out)
{
	memset(out, 0, sizeof(*out));
	out->res = res;
	out->body = body;
	out->body_len = len;
	/* The permissions, before any arena_mark of the caller (see .h). */
	if (acl_level(r, res, ACL_VIEW) < 0)
		return -1;
	if (strspn(body, " \t\r\n") == len) {
		err_add(r, ERR_REQUEST_DATA, "The request data should not be empty.");
		return -1;
	}
	/* In the arena: their lists are freed at its reset. */
	struct member *dm = arena_alloc(r->arena, sizeof(*dm));
	struct member *im = arena_alloc(r->arena, sizeof(*im));
	int sc = scan_doc(r, body, len, dm, im);
	if (sc == -2) {
		err_internal(r, "batch: out of memory reading the body");
		return -1;
	}
	if (sc < 0)
		return whole_parse_error(r, body, len, &dm->list, &im->list);
	const struct member data = *dm, inc = *im;
	if (sc == 1) {
		err_add(r, ERR_REQUEST_DATA, "The request data should not be empty.");
		return -1;
	}
	if (data.kind != 1) {
		err_ptr(r, ERR_REQUEST_DATA,
			data.kind == 3 ? "The primary data object collection should be an array."
				       : "The primary data object collection should not be empty.",
			"/data");
		return -1;
	}
	if (data.list.n == 0) {
		err_ptr(r, ERR_REQUEST_DATA, "The primary data object collection should not be empty.",
			"/data");
		return -1;
	}
	if (inc.kind > 1) {
		err_ptr(r, ERR_REQUEST_DATA, "The 'included' property should be an array.", "/included");
		return -1;
	}
	out->n_data = data.list.n;
	out->n_included = inc.list.n;
	out->data_span = data.list.span;
	out->inc_span = inc.list.span;
	size_t nd = out->n_data, ni = out->n_included;

	const char **data_id = arena_alloc(r->arena, (nd + 1) * sizeof(*data_id));
	const char **inc_id = arena_alloc(r->arena, (ni + 1) * sizeof(*inc_id));
	const struct resource **inc_res = arena_alloc(r->arena, (ni + 1) * sizeof(*inc_res));
	/* The map holds the included items and the records with an id. */
	size_t n_keyed = ni;
	for (size_t i = 0; i < nd; i++)
		n_keyed += data.list.info[i] && data.list.info[i]->id;
	struct node_map m;
	map_init(r, &m, n_keyed);
	if (check_included(r, out, &m, inc.list.info, inc_id, inc_res) < 0)
		return -1;
	/* Records by their client id, for included items that name them. A
	 * record's id that collides with another's is left to the run. */
	for (size_t i = 0; i < nd; i++) {
		data_id[i] = data.list.info[i] ? data.list.info[i]->id : NULL;
		if (data_id[i])
			map_find(&m, node_key(r, res->type, data_id[i]), 1, i);
	}
	struct graph g = { .n_nodes = nd + ni };
	for (size_t u = 0; u < nd + ni; u++)
		node_edges(r, &g, &m, u < nd ? data.list.info[u] : inc.list.info[u - nd], u, nd);
	if (g.n_edges)
		graph_build(r, &g);
	/* Groups: connected components, named by their lowest record. */
	size_t *parent = arena_alloc(r->arena, (nd + ni) * sizeof(*parent));
	for (size_t u = 0; u < nd + ni; u++)
		parent[u] = u;
	for (size_t e = 0; e < g.n_edges; e++) {
		size_t a = uf_find(parent, g.from[e]), b = uf_find(parent, g.to[e]);
		/* The lower root wins: a component's root is its lowest node,
		 * a record whenever it holds one (records come first). */
		if (a < b)
			parent[b] = a;
		else if (b < a)
			parent[a] = b;
	}
	size_t *group = arena_alloc(r->arena, (nd + 1) * sizeof(*group));
	for (size_t i = 0; i < nd; i++)
		group[i] = uf_find(parent, i);
	int rc = 0;
	for (size_t j = 0; j < ni; j++)
		if (uf_find(parent, nd + j) >= nd) {
			err_ptr(r, ERR_REQUEST_DATA,
				"The entity should have a relationship with the primary entity",
				arena_printf(r->arena, "/included/%zu", j));
			rc = -1;
		}
	if (rc < 0)
		return -1;

	size_t **reach = arena_alloc(r->arena, (nd + 1) * sizeof(*reach));
	size_t *n_reach = arena_alloc(r->arena, (nd + 1) * sizeof(*n_reach));
	if (ni) {
		size_t *mark = arena_alloc(r->arena, (nd + ni) * sizeof(*mark));
		size_t *list = arena_alloc(r->arena, (nd + ni + 1) * sizeof(*list));
		for (size_t i = 0; i < nd; i++)
			if (g.start[i + 1] > g.start[i])
				n_reach[i] = reach_of(r, &g, nd, i, mark, list, &reach[i]);
	}
	out->group = group;
	out->reach = (const size_t *const *)reach;
	out->n_reach = n_reach;
	out->data_id = data_id;
	out->inc_id = inc_id;
	out->inc_res = (const struct resource *const *)inc_res;
	/* The run's "included": nulls, each item set while its record runs. */
	json_t *slots = json_array();
	if (!slots) {
		err_internal(r, "batch: out of memory");
		return -1;
	}
	arena_on_reset(r->arena, json_free_cb, slots);
	for (size_t j = 0; j < ni; j++)
		if (json_array_append_new(slots, json_null()) < 0) {
			err_internal(r, "batch: out of memory");
			return -1;
		}
	out->slots = slots;
	return 0;
}


json_t *batch_doc_record(const struct batch_doc *doc, size_t i)
{
	const struct batch_span *sp = &doc->data_span[i];
	return json_loadb(doc->body + sp->off, sp->len, SPAN_FLAGS, NULL);
}

json_t *batch_doc_item(const struct batch_doc *doc, size_t j)
{
	const struct batch_span *sp = &doc->inc_span[j];
	return json_loadb(doc->body + sp->off, sp->len, SPAN_FLAGS, NULL);
}

int batch_doc_read(struct request *r, struct batch_doc *out)
{
	memset(out, 0, sizeof(*out));
	if (r->plain) {
		err_add(r, ERR_MEDIA_TYPE,
			"The batch API takes JSON:API documents only: the \"Content-Type\" request"
			" header must be \"application/vnd.api+json\".");
		return -1;
	}
	const char *body;
	size_t len;
	if (body_read_max(r, (size_t)r->cfg->batch_max_body_size, &body, &len) < 0)
		return -1;
	return batch_doc_parse(r, r->route.res, body, len, out);
}

/* ------------------------------------------------------------ running */

static int savepoint(struct request *r, const char *stmt)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, stmt);
	return db_exec(r, &q, NULL) == 0 ? 0 : -1;
}

/* An item stored earlier in this run, that later records' references may
 * name by its type and the id the client sent. */
static struct write_item *known_add(struct request *r, struct write_item *list,
				    const struct resource *res, const char *client_id,
				    const char *db_id)
{
	if (!client_id)
		return list;
	struct write_item *k = write_item_new(r, res, "");
	k->client_id = client_id;
	k->client_id_len = strlen(client_id);
	k->db_id = db_id;
	k->known = 1;
	k->next = list;
	return k;
}

static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_error(const struct api_error *a, const struct api_error *b)
{
	return a->status == b->status && str_eq(a->title, b->title) &&
	       str_eq(a->detail, b->detail) && str_eq(a->pointer, b->pointer);
}

/* After record ptr failed: whether the errors it added (after `from`, NULL:
 * from the first) leave the transaction unusable. Errors without a source
 * get the record's pointer; an error this run already reported (an
 * included item that two records take) is dropped. */
static int after_failure(struct request *r, struct api_error *run_start, struct api_error *from,
			 const char *ptr)
{
	int fatal = db_deadlocked(r);
	struct api_error *prev = from;
	struct api_error *e = from ? from->next : r->errors;
	while (e) {
		if (e->status >= 500)
			fatal = 1;
		if (!e->pointer && !e->parameter && !e->header)
			e->pointer = arena_strdup_kept(r->arena, ptr);
		int dup = 0;
		for (const struct api_error *o = run_start ? run_start->next : r->errors;
		     o && o != e && !dup && o != (from ? from->next : r->errors); o = o->next)
			dup = same_error(o, e);
		if (!dup) {
			prev = e;
			e = e->next;
			continue;
		}
		/* prev is set: a duplicate has an earlier error before it. */
		prev->next = e->next;
		if (r->errors_tail == e)
			r->errors_tail = prev;
		r->n_errors--;
		e = e->next;
	}
	return fatal;
}

/* Included items sub[0..m) parsed into the doc's slots (a reference each;
 * the arena holds another). 0 or -1 (out of memory; slots cleared). */
static void clear_items(const struct batch_doc *doc, const size_t *sub, size_t m)
{
	for (size_t e = 0; e < m; e++)
		json_array_set(doc->slots, sub[e], json_null());
}

static int load_items(struct request *r, const struct batch_doc *doc, const size_t *sub, size_t m)
{
	for (size_t e = 0; e < m; e++) {
		json_t *it = batch_doc_item(doc, sub[e]);
		if (!it || json_array_set(doc->slots, sub[e], it) < 0) {
			json_decref(it);
			clear_items(doc, sub, e);
			return -1;
		}
		arena_on_reset(r->arena, json_free_cb, it);
	}
	return 0;
}

int batch_run(struct request *r, const struct batch_doc *doc, const size_t *idx, size_t n,
	      struct batch_outcome *out, struct batch_outcome *inc_out)
{
	/* A previous run's remembered records were rolled back with it. */
	r->activity = NULL;
	size_t ni = doc->n_included;
	unsigned char *inc_done = arena_alloc(r->arena, ni + 1);
	size_t *sub = arena_alloc(r->arena, (ni + 1) * sizeof(*sub));
	if (inc_out)
		memset(inc_out, 0, ni * sizeof(*inc_out));
	memset(out, 0, n * sizeof(*out));
	struct write_item *known = NULL;
	struct api_error *run_start = r->errors_tail;
	int rc = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = idx[k];
		const char *ptr = arena_printf(r->arena, "/data/%zu", i);
		size_t m = 0;
		for (size_t e = 0; e < doc->n_reach[i]; e++)
			if (!inc_done[doc->reach[i][e]])
				sub[m++] = doc->reach[i][e];
		/* The record and the items it takes, parsed for this run alone:
		 * freed with the caller's arena region (the write keeps
		 * pointers into them until write_flush). */
		json_t *rec = batch_doc_record(doc, i);
		if (!rec || load_items(r, doc, sub, m) < 0) {
			json_decref(rec);
			err_internal(r, "batch: record %zu cannot be parsed again", i);
			return BATCH_FATAL;
		}
		arena_on_reset(r->arena, json_free_cb, rec);
		struct write_src src = { .res = doc->res,
					 .data = rec,
					 .ptr = ptr,
					 .batch = 1,
					 .included = doc->slots,
					 .inc = sub,
					 .n_inc = m,
					 .known = known };
		struct api_error *mark = r->errors_tail;
		struct write_doc wd;
		int stored = -1, in_savepoint = 0;
		if (write_doc_build(r, WRITE_CREATE, &src, &wd) == 0) {
			if (savepoint(r, "SAVEPOINT batch_record") < 0) {
				clear_items(doc, sub, m);
				return BATCH_FATAL;
			}
			in_savepoint = 1;
			stored = write_items_store(r, &wd);
		}
		clear_items(doc, sub, m);
		if (stored < 0) {
			out[k].failed = 1;
			rc = BATCH_RECORDS_FAILED;
			if (after_failure(r, run_start, mark, ptr))
				return BATCH_FATAL;
			if (in_savepoint && savepoint(r, "ROLLBACK TO SAVEPOINT batch_record") < 0)
				return BATCH_FATAL;
			continue;
		}
		struct write_item *p = wd.primary;
		out[k].created = (unsigned char)p->created;
		out[k].db_id = arena_strdup_kept(r->arena, p->db_id);
		known = known_add(r, known, doc->res, doc->data_id[i], out[k].db_id);
		for (struct write_item *it = wd.included; it; it = it->next) {
			inc_done[it->index] = 1;
			const char *db_id = arena_strdup_kept(r->arena, it->db_id);
			if (inc_out) {
				inc_out[it->index].created = (unsigned char)it->created;
				inc_out[it->index].db_id = db_id;
			}
			known = known_add(r, known, it->res, doc->inc_id[it->index], db_id);
		}
	}
	/* Derived data of what is stored (calls' contacting activity). */
	if (write_flush(r) < 0)
		return BATCH_FATAL;
	return rc;
}

int batch_run_items(struct request *r, const struct batch_doc *doc, const size_t *idx, size_t n,
		    unsigned char *failed)
{
	struct batch_outcome *out = arena_alloc(r->arena, (n + 1) * sizeof(*out));
	int rc = batch_run(r, doc, idx, n, out, NULL);
	for (size_t k = 0; k < n; k++)
		failed[k] = out[k].failed;
	return rc;
}
