/* Escaping and aligning text for the documents of inspect/ (listings,
 * JSON, SVG, DOT). */
#ifndef HOTLD_INSPECT_TEXT_H
#define HOTLD_INSPECT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum escape {
    ESC_TEXT,   /* a terminal: control characters and bad UTF-8 become '?' */
    ESC_JSON,   /* inside a JSON string */
    ESC_XML,    /* XML text or an attribute value */
    ESC_DOT,    /* inside a Graphviz quoted string */
};

/* Append the len bytes at s for a document of kind how; returns how many
 * characters that shows. Bad UTF-8 is replaced, never passed on: every
 * kind of document must be valid UTF-8. */
size_t sb_escape(struct strbuf *sb, const char *s, size_t len, enum escape how);
/* Append s as text, padded with spaces to width characters. */
void sb_pad(struct strbuf *sb, const char *s, size_t width);
/* Append s in double quotes, a JSON or DOT string. */
void sb_quoted(struct strbuf *sb, const char *s, enum escape how);
/* The bytes of the first n characters of s; *chars: how many there are
 * if fewer. */
size_t text_prefix(const char *s, size_t n, size_t *chars);
/* The characters in s (a bad byte is one). */
size_t text_width(const char *s);
/* v with thousands separators, "4,312", in buf. */
const char *commas(uint64_t v, char buf[static 32]);

/* Objects are named by their absolute paths; a listing names them from
 * the directory they all share: "lvm.o", "engine/vec.o". The length of
 * that directory's path, up to its last '/'. */
struct object;
size_t objects_root(struct object *const *objs, size_t n);
/* Does the object named name answer to want, as the user says it?
 * "game.o", "/src/game.o" and "libgame.a(game.o)" are all game.o. */
bool object_matches(const char *name, const char *want);
/* name without the first root bytes. */
static inline const char *object_label(const char *name, size_t root)
{
    return name + root;
}

#endif
