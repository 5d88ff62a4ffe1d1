#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Formatted once into the room left, and again only if it did not fit:
 * the debugger image's symbol names come through here by the thousand. */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    size_t room = sb->cap - sb->len;
    va_start(ap, fmt);
    int n = vsnprintf(room ? sb->s + sb->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) { /* nothing added, and the text ends where it did */
        if (room)
            sb->s[sb->len] = 0;
        return;
    }
    if ((size_t)n < room) {
        sb->len += n;
        return;
    }
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

/* With read(2), not stdio: hotld's threads read files as the program
 * exits, and a stream they close while exit's stdio clean-up runs
 * (valgrind's __libc_freeres) has its buffer freed twice. */
int sb_read_file(struct strbuf *sb, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[1 << 16];
    ssize_t n;
    sb_append(sb, "", 0); /* a file of no bytes is still text */
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n > 0)
            sb_append(sb, buf, n);
        else if (errno != EINTR)
            break;
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return n < 0 ? -1 : 0;
}

char *sb_file_text(const char *path)
{
    struct strbuf sb = {0};
    if (sb_read_file(&sb, path) == 0)
        return sb.s;
    xfree(sb.s);
    return NULL;
}
