/* rules.c: see rules.h. */
#include "first.h"
#include "rules.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "oauth.h"
#include "sql.h"
#include "write.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The index of attribute name in the item's resource. */
static size_t attr_index(const struct write_item *it, const char *name)
{
	for (size_t i = 0; i < it->res->n_attrs; i++)
		if (strcmp(it->res->attrs[i].name, name) == 0)
			return i;
	return it->res->n_attrs;
}

/* Whether this write sets attribute name to a text with an ASCII letter or
 * digit: never blank, whatever the collation (PAD SPACE makes "  " equal
 * to '', and unicode_ci ignores some characters, so nothing less is sure). */
static int sets_word(const struct write_item *it, const char *name)
{
	size_t i = attr_index(it, name);
	if (i == it->res->n_attrs || !it->attrs[i].present || !it->attrs[i].text)
		return 0;
	for (size_t k = 0; k < it->attrs[i].len; k++)
		if (isalnum((unsigned char)it->attrs[i].text[k]) &&
		    (unsigned char)it->attrs[i].text[k] < 0x80)
			return 1;
	return 0;
}

/* Whether this write sends attribute name at all. */
static int sends(const struct write_item *it, const char *name)
{
	size_t i = attr_index(it, name);
	return i < it->res->n_attrs && it->attrs[i].present;
}

int rules_contact_name(struct request *r, const struct write_item *it)
{
	/* A name this write sets is the row's (every item's check runs after
	 * every item is stored, and the last one to set a name asks if blank):
	 * no statement needed to know it is not blank. */
	if (sets_word(it, "firstName") || sets_word(it, "lastName"))
		return 0;
	/* An update of a stored row (PATCH, meta.update, an upsert that found
	 * it: write_item_update ran) that sends neither name leaves the names
	 * as they were, and they passed this rule when they were set. */
	if (it->update && !it->created && !sends(it, "firstName") && !sends(it, "lastName"))
		return 0;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT 1 FROM contacts WHERE id = ");
	sql_str(&q, it->db_id, strlen(it->db_id));
	sql_add(&q, " AND COALESCE(first_name, '') = '' AND COALESCE(last_name, '') = ''");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	if (!rows.n)
		return 0;
	err_ptr(r, ERR_NOT_BLANK, "The first name or the last name must be set.",
		write_attr_ptr(r, it, "firstName"));
	return -1;
}

int rules_role_name(struct request *r, const struct write_item *it)
{
	size_t i = attr_index(it, "role");
	if (i == it->res->n_attrs || !it->attrs[i].present || !it->attrs[i].text)
		return 0;
	const char *s = it->attrs[i].text;
	size_t n = it->attrs[i].len;
	int ok = n > 5 && strncmp(s, "ROLE_", 5) == 0 &&
		 strspn(s + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n - 5;
	if (ok)
		return 0;
	err_ptr(r, ERR_REGEX,
		"The role must be ROLE_ followed by upper-case letters, digits or \"_\".",
		write_attr_ptr(r, it, "role"));
	return -1;
}

/* An update that sets a password, or enabled false, ends every OAuth token
 * of the user, in the write's transaction (section 3.2; enabling the user
 * again brings none back). Bearer tokens are read on every request, so the
 * revocation holds from the next one on. */
static int revoke_tokens(struct request *r, const struct write_item *it)
{
	size_t pw = attr_index(it, "password"), en = attr_index(it, "enabled");
	int password = pw < it->res->n_attrs && it->attrs[pw].present && it->attrs[pw].text;
	int disabled = en < it->res->n_attrs && it->attrs[en].present && it->attrs[en].text &&
		       strcmp(it->attrs[en].text, "0") == 0;
	if (!password && !disabled)
		return 0;
	return oauth_revoke_user(r, strtoll(it->db_id, NULL, 10));
}

int rules_user_membership(struct request *r, const struct write_item *it)
{
	if (!it->created)
		return revoke_tokens(r, it);
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "INSERT IGNORE INTO user_organizations (user_id, organization_id)"
		    " SELECT id, organization_id FROM users WHERE id = ");
	sql_str(&q, it->db_id, strlen(it->db_id));
	if (db_exec(r, &q, NULL) != 0)
		return -1;
	sql_init(&q, r->arena);
	sql_add(&q, "INSERT IGNORE INTO user_business_units (user_id, business_unit_id)"
		    " SELECT id, business_unit_id FROM users WHERE id = ");
	sql_str(&q, it->db_id, strlen(it->db_id));
	return db_exec(r, &q, NULL) == 0 ? 0 : -1;
}
