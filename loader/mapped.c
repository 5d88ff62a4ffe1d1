/* The files a link maps rather than reads (the libraries found on the
 * library path: libgcc.a, libc's scripts, libc.so.6), kept mapped for
 * the process's life. Every reload links them again: opening, mapping
 * and unmapping each one, and finding its real path, was most of a
 * reload's read pass. A file is taken again only while stat says it is
 * the same file, as it was (struct file_stamp). A mapping is never
 * unmapped, since members pulled from an archive point into it: a file
 * replaced on disk (an upgrade) leaves its old mapping behind. */
#include <pthread.h>
#include <sys/stat.h>

#include "linker.h"
#include "strmap.h"
#include "util.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct strmap kept; /* path -> struct file_data, its bytes shared */

bool mapped_file_kept(const char *path, struct file_data *f)
{
    struct stat st;
    struct file_stamp now;
    pthread_mutex_lock(&lock);
    const struct file_data *k = strmap_get(&kept, path);
    bool same = k && stat(path, &st) == 0 && (file_stamp_of(&st, &now), file_stamp_equal(&now, &k->stamp));
    if (same)
        *f = *k;
    pthread_mutex_unlock(&lock);
    return same;
}

void mapped_file_keep(const char *path, struct file_data *f)
{
    f->kept = true;
    pthread_mutex_lock(&lock);
    struct strmap_slot *slot = strmap_slot(&kept, path);
    if (!slot->value)
        slot->key = xstrdup(path);
    xfree(slot->value); /* an earlier file's record; its bytes stay mapped */
    struct file_data *k = xmalloc(sizeof *k);
    *k = *f;
    slot->value = k;
    pthread_mutex_unlock(&lock);
}
