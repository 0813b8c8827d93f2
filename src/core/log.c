/* log.c: see log.h. The line is built first and written with one call so
 * lines of concurrent processes do not interleave. */
#include "first.h"
#include "log.h"
#include "maxima.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

void log_msg(const char *request_id, const char *fmt, ...)
{
	char line[MAX_LOG_LINE];
	int n = snprintf(line, sizeof(line), "mariapi[%ld] %s%s%s", (long)getpid(),
			 request_id ? "[" : "", request_id ? request_id : "", request_id ? "] " : "");
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	/* Keep the line one line: control bytes in echoed input become '?'. */
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20)
			line[i] = '?';
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}
