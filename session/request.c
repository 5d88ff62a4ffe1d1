/* A reload request on the control socket: link options travel as fields
 * "f:PATH", "l:NAME", "L:DIR" (absolute), "p:POLICY", "t:MS", "v:1" for
 * a report that lists every variable (-v), the program's arguments as
 * "a:ARG", and "n:NAME" when the command named its session (--session). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "session.h"
#include "util.h"

/* --on-conflict in a request: one letter, by enum conflict_policy. */
#define CONFLICT_LETTERS "rkaqm"
/* --rewrite-pointers: one letter, by enum pointer_reach. */
#define REACH_LETTERS "adn"

static void encode_inputs(struct message *m, const struct link_options *o)
{
    for (size_t i = 0; i < o->ninputs; i++)
        message_add_tagged(m, o->inputs[i].is_lib ? 'l' : 'f', o->inputs[i].arg);
    for (size_t i = 0; i < o->nlibdirs; i++)
        message_add_tagged(m, 'L', o->libdirs[i]);
}

/* A field "X:L" whose letter L is one of letters: its index, else -1. */
static int letter_field(const char *f, const char *letters)
{
    const char *at = f[2] ? strchr(letters, f[2]) : NULL;
    return at && !f[3] ? (int)(at - letters) : -1;
}

/* A field "t:MS": a positive number of milliseconds, or 0 if it is not. */
static int timeout_field(const char *v)
{
    char *end;
    errno = 0;
    long ms = strtol(v, &end, 10);
    return errno || *end || end == v || ms <= 0 || ms > INT32_MAX ? 0 : (int)ms;
}

void reload_options_encode(struct message *m, const struct link_options *o)
{
    char policy[2] = {CONFLICT_LETTERS[o->on_conflict], 0};
    message_add_tagged(m, 'p', policy);
    char reach[2] = {REACH_LETTERS[o->rewrite_pointers], 0};
    message_add_tagged(m, 'r', reach);
    if (o->report_each)
        message_add_tagged(m, 'v', "1");
    for (size_t i = 0; i < o->nreset; i++)
        message_add_tagged(m, 'R', o->reset[i]);
    if (o->reload_timeout_ms) {
        char ms[16];
        snprintf(ms, sizeof ms, "%d", o->reload_timeout_ms);
        message_add_tagged(m, 't', ms);
    }
    encode_inputs(m, o);
}

void reload_request_encode(struct message *m, const struct session_options *o)
{
    message_add(m, "reload");
    if (o->session)
        message_add_tagged(m, 'n', o->session);
    for (int i = 0; i < o->argc; i++)
        message_add_tagged(m, 'a', o->argv[i]);
    struct link_options link = o->link;
    link.report_each = verbose;
    link.reset = o->reset;
    link.nreset = o->nreset;
    reload_options_encode(m, &link);
}

int reload_request_decode(const struct message *m, struct link_options *o)
{
    size_t capin = 0, capdirs = 0, capreset = 0;
    for (size_t i = 1; i < m->nfields; i++) {
        const char *f = m->fields[i];
        if (strlen(f) < 2 || f[1] != ':')
            return fail("malformed reload request field '%.40s'", f);
        if (f[0] == 'a' || f[0] == 'n')
            continue; /* the program's arguments, the session named: see same_program() */
        if (f[0] == 'v') {
            o->report_each = true;
            continue;
        }
        if (f[0] == 't') {
            if (!(o->reload_timeout_ms = timeout_field(f + 2)))
                return fail("malformed reload request field '%.40s'", f);
            continue;
        }
        if (f[0] == 'p' || f[0] == 'r') {
            int k = letter_field(f, f[0] == 'p' ? CONFLICT_LETTERS : REACH_LETTERS);
            if (k < 0)
                return fail("malformed reload request field '%.40s'", f);
            if (f[0] == 'p')
                o->on_conflict = (enum conflict_policy)k;
            else
                o->rewrite_pointers = (enum pointer_reach)k;
            continue;
        }
        if (f[0] == 'f' || f[0] == 'l') {
            struct link_input in = {f + 2, f[0] == 'l'};
            ARRAY_PUSH(o->inputs, o->ninputs, capin, in);
        } else if (f[0] == 'L') {
            ARRAY_PUSH(o->libdirs, o->nlibdirs, capdirs, (const char *)(f + 2));
        } else if (f[0] == 'R') {
            ARRAY_PUSH(o->reset, o->nreset, capreset, (const char *)(f + 2));
        } else {
            return fail("malformed reload request field '%.40s'", f);
        }
    }
    return 0;
}
