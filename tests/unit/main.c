/* Unit tests of the pure code. Like lighttpd's, they include the .c files
 * they test. Run as `unit_tests GROUP`; tests/unit.bats runs each group. */
#include "../../src/core/first.h"
#include "check.h"

#include "../../src/core/arena.c"
#include "../../src/core/buf.c"
#include "../../src/doc/jsonw.c"
#include "../../src/http/negotiate.c"
#include "../../src/write/value.c"
#include "../../src/auth/wsse.c"
#include "../../src/core/ttlcache.c"

#include "test_arena.c"
#include "test_jsonw.c"
#include "test_negotiate.c"
#include "test_value.c"
#include "test_wsse.c"
#include "test_ttlcache.c"

int check_failures;

static const struct {
	const char *name;
	void (*fn)(void);
} groups[] = {
	{ "arena", test_arena },
	{ "jsonw", test_jsonw },
	{ "negotiate", test_negotiate },
	{ "value", test_value },
	{ "wsse", test_wsse },
	{ "ttlcache", test_ttlcache },
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
