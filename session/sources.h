/* --watch on sources: compile again what a saved file went into (see
 * sources.c). */
#ifndef HOTLD_SOURCES_H
#define HOTLD_SOURCES_H

#include <stdbool.h>
#include <stdio.h>

#include "linker.h"

/* Find the program's compile commands and watch the files its objects
 * were made from (watch_source); how many objects it can compile. With
 * by_build, a build command (--build) makes them: every object of the
 * program is watched, by its depfile or its DWARF. */
size_t sources_start(const struct link_options *o, bool by_build);
/* Run the build command (--build) instead; 0 if it succeeded. */
int sources_build(const char *command);
/* Only find the compile commands; how many objects it can compile. */
size_t sources_load(const struct link_options *o);
/* Compile the object made from source path again with its command, or,
 * unoptimized, with -O0 -g after it (--deopt); -1 with fail(). */
int sources_recompile(const char *path, bool unoptimized);
/* A file that unit (given to watch_source) uses was saved. */
void sources_changed(void *unit);
/* Compile every unit a saved file went into, a few at once; 0 if all
 * compiled, -1 if one did not (its messages are in the log). */
int sources_compile(void);

/* watch.c: watch path for sources_changed(unit); where messages go. */
void watch_source(const char *path, void *unit);
FILE *watch_log(void);

#endif
