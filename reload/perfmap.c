/* perf names the program's functions. perf finds no file behind the
 * image's anonymous memory, and looks for its symbols in the map that
 * JITs write for it, /tmp/perf-PID.map: "START SIZE NAME" a line, in
 * hex, C++ names demangled as perf shows a file's. Each function of each loaded object gets one, every local one
 * too, as its object's symbol table has it: at start, all; on each
 * reload, those of the objects it loads (their code is new memory),
 * appended. An earlier version's lines stay, so samples taken before a
 * reload keep their names. A process forked from the program has a map
 * of its own, written whole when it starts following reloads.
 *
 * The map is written only for perf: when a perf process is the program's
 * ancestor (perf record, perf stat, perf trace), or HOTLD_PERF_MAP=1 asks
 * for it (perf top, or perf record -p, attaching later). perf reads it
 * when it reports, after the program has exited, so it stays. Written
 * for every run, maps would pile up in /tmp: a program ended by a signal
 * (Ctrl-C) never removes its own. Lines, not only names, would need a
 * file behind the code (docs/ARCHITECTURE.md). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demangle.h"
#include "procmaps.h"
#include "program.h"
#include "strbuf.h"
#include "util.h"

static int map_fd = -1;
static pid_t map_pid;           /* whose map map_fd is */

static void map_path(char *buf, size_t size, pid_t pid)
{
    snprintf(buf, size, "/tmp/perf-%d.map", (int)pid);
}

/* Is a perf command this process's ancestor? */
static bool under_perf(void)
{
    char path[64], text[512];
    pid_t pid = getppid();
    for (int depth = 0; pid > 1 && depth < 64; depth++) {
        snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
        if (proc_read(path, text, sizeof text) && !strcmp(text, "perf\n"))
            return true;
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        const char *after = proc_read(path, text, sizeof text) ? strrchr(text, ')') : NULL;
        if (!after || sscanf(after, ") %*c %d", &pid) != 1)
            return false;
    }
    return false;
}

/* Is perf there to read a map? Asked once, at the first map. */
static bool wanted(void)
{
    static int answer = -1;
    if (answer < 0) {
        const char *asked = getenv("HOTLD_PERF_MAP");
        answer = asked ? !strcmp(asked, "1") : under_perf();
    }
    return answer;
}

static void add_object(struct strbuf *sb, const struct object *obj)
{
    for (size_t i = 1; i < obj->nsyms; i++) {
        const struct symbol *s = obj->syms[i];
        uintptr_t body = s->call_addr ? s->call_addr : s->addr; /* a reloaded one keeps its first address */
        if (s->type != STT_FUNC || !s->size || !body || s->file != obj || (s->sec && s->sec->discarded))
            continue;
        char *cxx = demangle(s->name); /* perf shows a map's names as they are */
        sb_printf(sb, "%lx %lx %s\n", (unsigned long)body, (unsigned long)s->size, cxx ? cxx : s->name);
        xfree(cxx);
    }
}

static void append(const struct strbuf *sb)
{
    for (size_t done = 0; sb->s && done < sb->len;) {
        ssize_t n = write(map_fd, sb->s + done, sb->len - done);
        if (n <= 0)
            return; /* a full /tmp: perf names less, the program is not harmed */
        done += (size_t)n;
    }
}

/* This process's map, new (a child's starts empty), or -1. */
static int open_map(void)
{
    char path[64];
    if (!wanted())
        return -1;
    if (map_pid == getpid())
        return map_fd;
    if (map_fd >= 0)
        close(map_fd); /* the parent's */
    map_pid = getpid();
    map_path(path, sizeof path, map_pid);
    map_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
    return map_fd;
}

void perf_map_add(const struct link *ld)
{
    if (open_map() < 0)
        return;
    struct strbuf sb = {0};
    for (size_t i = 0; i < ld->nobjs; i++)
        add_object(&sb, ld->objs[i]);
    append(&sb);
    xfree(sb.s);
}

void perf_map_write_all(const struct program *pg)
{
    if (open_map() < 0)
        return;
    for (size_t g = 0; g < pg->ngens; g++)
        perf_map_add(pg->gens[g]);
}
