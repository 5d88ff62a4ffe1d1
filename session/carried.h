/* An executable that carries its link: hotld's output as a build's linker
 * (see carried.c). */
#ifndef HOTLD_SESSION_CARRIED_H
#define HOTLD_SESSION_CARRIED_H

#include <stdbool.h>
#include <stddef.h>

/* Write out: a copy of hotld that runs hotld ARGS... when run. -1, said
 * with fail(), if it cannot be written (out is then left as it was). */
int carried_write(const char *out, char *const *args, size_t n);

/* In a carried executable, the command it stands for: hotld's options
 * for its session, the carried arguments, "--", then its own arguments.
 * Unchanged in plain hotld. */
void carried_args(int *argc, char ***argv);

/* The session of the executable at path: each running copy is the
 * session SESSION.PID, and its linker reloads them all. */
char *carried_session(const char *exe);

/* Is path one of rustc's objects, which it removes once the link ends? */
bool carried_made_by_rustc(const char *path);
/* A copy of that object kept beside out, at a path the next build's link
 * names again (OUT.hotld/BASENAME): malloc'd, or NULL said with fail(). */
char *carried_keep_object(const char *out, const char *path);

/* The mark carried_args puts first (an option hotld takes and ignores). */
bool carried_flag_is(const char *arg);

#endif
