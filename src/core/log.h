/* log.h: one line per event on stderr, which the web server files in its
 * error log. Never give it a secret. */
#ifndef LOG_H
#define LOG_H
#include "first.h"

/* request_id may be NULL for process-level events. */
void log_msg(const char *request_id, const char *fmt, ...) ATTR_PRINTF(2, 3);

#endif
