/* activity.h: the contacting-activity rule of section 12. Calls are
 * contacting activities of their contact and account: times contacted
 * (in, out, all) and the last contact dates (in, out, any) of those
 * records are kept exact, in the same transaction as the change of a call.
 * They are recomputed from the calls, not adjusted, so no sequence of
 * creates, re-assignments and deletes can drift them. */
#ifndef ACTIVITY_H
#define ACTIVITY_H
#include "first.h"
#include <stddef.h>

struct request;

/* res_calls' `changing` hook: remembers the contacts and accounts of the
 * calls ids (as they are now) for the recount. */
int activity_calls_changing(struct request *r, const char *const *ids, size_t n);
/* res_calls' `flush` hook: recounts every remembered contact and account. */
int activity_flush(struct request *r);

#endif
