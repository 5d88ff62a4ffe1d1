/* A growing string, for reports and listings. */
#ifndef HOTLD_STRBUF_H
#define HOTLD_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *s;
    size_t len, cap;
};

void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* n bytes as they are (NULs too); the text stays NUL-terminated. */
void sb_append(struct strbuf *sb, const void *bytes, size_t n);
/* Append the bytes of the file at path; -1 (errno set) if it cannot be
 * read. */
int sb_read_file(struct strbuf *sb, const char *path);
/* The file's text, NUL-terminated (malloc'd), or NULL. */
char *sb_file_text(const char *path);

#endif
