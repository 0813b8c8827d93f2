/* op_batch_async.c: the asynchronous batch mode (section 9) is built on
 * another branch (h-basync), whose file of this name replaces this one.
 * Until it lands, the request is refused with a clear 400 and nothing is
 * stored. */
#include "first.h"
#include "op.h"
#include "err.h"

int op_batch_async(struct request *r, struct query *q, struct batch_doc *doc)
{
	(void)q;
	(void)doc;
	err_add(r, ERR_HEADER_VALUE,
		"The asynchronous batch mode is not available in this build: send \"X-Mode: sync\".");
	return -1;
}
