/* check.h: the tiny assertion kit of the C unit tests. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
#include <string.h>

extern int check_failures;

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failures++;                                             \
		}                                                                     \
	} while (0)

#define CHECK_STR(got, want)                                                          \
	do {                                                                          \
		const char *g_ = (got), *w_ = (want);                                 \
		if (!g_ || strcmp(g_, w_) != 0) {                                     \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
				g_ ? g_ : "(null)", w_);                              \
			check_failures++;                                             \
		}                                                                     \
	} while (0)

#endif
