/* An input file's bytes (struct file_data): read into memory or mapped,
 * and what stat said of the file when it was read. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linker.h"
#include "util.h"

void file_stamp_of(const struct stat *st, struct file_stamp *stamp)
{
    *stamp = (struct file_stamp){st->st_dev, st->st_ino, st->st_size, st->st_mtim, st->st_ctim};
}

bool file_stamp_equal(const struct file_stamp *a, const struct file_stamp *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec &&
           a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

int file_pread(int fd, char *buf, size_t len, uint64_t off)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n ? errno : 0;
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

void file_release(struct file_data *f)
{
    later_free(f->later);
    f->later = NULL;
    if (!f->bytes || f->kept)
        return;
    if (f->mapped)
        munmap(f->bytes, f->size);
    else
        xfree(f->bytes);
    f->bytes = NULL;
}
