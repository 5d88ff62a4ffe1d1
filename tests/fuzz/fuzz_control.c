/* libFuzzer target for the control protocol, as a running session sees a
 * request: the message body split into fields, and, for a reload, the
 * fields decoded into link options (inputs, -L dirs, --on-conflict,
 * --reload-timeout), as serve_request does before anything is linked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "linker.h"
#include "session.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct message m;
    if (size > CONTROL_MAX_MESSAGE)
        return 0; /* message_recv refuses it before parsing */
    if (message_parse((const char *)data, size, &m) == 0 && m.nfields && !strcmp(m.fields[0], "reload")) {
        struct link_options o = {0};
        reload_request_decode(&m, &o);
        free(o.inputs);
        free(o.libdirs);
        free(o.reset);
    }
    message_free(&m);
    clear_error();
    return 0;
}
