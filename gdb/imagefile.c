/* The program's code as tools that read files see it. valgrind, perf and
 * the sanitizers' symbolizers name code by the file it is mapped from;
 * anonymous memory has no names. So when one of them watches, each
 * generation's image is written as a file (elfimage_build_mappable: a
 * shared object with the code, constants and relocated data at offsets
 * equal to their addresses, its symbols and its DWARF), and its pages
 * are mapped from that file in place of the anonymous ones, byte for
 * byte the same, before any of its code runs. valgrind reads the file
 * when it sees the mapping, perf when it reports. A sanitizer's
 * symbolizer (libbacktrace in gcc's runtime) knows the modules that
 * dl_iterate_phdr lists: each image is listed there (loader/modules.c),
 * named by its file once it has one.
 *
 * The files are in one directory per program. They go when the last
 * process that holds them has ended, however it ends (a crash, SIGKILL,
 * after LeakSanitizer's report at exit has read them): a process outside
 * the program's tree waits on a pipe whose write end every process of
 * the program holds, and removes the directory at its end of file. For
 * perf they stay, since perf reads them after the program has ended. */
#include "imagefile.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "elfimage.h"
#include "procmaps.h"
#include "strbuf.h"
#include "util.h"

enum watcher { NOBODY, IN_PROCESS, PERF };

static char *files_dir;         /* NULL until the first file */
static const char *program_name = "program";
static unsigned files_made;
static bool sanitized;          /* a sanitizer runtime is loaded */

/* Is a perf command this process's ancestor? Each ancestor's stat line,
 * "PID (COMM) STATE PPID ...", names it and its parent: one file read a
 * generation (COMM may itself hold ") ", so it ends at the last one). */
static bool under_perf(void)
{
    char path[64], text[512];
    pid_t pid = getppid();
    for (int depth = 0; pid > 1 && depth < 64; depth++) {
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        const char *comm = proc_read(path, text, sizeof text) ? strchr(text, '(') : NULL;
        const char *after = comm ? strrchr(comm, ')') : NULL;
        if (!after)
            return false;
        if (after - comm == 5 && !strncmp(comm, "(perf)", 6))
            return true;
        if (sscanf(after, ") %*c %d", &pid) != 1)
            return false;
    }
    return false;
}

static int note_library(struct dl_phdr_info *info, size_t size, void *ctx)
{
    static const char *const readers[] = {"/vgpreload_", "/libasan.so", "/libtsan.so", "/libubsan.so",
                                          "/liblsan.so", "/libclang_rt."};
    (void)size;
    for (size_t i = 0; i < ARRAY_SIZE(readers); i++)
        if (info->dlpi_name && strstr(info->dlpi_name, readers[i])) {
            *(bool *)ctx = true;
            sanitized |= i > 0;
        }
    return 0;
}

/* Who reads the files: valgrind or a sanitizer in this process, perf
 * (its ancestor, or attaching later: HOTLD_IMAGE_FILES=1), or nobody.
 * Asked once, at the first image. */
static enum watcher watcher(void)
{
    static int answer = -1;
    if (answer < 0) {
        const char *asked = getenv("HOTLD_IMAGE_FILES");
        bool in_process = false;
        dl_iterate_phdr(note_library, &in_process);
        if (asked && strcmp(asked, "1"))
            answer = NOBODY;
        else if (asked || under_perf())
            answer = PERF;
        else
            answer = in_process ? IN_PROCESS : NOBODY;
    }
    return answer;
}

/* Start the process that removes dir once every holder of the pipe's
 * write end (this process and its forks; exec closes it) has ended. It is
 * spawned, not forked (a sanitizer forbids a thread after a fork of a
 * threaded process), as a shell that leaves it in the background and
 * exits: nobody's child in the program's tree. It has a session of its
 * own (Ctrl-C at the terminal is for the program) and nothing of the
 * program's open but the pipe, as descriptor 3. */
static int start_cleaner(const char *dir)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return fail("%s: cannot make the pipe of its cleaner: %s", dir, strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none;
    sigemptyset(&none);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 3);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&fa, 0, 1);
    posix_spawn_file_actions_adddup2(&fa, 0, 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 4);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setsigmask(&attr, &none);
    char *argv[] = {"sh", "-c", "(cat <&3; rm -rf -- \"$0\") &", (char *)dir, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(fds[0]);
    if (err) {
        close(fds[1]);
        return fail("%s: cannot start its cleaner: %s", dir, strerror(err));
    }
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

static int make_files_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = xasprintf("%s/hotld-%d-XXXXXX", tmp && *tmp ? tmp : "/tmp", (int)getpid());
    if (!mkdtemp(dir)) {
        fail("%s: cannot make the directory of the image files: %s", dir, strerror(errno));
        xfree(dir);
        return -1;
    }
    if (watcher() == IN_PROCESS && start_cleaner(dir) < 0) {
        rmdir(dir);
        xfree(dir);
        return -1;
    }
    files_dir = dir;
    return 0;
}

static int write_file(const char *path, const void *bytes, size_t size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail("%s: cannot create: %s", path, strerror(errno));
    for (size_t done = 0; done < size;) {
        ssize_t n = write(fd, (const char *)bytes + done, size - done);
        if (n <= 0) {
            fail("%s: cannot write: %s", path, n < 0 ? strerror(errno) : "disk full");
            close(fd);
            unlink(path);
            return -1;
        }
        done += (size_t)n;
    }
    return fd;
}

/* Map each loaded segment of the file over the image's pages, with the
 * image's protection. Should a mapping fail after the kernel took the old
 * pages away, the bytes are put back from the file's copy in hand. */
static int map_segments(const struct link *ld, int fd, const char *bytes, const char *path)
{
    const struct image *im = ld->image;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)bytes;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(bytes + eh->e_phoff);
    for (size_t i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        void *at = (void *)(ph[i].p_vaddr + im->base);
        int writable = ph[i].p_flags & PF_W ? PROT_WRITE : 0;
        int prot = PROT_READ | writable | (ph[i].p_flags & PF_X ? PROT_EXEC : 0);
        int seg = 0;
        while (seg < NSEGMENTS - 1 && im->seg_start[seg] != (uintptr_t)at)
            seg++;
        if (mmap(at, ph[i].p_memsz, prot, MAP_PRIVATE | MAP_FIXED, fd, ph[i].p_offset) == MAP_FAILED) {
            int err = errno;
            if (mmap(at, ph[i].p_memsz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
                MAP_FAILED) {
                fprintf(stderr, "hotld: fatal: %s: cannot map the image's pages back: %s\n", path, strerror(errno));
                _exit(127); /* the program's code is gone */
            }
            memcpy(at, bytes + ph[i].p_offset, ph[i].p_filesz);
            region_protect((uintptr_t)at, ph[i].p_memsz, segment_prot(seg));
            return fail("%s: cannot map: %s", path, strerror(err));
        }
        if (writable && region_protect((uintptr_t)at, ph[i].p_memsz, segment_prot(seg)) < 0)
            return -1;
    }
    return 0;
}

void image_file_forget(const struct link *ld)
{
    const char *path = modules_path(ld);
    if (path)
        unlink(path);
    modules_forget(ld);
}

/* The new file takes the old one's name; what is mapped keeps the old
 * file's pages, and a tool that opens the name reads the new names. */
void image_file_rename(const struct link *ld, const struct image_objects *objs)
{
    const char *path = modules_path(ld);
    if (!path)
        return;
    /* the segments' bytes come from the file: memory may be poisoned */
    struct strbuf was = {0};
    const struct image *im = ld->image;
    if (sb_read_file(&was, path) < 0 || was.len < im->seg_end[SEG_RELRO] - im->base) {
        warn("%s: cannot read the image file again: %s", path, errno ? strerror(errno) : "it is cut short");
        xfree(was.s);
        return;
    }
    size_t size;
    char *bytes = elfimage_build_mappable(ld, objs, was.s, &size);
    if (file_replace(path, bytes, size) < 0)
        warn("%s; its replaced functions keep their names there", last_error());
    xfree(bytes);
    xfree(was.s);
}

void image_files_name(const char *name)
{
    const char *slash = strrchr(name, '/');
    program_name = slash ? slash + 1 : name;
}

void image_file_map(const struct link *ld)
{
    if (ld->image->own_pages)
        return;
    modules_publish(ld);
    if (watcher() == NOBODY)
        return;
    if (!files_dir && make_files_dir() < 0) {
        warn("%s; tools will not name the program's code", last_error());
        return;
    }
    size_t size;
    struct image_objects all = {.cur = ld->objs, .ncur = ld->nobjs};
    char *bytes = elfimage_build_mappable(ld, &all, NULL, &size);
    char *path = xasprintf("%s/%s.%d.%u", files_dir, program_name, (int)getpid(), files_made++);
    int fd = write_file(path, bytes, size);
    if (fd < 0 || map_segments(ld, fd, bytes, path) < 0)
        warn("%s; tools will not name this code", last_error());
    else
        modules_name(ld, path);
    if (fd >= 0)
        close(fd);
    /* a sanitizer looks for modules again after a dlopen: now it finds this one */
    void *self = sanitized ? dlopen(NULL, RTLD_LAZY) : NULL;
    if (self)
        dlclose(self);
    xfree(path);
    xfree(bytes);
}
