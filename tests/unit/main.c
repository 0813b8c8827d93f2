/* Unit tests of the pure code. Like lighttpd's, they include the .c files
 * they test. Run as `unit_tests GROUP`; tests/unit.bats runs each group. */
#include "../../src/core/first.h"
#include "check.h"

#include "../../src/core/arena.c"
#include "../../src/core/buf.c"
#include "../../src/core/date.c"
#include "../../src/core/err.c"
#include "../../src/core/log.c"
#include "../../src/core/num.c"
#include "../../src/doc/jsonw.c"
#include "../../src/http/negotiate.c"
#include "../../src/write/value.c"
#include "../../src/auth/wsse.c"
#include "../../src/core/ttlcache.c"
#include "../../src/core/url.c"
#include "../../src/core/uniq.c"
#include "../../src/core/digest.c"
#include "../../src/core/hex.c"
#include "../../src/sql/dbtime.c"
#include "../../src/sql/sql.c"
/* Static helpers of the same name in two files get one name each. */
#define parse_bool config_parse_bool
#define trim config_trim
#include "../../src/core/config.c"
#undef parse_bool
#undef trim
#include "../../src/query/query.c"
#define cmp_param_name filter_cmp_param_name
#define days_from_civil filter_days_from_civil
#define digits filter_digits
#include "../../src/query/filter.c"
#undef cmp_param_name
#undef days_from_civil
#undef digits
#define resolve sort_resolve
#include "../../src/query/sort.c"
#undef resolve
#include "../../src/query/include.c"
#include "write_hooks.c"

#include "test_arena.c"
#include "test_date.c"
#include "test_jsonw.c"
#include "test_negotiate.c"
#include "test_num.c"
#include "test_value.c"
#include "test_wsse.c"
#include "test_ttlcache.c"
#include "test_url.c"
#include "test_uniq.c"
#include "test_digest.c"
#include "test_dbtime.c"
#include "test_sql.c"
#include "test_query.c"

int check_failures;

static const struct {
	const char *name;
	void (*fn)(void);
} groups[] = {
	{ "arena", test_arena },
	{ "date", test_date },
	{ "jsonw", test_jsonw },
	{ "negotiate", test_negotiate },
	{ "num", test_num },
	{ "value", test_value },
	{ "wsse", test_wsse },
	{ "ttlcache", test_ttlcache },
	{ "url", test_url },
	{ "uniq", test_uniq },
	{ "digest", test_digest },
	{ "dbtime", test_dbtime },
	{ "sql", test_sql },
	{ "query", test_query },
	{ "sort", test_sort },
	{ "include", test_include },
	{ "filter", test_filter },
};

int main(int argc, char **argv)
{
	int ran = 0;
	for (size_t i = 0; i < ARRAY_LEN(groups); i++) {
		if (argc > 1 && strcmp(argv[1], groups[i].name) != 0)
			continue;
		groups[i].fn();
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "unknown group %s\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	if (check_failures)
		fprintf(stderr, "%d check(s) failed\n", check_failures);
	return check_failures ? 1 : 0;
}
