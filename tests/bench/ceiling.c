/* ceiling.c: the fastest a FastCGI program here can answer: one prepared
 * point-select by primary key on a persistent connection and a fixed small
 * JSON body. `make bench` serves it through the same lighttpd as the API to
 * measure the ceiling the API's figures are compared with. */
#include <fcgiapp.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	FCGX_Init();
	MYSQL *m = mysql_init(NULL);
	const char *sock = getenv("API_DB_SOCKET");
	const char *pw = getenv("API_DB_PASSWORD");
	if (!mysql_real_connect(m, "localhost", "mariapi", pw, "mariapi", 0, sock, 0))
		return 1;
	MYSQL_STMT *st = mysql_stmt_init(m);
	const char *sql = "SELECT id, first_name FROM contacts WHERE id = ?";
	if (mysql_stmt_prepare(st, sql, strlen(sql)))
		return 1;
	FCGX_Request req;
	FCGX_InitRequest(&req, 0, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		const char *qs = FCGX_GetParam("QUERY_STRING", req.envp);
		long long id = qs ? atoll(qs) : 1;
		MYSQL_BIND p;
		memset(&p, 0, sizeof(p));
		p.buffer_type = MYSQL_TYPE_LONGLONG;
		p.buffer = &id;
		mysql_stmt_bind_param(st, &p);
		char name[256];
		unsigned long len = 0;
		long long got = 0;
		MYSQL_BIND r[2];
		memset(r, 0, sizeof(r));
		r[0].buffer_type = MYSQL_TYPE_LONGLONG;
		r[0].buffer = &got;
		r[1].buffer_type = MYSQL_TYPE_STRING;
		r[1].buffer = name;
		r[1].buffer_length = sizeof(name);
		r[1].length = &len;
		mysql_stmt_execute(st);
		mysql_stmt_bind_result(st, r);
		while (mysql_stmt_fetch(st) == 0)
			;
		mysql_stmt_free_result(st);
		static const char body[] = "{\"data\":{\"type\":\"contacts\",\"id\":\"1\"}}";
		char head[128];
		int n = snprintf(head, sizeof(head),
				 "Status: 200 OK\r\nContent-Type: application/vnd.api+json\r\n"
				 "Content-Length: %zu\r\n\r\n", sizeof(body) - 1);
		FCGX_PutStr(head, n, req.out);
		FCGX_PutStr(body, (int)sizeof(body) - 1, req.out);
		/* The API's quick close (src/http/io_fcgi.c): the input read to
		 * its end, then a plain close instead of libfcgi's shutdown and
		 * wait, so that the ceiling is served the same way. */
		char rest[256];
		while (FCGX_GetStr(rest, (int)sizeof(rest), req.in) > 0)
			;
		if (FCGX_HasSeenEOF(req.in) && FCGX_GetError(req.in) == 0)
			FCGX_Detach(&req);
		FCGX_Finish_r(&req);
	}
	return 0;
}
