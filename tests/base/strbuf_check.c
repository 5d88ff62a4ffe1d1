/* base/strbuf.c's sb_printf, which formats into the room a buffer has
 * and again only when the text does not fit: every length around the
 * room left, against snprintf of the whole text as the oracle. Prints
 * "ok NAME" or "not ok NAME: why" per check. */
#include <stdio.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

#define SUITE "strbuf"
#include "check.h"

/* Append pieces of every length from 0 to 40 bytes, so that each one
 * meets the buffer's room at every offset: fits with bytes to spare,
 * fits but for the NUL, or overflows by one and by many. */
static void pieces_around_the_room(void)
{
    struct strbuf sb = {0};
    char expect[1 << 14], piece[64];
    size_t len = 0;
    int good = 1;
    for (int round = 0; round < 6 && good; round++)
        for (int n = 0; n <= 40 && good; n++) {
            memset(piece, 'a' + (n + round) % 26, (size_t)n);
            piece[n] = 0;
            sb_printf(&sb, "%s", piece);
            len += (size_t)snprintf(expect + len, sizeof expect - len, "%s", piece);
            good = sb.len == len && sb.len < sb.cap && !memcmp(sb.s, expect, len + 1);
        }
    check("pieces-around-the-room", good, "the text differs from snprintf's, or is not NUL-terminated");
    xfree(sb.s);
}

/* A number and a string in one format, into a buffer first empty (no
 * room at all), then exactly full but for the NUL. */
static void formats(void)
{
    struct strbuf sb = {0};
    sb_printf(&sb, "%d:%s", 42, "x");
    check("into-an-empty-buffer", sb.len == 4 && !strcmp(sb.s, "42:x"), sb.s ? sb.s : "(null)");
    while (sb.cap - sb.len > 1)
        sb_printf(&sb, "%c", '.');
    size_t before = sb.len;
    sb_printf(&sb, "%05d", 7);
    check("past-a-full-buffer", sb.len == before + 5 && !strcmp(sb.s + before, "00007"), sb.s + before);
    sb_printf(&sb, "%s", "");
    check("nothing-added", sb.len == before + 5 && sb.s[sb.len] == 0, "an empty text changed the buffer");
    xfree(sb.s);
}

int main(void)
{
    pieces_around_the_room();
    formats();
    return failed;
}
