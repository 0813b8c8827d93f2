/* maxima.h: the hard maxima, in one place (curl/SQLite style): the sizes
 * that bound a buffer, the arena, a key or a name, and the counts past which
 * a request is refused. Configurable limits (max_body_size, page sizes...)
 * are config.c's; these are compiled in. */
#ifndef MAXIMA_H
#define MAXIMA_H

/* core/ */
#define ARENA_BLOCK 16384    /* bytes of an arena block; a quarter of it or more is a big block */
#define MAX_ERRORS 1000      /* errors one request records (10,000 bad members give 1000) */
#define MAX_LOG_LINE 2048    /* bytes of one log line, the request id included */
#define MAX_CONFIG_LINE 2048 /* bytes of one line of the config file */

/* http/ */
#define MAX_URI 8192                   /* longest request URI routed; longer is a 414 */
#define IO_CHUNK 16384                 /* bytes read from the body at a time */
#define MAX_HEADER_TEXT (1 << 20)      /* the status line and headers of a response */
#define MAX_RESPONSE ((size_t)1 << 31) /* a response body held in memory */
#define MAX_URL_TEXT (1 << 16)         /* a link or Location URL the service builds */

/* auth/ */
#define WSSE_MAX_VALUE 256  /* a WSSE header field (username, nonce...), NUL included */
#define MAX_OAUTH_PARAMS 16 /* parameters of an OAuth token request */

/* query/: bounds on one request's filters, so that a long body (POST with
 * X-HTTP-Method-Override) cannot make SQL past the text and placeholder
 * limits of sql.c and MariaDB (65535), nor quadratic work. A query string
 * (8 kB) stays well inside them. */
#define MAX_FILTERS 100
#define MAX_FILTER_VALUES 5000
#define FILTER_MAX_PATH 3        /* to-one hops in a filter's "a.b.field" */
#define MAX_PARAM_TEXT (1 << 20) /* a body filter's array joined into one text */

/* sql/ */
#define SQL_MAX_TEXT (1u << 20) /* bytes of one statement's SQL text */
#define ACL_TYPES 32            /* resource types of an access table (more than the registry) */

/* doc/ */
#define JSONW_MAX_DEPTH 32 /* nesting of the JSON writer */

/* write/ */
#define MAX_DETAIL_VALUE 100 /* bytes of a client's value quoted in an error detail */

/* admin/ (apictl) */
#define MAX_ROLES 32      /* roles given to a user at once */
#define MAX_PASSWORD 1024 /* bytes of a password read from stdin */

#endif
