/* The process's mappings, as /proc/self/maps lists them. */
#ifndef HOTLD_PROCMAPS_H
#define HOTLD_PROCMAPS_H

/* Calls line(text, ctx) for each line of /proc/self/maps, in address
 * order, read into a stack buffer: no allocation, so that code running
 * while threads are parked (one may hold a malloc lock) can use it. */
void procmaps_each_line(void (*line)(const char *text, void *ctx), void *ctx);

#endif
