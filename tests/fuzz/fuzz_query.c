/* libFuzzer target for the questions a session is asked about the image
 * (hotld --print, --call, --refs...): the message split into fields, the
 * query decoded, and an expression parsed, as serve_query does before it
 * looks anything up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "expr.h"
#include "query.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct message m;
    struct query q;
    if (size > CONTROL_MAX_MESSAGE)
        return 0; /* message_recv refuses it before parsing */
    if (message_parse((const char *)data, size, &m) == 0 && m.nfields && !strcmp(m.fields[0], "query") &&
        query_decode(&m, &q) == 0 && q.arg)
        node_free(expr_parse(q.arg));
    message_free(&m);
    clear_error();
    return 0;
}
