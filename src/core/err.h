/* err.h: the request's error list (section 10). A failing function records
 * one or more errors here and returns -1; the top level renders them. Every
 * error is of a kind: the table in err.c gives each kind its status and
 * title, so a title is typed out once. */
#ifndef ERR_H
#define ERR_H
#include "first.h"
#include "req.h"

enum err_kind {
	ERR_BAD_REQUEST,      /* 400 bad request http exception (unreadable JSON) */
	ERR_FILTER,           /* 400 filter constraint (query parameters) */
	ERR_SORT,             /* 400 sort constraint */
	ERR_REQUEST_DATA,     /* 400 request data constraint (document shape) */
	ERR_EXTRA_FIELDS,     /* 400 extra fields constraint */
	ERR_FORM,             /* 400 form constraint (a value of the wrong form) */
	ERR_VALUE,            /* 400 value constraint */
	ERR_RANGE,            /* 400 range constraint */
	ERR_LENGTH,           /* 400 length constraint */
	ERR_EMAIL,            /* 400 email constraint */
	ERR_REGEX,            /* 400 regex constraint */
	ERR_NOT_BLANK,        /* 400 not blank constraint */
	ERR_NOT_NULL,         /* 400 not null constraint */
	ERR_UNIQUE,           /* 400 unique entity constraint */
	ERR_ENTITY_ID,        /* 400 entity identifier constraint */
	ERR_ENTITY_TYPE,      /* 400 entity type constraint (in a body) */
	ERR_HEADER_VALUE,     /* 400 invalid header value exception (X-Mode) */
	ERR_ACCESS_DENIED,    /* 403 access denied exception */
	ERR_NOT_FOUND,        /* 404 not found http exception */
	ERR_UNKNOWN_TYPE,     /* 404 entity type constraint (in the URL) */
	ERR_UNKNOWN_RELATION, /* 404 relationship constraint */
	ERR_NOT_ACCEPTABLE,   /* 406 not acceptable http exception */
	ERR_CONFLICT,         /* 409 conflict constraint */
	ERR_PRECONDITION,     /* 412 precondition failed http exception */
	ERR_TOO_LARGE,        /* 413 request entity too large http exception */
	ERR_URI_TOO_LONG,     /* 414 uri too long http exception */
	ERR_MEDIA_TYPE,       /* 415 unsupported media type http exception */
	ERR_INTERNAL,         /* 500 internal server error (detail-less) */
	ERR_UNAVAILABLE,      /* 503 service unavailable http exception */
	ERR_KIND_COUNT
};

/* The kind's status and title (a static string). */
int err_kind_status(enum err_kind kind);
const char *err_kind_title(enum err_kind kind);

/* Appends an error of kind; detail is borrowed (a string literal or arena
 * memory; NULL for none). Returns the error so the caller can set its
 * source, or NULL once the request holds the most errors it keeps. */
struct api_error *err_add(struct request *r, enum err_kind kind, const char *detail);
/* err_add with source.pointer (borrowed like detail). */
struct api_error *err_ptr(struct request *r, enum err_kind kind, const char *detail,
			  const char *pointer);
/* Same with a printf-formatted detail copied into the arena. */
struct api_error *err_addf(struct request *r, enum err_kind kind, const char *fmt, ...)
	ATTR_PRINTF(3, 4);
/* Turns a recorded error into one of kind (its status and title). */
void err_set_kind(struct api_error *e, enum err_kind kind);
/* Logs the cause with the request id and records a detail-less 500. */
void err_internal(struct request *r, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* An error's source (pointer, else parameter, else header) and, in *member,
 * its member name; NULL when it has none. */
const char *err_source(const struct api_error *e, const char **member);
/* The response status for the recorded errors: the one status if all agree,
 * 500 if any 5xx, 409 if any 409, else 400. */
int err_status(const struct request *r);

#endif
