/* Content negotiation of section 2. */
static void test_negotiate(void)
{
	const char *J = "application/vnd.api+json";
	CHECK(negotiate(J, NULL) == NEGO_JSONAPI);
	CHECK(negotiate("text/html, application/vnd.api+json;q=0.9", NULL) == NEGO_JSONAPI);
	CHECK(negotiate("application/vnd.api+json; ext=x", NULL) == NEGO_406_JSONAPI);
	CHECK(negotiate("application/vnd.api+json; ext=x, application/vnd.api+json", NULL) ==
	      NEGO_JSONAPI);
	CHECK(negotiate("APPLICATION/VND.API+JSON", NULL) == NEGO_JSONAPI);
	CHECK(negotiate(NULL, J) == NEGO_JSONAPI);
	CHECK(negotiate(NULL, "application/vnd.api+json; charset=utf-8") == NEGO_415);
	CHECK(negotiate("text/html", J) == NEGO_406_JSONAPI);
	CHECK(negotiate("*/*", J) == NEGO_JSONAPI);
	CHECK(negotiate(NULL, NULL) == NEGO_PLAIN);
	CHECK(negotiate("*/*", NULL) == NEGO_PLAIN);
	CHECK(negotiate("application/*", NULL) == NEGO_PLAIN);
	CHECK(negotiate("application/json", "application/json; charset=utf-8") == NEGO_PLAIN);
	CHECK(negotiate("text/html", NULL) == NEGO_406_PLAIN_ACCEPT);
	CHECK(negotiate("application/json;q=0", NULL) == NEGO_406_PLAIN_ACCEPT);
	CHECK(negotiate(NULL, "text/plain") == NEGO_406_PLAIN_CTYPE);
	CHECK(negotiate("", NULL) == NEGO_PLAIN);
}
