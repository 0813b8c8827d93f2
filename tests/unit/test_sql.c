/* The SQL builder (src/sql/sql.c): trusted text, `quoted` identifiers, and
 * every client value as a ? with its bound parameter, in order. */

static void test_sql(void)
{
	struct arena *a = arena_new();
	struct sql s;

	sql_init(&s, a);
	CHECK(!sql_failed(&s));
	sql_add(&s, "SELECT ");
	sql_ident(&s, "c", "last_name");
	sql_add(&s, ", ");
	sql_ident(&s, NULL, "id");
	sql_add(&s, " FROM contacts c WHERE ");
	sql_ident(&s, "c", "email");
	sql_add(&s, " = ");
	/* A hostile value never reaches the text: it is a parameter. */
	const char *evil = "x' OR '1'='1'; DROP TABLE users; -- ?";
	sql_str(&s, evil, strlen(evil));
	sql_add(&s, " AND ");
	sql_ident(&s, "c", "id");
	sql_add(&s, " > ");
	sql_int(&s, -42);
	CHECK(!sql_failed(&s));
	CHECK_STR(s.text->data, "SELECT `c`.`last_name`, `id` FROM contacts c WHERE `c`.`email` = ? "
				"AND `c`.`id` > ?");
	CHECK(s.n_params == 2);
	CHECK(s.params[0].kind == SP_STR && s.params[0].s == evil &&
	      s.params[0].len == strlen(evil));
	/* Identifiers written in one piece when there is room and piece by
	 * piece when the text must grow: the same bytes either way. */
	{
		struct sql g;
		sql_init(&g, a);
		char want[8192] = "";
		size_t w = 0;
		for (int k = 0; k < 200; k++) {
			const char *alias = k % 3 ? "tt" : NULL;
			const char *col = k % 2 ? "a_rather_long_column_name" : "c";
			sql_ident(&g, alias, col);
			w += (size_t)snprintf(want + w, sizeof(want) - w, "%s%s%s`%s`", alias ? "`" : "",
					      alias ? alias : "", alias ? "`." : "", col);
		}
		CHECK(!sql_failed(&g));
		CHECK_STR(g.text->data, want);
	}
	CHECK(s.params[1].kind == SP_INT && s.params[1].i == -42);

	/* A ROWS EXAMINED bound: its value a parameter, the statement marked. */
	sql_init(&s, a);
	CHECK(!s.bounded);
	sql_add(&s, "SELECT 1 LIMIT 11");
	sql_rows_examined(&s, 1000);
	CHECK_STR(s.text->data, "SELECT 1 LIMIT 11 ROWS EXAMINED ?");
	CHECK(s.bounded && s.n_params == 1 && s.params[0].kind == SP_INT && s.params[0].i == 1000);
	{
		/* appended, the bound and its mark come along */
		struct sql head;
		sql_init(&head, a);
		sql_add(&head, "SELECT * FROM (");
		CHECK(!head.bounded);
		sql_append(&head, &s);
		CHECK_STR(head.text->data, "SELECT * FROM (SELECT 1 LIMIT 11 ROWS EXAMINED ?");
		CHECK(head.bounded && head.n_params == 1 && head.params[0].i == 1000);
	}

	/* A string parameter keeps its length, NUL bytes included. */
	sql_init(&s, a);
	sql_str(&s, "a\0b", 3);
	CHECK_STR(s.text->data, "?");
	CHECK(s.n_params == 1 && s.params[0].len == 3 && memcmp(s.params[0].s, "a\0b", 3) == 0);

	/* Many parameters (the array grows): all kept, in order. */
	sql_init(&s, a);
	sql_add(&s, "IN (");
	for (int i = 0; i < 100; i++) {
		if (i)
			sql_add(&s, ",");
		sql_int(&s, i * 7);
	}
	sql_add(&s, ")");
	CHECK(!sql_failed(&s));
	CHECK(s.n_params == 100);
	CHECK(s.text->len == 4 + 100 + 99 + 1);
	int in_order = 1;
	for (size_t i = 0; i < s.n_params; i++)
		in_order &= s.params[i].kind == SP_INT && s.params[i].i == (long long)i * 7;
	CHECK(in_order);

	/* sql_append: the tail's text and its parameters, each with its '?'. */
	struct sql head, tail;
	sql_init(&head, a);
	sql_init(&tail, a);
	sql_add(&head, "SELECT 1 FROM t WHERE a = ");
	sql_str(&head, "first", 5);
	sql_add(&tail, " AND b = ");
	sql_int(&tail, 2);
	sql_add(&tail, " AND c LIKE ");
	sql_str(&tail, "th%", 3);
	sql_append(&head, &tail);
	CHECK(!sql_failed(&head));
	CHECK_STR(head.text->data, "SELECT 1 FROM t WHERE a = ? AND b = ? AND c LIKE ?");
	CHECK(head.n_params == 3);
	CHECK(head.params[0].kind == SP_STR && head.params[0].len == 5);
	CHECK(head.params[1].kind == SP_INT && head.params[1].i == 2);
	CHECK(head.params[2].kind == SP_STR && memcmp(head.params[2].s, "th%", 3) == 0);
	/* Appending an empty builder changes nothing. */
	sql_init(&tail, a);
	sql_append(&head, &tail);
	CHECK(head.n_params == 3 && !sql_failed(&head));

	/* Past the text limit (1 MiB) the builder is failed, and stays so;
	 * a failed tail fails what it is appended to. */
	sql_init(&tail, a);
	static char chunk[4097];
	memset(chunk, 'x', sizeof(chunk) - 1);
	for (int i = 0; i < 300; i++)
		sql_add(&tail, chunk);
	CHECK(sql_failed(&tail));
	sql_add(&tail, "more");
	CHECK(sql_failed(&tail));
	sql_init(&head, a);
	sql_add(&head, "SELECT 1");
	CHECK(!sql_failed(&head));
	sql_append(&head, &tail);
	CHECK(sql_failed(&head));

	/* The builders' buffers belong to the arena: a reset frees them. */
	arena_reset(a);
	sql_init(&s, a);
	sql_add(&s, "SELECT 2");
	CHECK_STR(s.text->data, "SELECT 2");
	arena_destroy(a);
}
