/* apictl_openapi.c: `apictl openapi` prints the OpenAPI document that
 * GET /api/doc/openapi.json serves (doc/openapi.c), with the server URL
 * from --base-url, else the configured base_url, else a relative "/". */
#include "first.h"
#include "apictl.h"
#include "maxima.h"
#include "buf.h"
#include "openapi.h"

#include <stdio.h>
#include <string.h>

const char apictl_openapi_usage[] =
	"usage: apictl openapi [--base-url URL]\n"
	"Prints the OpenAPI 3.1 document of the service (the one GET /api/doc/openapi.json\n"
	"serves). Its server URL is URL (scheme://host[/prefix], the mount of the API),\n"
	"else the configured base_url, else \"/\".\n";

int apictl_openapi_run(struct ctl *c, int argc, char **argv)
{
	const char *base = c->cfg.base_url;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--base-url") == 0 && i + 1 < argc)
			base = argv[++i];
		else
			return apictl_usage(apictl_openapi_usage, 0);
	}
	/* No trailing slash: paths start with one. */
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	char server[MAX_URL_TEXT];
	if (n >= sizeof(server))
		return apictl_errf("--base-url is too long");
	memcpy(server, base, n);
	server[n] = '\0';
	struct buf out;
	buf_init(&out, MAX_RESPONSE);
	struct jsonw w;
	jw_init(&w, &out);
	openapi_write(&w, &c->cfg, server);
	int rc = 0;
	if (buf_failed(&out) || fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0)
		rc = apictl_errf("cannot write the document");
	buf_free(&out);
	return rc;
}
