/* resources.c: the registry of resource types (redis command-table style).
 * Adding a type: one res_<type>.c file and one line below. */
#include "first.h"
#include "resource.h"

#include <string.h>

extern const struct resource res_organizations, res_businessunits, res_users, res_userroles,
	res_countries, res_accounts, res_contacts, res_calls, res_asyncoperations;

static const struct resource *const registry[] = {
	&res_organizations,
	&res_businessunits,
	&res_users,
	&res_userroles,
	&res_countries,
	&res_accounts,
	&res_contacts,
	&res_calls,
	&res_asyncoperations,
};

const struct resource *resources_find(const char *type, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(registry); i++)
		if (strlen(registry[i]->type) == len && memcmp(registry[i]->type, type, len) == 0)
			return registry[i];
	return NULL;
}

const struct resource *const *resources_all(size_t *n)
{
	*n = ARRAY_LEN(registry);
	return registry;
}

const struct relationship *resource_rel(const struct resource *res, const char *name, size_t len)
{
	for (size_t i = 0; i < res->n_rels; i++)
		if (strlen(res->rels[i].name) == len && memcmp(res->rels[i].name, name, len) == 0)
			return &res->rels[i];
	return NULL;
}

const struct resource *resource_target(const struct relationship *rel)
{
	return resources_find(rel->target, strlen(rel->target));
}
