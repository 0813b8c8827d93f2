/* http.h: writes the response (CGI-style Status line, headers, body)
 * through the transport. */
#ifndef HTTP_H
#define HTTP_H
#include "first.h"
#include "req.h"

void http_respond(struct request *r);
/* Sends the headers (first call, without Content-Length) and the body so
 * far, then empties the body: for streamed responses. 0 or -1. */
int http_flush(struct request *r);
/* Reason phrase of a status code. */
const char *http_reason(int status);

#endif
