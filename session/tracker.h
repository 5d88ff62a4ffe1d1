/* The input tracker: inotify on the directories of a session's input files,
 * so that a reload knows which inputs may have changed without asking the
 * file system about each of them (a program may have thousands).
 *
 * It is armed by the first reload, not at start: tearing an inotify
 * instance down costs milliseconds at exit, which every short run would
 * pay. Until a reload that checked every input has settled it, it answers
 * "not known". */
#ifndef HOTLD_TRACKER_H
#define HOTLD_TRACKER_H

#include <stdbool.h>

#include "strmap.h"

void tracker_watch(const char *path);
/* Read the pending events. Then paths that are watched and saw no event
 * since tracker_settle() are added to clean (path -> non-NULL). */
void tracker_clean_paths(const char *const *paths, size_t n, struct strmap *clean);
/* Call each(path) for every path with events since tracker_settle(), and
 * return true; or return false if that is not known (events were lost, or
 * a directory could not be watched). */
bool tracker_changed_paths(void (*each)(const char *path, void *ctx), void *ctx);

/* Forget the events read so far: the program now has every input as it
 * was when they were read. */
void tracker_settle(void);

#endif
