/* Arena and buffer: reset runs cleanups in reverse and frees everything. */
static int cleanup_order[4];
static int cleanup_n;

static void note_cleanup(void *p)
{
	cleanup_order[cleanup_n++] = *(int *)p;
}

static void test_arena(void)
{
	struct arena *a = arena_new(); /* never NULL: exhausted memory aborts */
	CHECK(arena_used(a) == 0);
	static int one = 1, two = 2;
	char *s = arena_strdup(a, "hello");
	CHECK_STR(s, "hello");
	CHECK_STR(arena_printf(a, "%d-%s", 7, "x"), "7-x");
	/* A large allocation gets its own block and is zeroed. */
	unsigned char *big = arena_alloc(a, 100000);
	CHECK(big != NULL && big[0] == 0 && big[99999] == 0);
	arena_on_reset(a, note_cleanup, &one);
	arena_on_reset(a, note_cleanup, &two);
	CHECK(arena_used(a) >= 100000);
	arena_reset(a);
	CHECK(cleanup_n == 2 && cleanup_order[0] == 2 && cleanup_order[1] == 1);
	CHECK(arena_used(a) == 0);
	/* A mark rolls back later allocations, big ones and cleanups too. */
	static int three = 3;
	cleanup_n = 0;
	arena_strdup(a, "kept");
	struct arena_mark m;
	arena_mark(a, &m);
	size_t used = arena_used(a);
	for (int i = 0; i < 100; i++)
		CHECK(arena_alloc(a, 1000) != NULL);
	CHECK(arena_alloc(a, 200000) != NULL);
	arena_on_reset(a, note_cleanup, &three);
	arena_release(a, &m);
	CHECK(arena_used(a) == used);
	CHECK(cleanup_n == 1 && cleanup_order[0] == 3);
	arena_reset(a);
	/* Many small allocations across blocks stay distinct. */
	char *prev = NULL;
	for (int i = 0; i < 5000; i++) {
		char *p = arena_alloc(a, 24);
		CHECK(p != NULL && p != prev);
		prev = p;
	}
	arena_destroy(a);

	struct buf b;
	buf_init(&b, 8);
	CHECK(buf_puts(&b, "12345678") == 0);
	CHECK(buf_putc(&b, '9') < 0);      /* over the maximum */
	CHECK(buf_failed(&b));
	CHECK(buf_puts(&b, "x") < 0);      /* stays failed */
	buf_clear(&b);
	CHECK(!buf_failed(&b) && b.len == 0);
	buf_printf(&b, "%d", 42);
	CHECK_STR(b.data, "42");
	buf_free(&b);

	/* The inline path: capacity (512) above the maximum (300) still stops
	 * at the maximum; buf_printf in one pass and when it must grow. */
	buf_init(&b, 300);
	for (int i = 0; i < 299; i++)
		CHECK(buf_putc(&b, 'a') == 0);
	CHECK(b.cap > b.max && b.len == 299);
	CHECK(buf_append(&b, "bc", 2) < 0 && buf_failed(&b) && b.len == 299);
	buf_clear(&b);
	CHECK(buf_printf(&b, "%s-%d", "x", 7) == 0);
	CHECK_STR(b.data, "x-7");
	CHECK(buf_printf(&b, "%0298d", 1) < 0 && buf_failed(&b)); /* 3 + 298 > 300 */
	buf_clear(&b);
	CHECK(buf_printf(&b, "%0296d", 1) == 0 && b.len == 296);
	buf_free(&b);
	buf_init(&b, 1 << 20);
	CHECK(buf_puts(&b, "ab") == 0);
	CHECK(buf_printf(&b, "%01000d", 5) == 0 && b.len == 1002 && b.data[1001] == '5');
	CHECK(b.data[1002] == '\0' && b.data[0] == 'a');
	buf_free(&b);
}
