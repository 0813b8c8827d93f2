/* apictl_org.c: `apictl org add NAME [--unit UNIT]` (a new, enabled
 * organization with its top business unit, so that users can be added to
 * it at once; prints the organization's id) and `apictl org disable ORG`
 * (every key, client and token of the organization stops working at the
 * next request: the credential checks join organizations.enabled). */
#include "first.h"
#include "apictl.h"
#include "db.h"
#include "sql.h"

#include <stdio.h>
#include <string.h>

const char apictl_org_usage[] =
	"usage: apictl org add NAME [--unit UNIT]\n"
	"       apictl org disable ORG\n"
	"add creates the organization NAME, enabled, with a top business unit named\n"
	"UNIT (default: NAME), and prints the organization's id. disable disables the\n"
	"organization ORG (name or id): every API key, OAuth client and token acting in\n"
	"it gets 401 from the next request on.\n";

static int org_add(struct ctl *c, const char *name, const char *unit)
{
	size_t n = strlen(name), un = strlen(unit);
	if (n == 0 || n > 255 || un == 0 || un > 255)
		return apictl_errf("a name is 1 to 255 characters");
	/* ORG arguments are names or ids: a name of digits would read as an id. */
	if (strspn(name, "0123456789") == n)
		return apictl_errf("an organization name cannot be only digits");
	long long id;
	int rc = apictl_find_org(c, name, &id, NULL);
	if (rc < 0)
		return apictl_fail(c, "cannot read organizations");
	if (rc == 0)
		return apictl_errf("an organization \"%s\" already exists (id %lld)", name, id);
	if (db_begin(&c->r) < 0)
		return apictl_fail(c, "cannot start a transaction");
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO organizations (name, enabled, created_at, updated_at) VALUES (");
	sql_str(&q, name, n);
	sql_add(&q, ", 1, UTC_TIMESTAMP(), UTC_TIMESTAMP())");
	rc = db_exec(&c->r, &q, NULL);
	if (rc == DB_DUPLICATE) {
		db_end(&c->r, 0);
		return apictl_errf("an organization named \"%s\" already exists", name);
	}
	if (rc != 0) {
		db_end(&c->r, 0);
		return apictl_fail(c, "cannot add the organization");
	}
	sql_init(&q, c->r.arena);
	sql_add(&q, "INSERT INTO business_units (organization_id, name, created_at, updated_at)"
		    " SELECT id, ");
	sql_str(&q, unit, un);
	sql_add(&q, ", UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM organizations WHERE name = ");
	sql_str(&q, name, n);
	if (db_exec(&c->r, &q, NULL) != 0 || db_end(&c->r, 1) < 0) {
		db_end(&c->r, 0);
		return apictl_fail(c, "cannot add the organization's business unit");
	}
	rc = apictl_id_of(c, "SELECT id FROM organizations WHERE name = ", name, &id);
	if (rc != 0)
		return apictl_fail(c, "cannot read the new organization");
	printf("%lld\n", id);
	return 0;
}

static int org_disable(struct ctl *c, const char *org)
{
	long long id;
	int enabled;
	int rc = apictl_find_org(c, org, &id, &enabled);
	if (rc < 0)
		return apictl_fail(c, "cannot read organizations");
	if (rc > 0)
		return apictl_errf("no organization \"%s\"", org);
	if (!enabled) {
		printf("organization %lld was already disabled\n", id);
		return 0;
	}
	struct sql q;
	sql_init(&q, c->r.arena);
	sql_add(&q, "UPDATE organizations SET enabled = 0, updated_at = UTC_TIMESTAMP() WHERE id = ");
	sql_int(&q, id);
	if (db_exec(&c->r, &q, NULL) != 0)
		return apictl_fail(c, "cannot disable the organization");
	printf("organization %lld disabled\n", id);
	return 0;
}

int apictl_org_run(struct ctl *c, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "add") == 0)
		return org_add(c, argv[2], argv[2]);
	if (argc == 5 && strcmp(argv[1], "add") == 0 && strcmp(argv[3], "--unit") == 0)
		return org_add(c, argv[2], argv[4]);
	if (argc == 3 && strcmp(argv[1], "disable") == 0)
		return org_disable(c, argv[2]);
	return apictl_usage(apictl_org_usage, 0);
}
