#include "strbuf.h"

#include <stdarg.h>
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
