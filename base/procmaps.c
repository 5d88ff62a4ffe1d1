#include "procmaps.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <unistd.h>

/* Linux's <linux/fs.h> from 6.11 on; the C library's headers here may be
 * older. The layout is the kernel's ABI, which only grows at the end
 * (size says which version the caller knows). */
struct procmap_query {
    uint64_t size, query_flags, query_addr;
    uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)

void procmaps_each_line(void (*line)(const char *text, void *ctx), void *ctx)
{
    procmaps_each_line_of(0, line, ctx);
}

void procmaps_each_line_of(pid_t pid, void (*line)(const char *text, void *ctx), void *ctx)
{
    char path[64] = "/proc/self/maps";
    if (pid)
        snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char buf[8192]; /* a line is at most a path (4096) and its fields */
    size_t have = 0;
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf + have, sizeof buf - 1 - have)) > 0) {
        have += (size_t)n;
        buf[have] = 0;
        char *start = buf, *nl;
        while ((nl = strchr(start, '\n'))) {
            *nl = 0;
            line(start, ctx);
            start = nl + 1;
        }
        have = (size_t)(buf + have - start);
        memmove(buf, start, have);
    }
    if (fd >= 0)
        close(fd);
}

bool procmaps_query(int fd, uintptr_t addr, uintptr_t *start, uintptr_t *end)
{
    struct procmap_query q = {.size = sizeof q, .query_addr = addr}; /* flags 0: the one holding addr */
    if (ioctl(fd, PROCMAP_QUERY, &q) < 0)
        return false;
    *start = (uintptr_t)q.vma_start;
    *end = (uintptr_t)q.vma_end;
    return true;
}

int procmaps_open_query(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    uintptr_t start, end;
    if (fd >= 0 && !procmaps_query(fd, (uintptr_t)&fd, &start, &end)) { /* its own stack: an old kernel */
        close(fd);
        fd = -1;
    }
    return fd;
}

bool proc_task_file(pid_t tid, const char *name, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/%s", (int)tid, name);
    return proc_read(path, buf, size);
}

bool proc_task_in_syscall(pid_t tid, char *buf, size_t size)
{
    return proc_task_file(tid, "syscall", buf, size) && strncmp(buf, "running", 7) && strncmp(buf, "-1 ", 3);
}

bool proc_read(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return n > 0;
}
