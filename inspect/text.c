/* Text for every kind of document hotld writes about the image: the
 * escaping that keeps a document valid whatever bytes a name or a value
 * holds, and the widths and digit groups of aligned listings. */
#include "text.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "linker.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

/* The length of the UTF-8 sequence at s (of n > 0 bytes) and its code
 * point, or 0 if it is not a valid one. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
               : s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    uint32_t c = len == 1 ? s[0] : s[0] & (0x7fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if (c < least[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0; /* overlong, too large, or a surrogate */
    *cp = c;
    return len;
}

/* What to write for code point c (invalid: UINT32_MAX) in a document of
 * kind how; NULL to write it as it is. buf holds a numeric escape. */
static const char *escape_one(uint32_t c, enum escape how, char buf[static 16])
{
    bool control = c < 0x20 || c == 0x7f;
    /* not characters, and what XML 1.0 allows of them not even escaped */
    bool xml_bad = c == UINT32_MAX || c == 0xfffe || c == 0xffff || (control && c != 0x7f);
    switch (how) {
    case ESC_TEXT:
        return c == UINT32_MAX || control ? "?" : NULL;
    case ESC_JSON:
        if (c == UINT32_MAX)
            return REPLACEMENT;
        if (c == '"' || c == '\\')
            return c == '"' ? "\\\"" : "\\\\";
        if (c < 0x20)
            return snprintf(buf, 16, "\\u%04x", (unsigned)c & 0xff), buf;
        return NULL;
    case ESC_XML:
        switch (c) {
        case '&': return "&amp;";
        case '<': return "&lt;";
        case '>': return "&gt;";
        case '"': return "&quot;";
        case '\'': return "&#39;";
        case '\t': case '\n': case '\r':
            return snprintf(buf, 16, "&#%u;", (unsigned)c), buf;
        }
        return xml_bad ? REPLACEMENT : NULL;
    case ESC_DOT: /* Graphviz writes labels into SVG as they are */
        if (c == '"' || c == '\\')
            return c == '"' ? "\\\"" : "\\\\";
        return c == '\n' ? "\\n" : xml_bad ? REPLACEMENT : NULL;
    }
    return NULL;
}

size_t sb_escape(struct strbuf *sb, const char *s, size_t len, enum escape how)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars = 0, i = 0, run = 0; /* run: bytes to copy as they are */
    while (i < len) {
        uint32_t c = UINT32_MAX; /* stays so if the sequence is bad */
        size_t n = utf8_next(p + i, len - i, &c);
        char buf[16];
        const char *esc = escape_one(c, how, buf);
        chars++;
        if (!esc) {
            i += n;
            continue;
        }
        sb_printf(sb, "%.*s%s", (int)(i - run), s + run, esc);
        i += n ? n : 1;
        run = i;
    }
    sb_printf(sb, "%.*s", (int)(i - run), s + run);
    return chars;
}

void sb_pad(struct strbuf *sb, const char *s, size_t width)
{
    size_t n = sb_escape(sb, s, strlen(s), ESC_TEXT);
    if (n < width)
        sb_printf(sb, "%*s", (int)(width - n), "");
}

void sb_quoted(struct strbuf *sb, const char *s, enum escape how)
{
    sb_printf(sb, "\"");
    sb_escape(sb, s, strlen(s), how);
    sb_printf(sb, "\"");
}

/* The bytes of the first n characters of s, and how many there are if
 * fewer; a bad byte is a character. */
size_t text_prefix(const char *s, size_t n, size_t *chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    uint32_t c;
    for (*chars = 0; i < len && *chars < n; ++*chars) {
        size_t k = utf8_next(p + i, len - i, &c);
        i += k ? k : 1;
    }
    return i;
}

size_t text_width(const char *s)
{
    size_t chars;
    text_prefix(s, SIZE_MAX, &chars);
    return chars;
}

const char *commas(uint64_t v, char buf[static 32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    char *p = buf;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            *p++ = ',';
        *p++ = digits[i];
    }
    *p = 0;
    return buf;
}

bool object_matches(const char *name, const char *want)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *member = strrchr(base, '(');
    size_t n = strlen(want);
    return !strcmp(name, want) || !strcmp(base, want) ||
           (member && !strncmp(member + 1, want, n) && !strcmp(member + 1 + n, ")"));
}

size_t objects_root(struct object *const *objs, size_t n)
{
    const char *first = NULL;
    size_t root = 0;
    for (size_t i = 0; i < n; i++) {
        if (!objs[i])
            continue;
        if (!first) {
            first = objs[i]->name;
            root = strlen(first);
        }
        size_t k = 0;
        while (k < root && objs[i]->name[k] == first[k])
            k++;
        root = k;
    }
    /* back to the last '/' of the shared part: a directory, not a prefix */
    while (root > 0 && first[root - 1] != '/')
        root--;
    return root;
}
