#include "strbuf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    grow_array((void **)&sb->s, &sb->cap, sb->len + n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(sb->s + sb->len, n + 1, fmt, ap);
    va_end(ap);
    sb->len += n;
}

void sb_append(struct strbuf *sb, const void *bytes, size_t n)
{
    grow_array((void **)&sb->s, &sb->cap, sb->len + n + 1, 1);
    memcpy(sb->s + sb->len, bytes, n);
    sb->len += n;
    sb->s[sb->len] = 0;
}

int sb_read_file(struct strbuf *sb, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[1 << 16];
    size_t n;
    sb_append(sb, "", 0); /* a file of no bytes is still text */
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_append(sb, buf, n);
    bool failed = ferror(f);
    fclose(f);
    return failed ? -1 : 0;
}

char *sb_file_text(const char *path)
{
    struct strbuf sb = {0};
    if (sb_read_file(&sb, path) == 0)
        return sb.s;
    xfree(sb.s);
    return NULL;
}
