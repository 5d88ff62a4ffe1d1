/* The process as /proc/self shows it: its mappings, its threads' files. */
#ifndef HOTLD_PROCMAPS_H
#define HOTLD_PROCMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Calls line(text, ctx) for each line of /proc/self/maps, in address
 * order, read into a stack buffer: no allocation, so that code running
 * while threads are parked (one may hold a malloc lock) can use it. */
void procmaps_each_line(void (*line)(const char *text, void *ctx), void *ctx);
/* The same for process pid's (0: this one's). */
void procmaps_each_line_of(pid_t pid, void (*line)(const char *text, void *ctx), void *ctx);

/* /proc/self/maps opened for procmaps_query, if the kernel answers such
 * questions (PROCMAP_QUERY, Linux 6.11); -1 if not. The caller closes it. */
int procmaps_open_query(void);
/* The mapping that holds addr, asked of the kernel through fd: a few
 * microseconds, where reading every line costs one a mapping, and a
 * program that reloads often has thousands. False if none holds it. */
bool procmaps_query(int fd, uintptr_t addr, uintptr_t *start, uintptr_t *end);

/* /proc/self/task/TID/NAME into buf, NUL-terminated, without allocating;
 * false if it cannot be read (the thread has gone). */
bool proc_task_file(pid_t tid, const char *name, char *buf, size_t size);
/* Is the thread held in a system call, as /proc/self/task/TID/syscall
 * says (not "running", nor "-1": stopped outside one)? buf gets the line:
 * the call's number, arguments, stack pointer and pc. */
bool proc_task_in_syscall(pid_t tid, char *buf, size_t size);
/* Any file of /proc so, at path. */
bool proc_read(const char *path, char *buf, size_t size);

#endif
