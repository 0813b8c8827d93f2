/* first.h: included first by every .c file (as lighttpd does).
 * Feature macros come from the Makefile (-std=c11 -D_POSIX_C_SOURCE=200809L);
 * this header adds the attribute macros the code uses everywhere. */
#ifndef FIRST_H
#define FIRST_H

#if defined(__GNUC__) || defined(__clang__)
#define ATTR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ATTR_UNUSED __attribute__((unused))
#else
#define ATTR_PRINTF(fmt, args)
#define ATTR_UNUSED
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#include <stddef.h>
#include <stdint.h>

#endif
