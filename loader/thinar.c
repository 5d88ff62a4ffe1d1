/* Thin archives (`ar T`, Meson's and some CMake setups' static libraries)
 * hold each member's name but not its bytes: the member is the file of
 * that name, relative to the archive. libelf reads only whole archives,
 * so a thin one is made whole in memory: the same symbol index (its
 * offsets moved to the members' new places), the same names, and each
 * member's bytes read from its file. The rest of the linker then sees an
 * ordinary archive, whose members are named by their files' base names,
 * as libelf reads names only up to a '/' (twins are told apart by rank,
 * archive.c). Layout of both: "!<thin>\n" or "!<arch>\n", then
 * members, each a 60-byte header (name, ..., size at 48, "`\n" at 58)
 * and, in a whole archive, the bytes, padded to an even offset. In a thin
 * one, only the index ("/", "/SYM64/") and the long names ("//") have
 * bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "strbuf.h"
#include "util.h"

#define HEADER 60

struct member {
    size_t old_off, new_off;
};

/* The long names with each path cut to its base name: where each old
 * entry's offset went (old[i] -> new[i]). */
struct names {
    size_t *old, *new;
    size_t n, nnew, capold, capnew;
};

static void set_size(char *header, size_t size)
{
    char digits[11];
    snprintf(digits, sizeof digits, "%-10zu", size);
    memcpy(header + 48, digits, 10);
}

static void base_names(const char *table, size_t size, struct strbuf *out, struct names *map)
{
    size_t start = out->len;
    for (size_t at = 0; at < size;) {
        size_t len = strcspn(table + at, "\n");
        if (at + len > size)
            len = size - at;
        const char *entry = table + at, *base = entry;
        for (size_t i = 0; i + 1 < len; i++)
            if (entry[i] == '/')
                base = entry + i + 1;
        ARRAY_PUSH(map->old, map->n, map->capold, at);
        ARRAY_PUSH(map->new, map->nnew, map->capnew, out->len - start);
        sb_append(out, base, (size_t)(entry + len - base));
        sb_append(out, "\n", 1);
        at += len + 1;
    }
}

/* A member header's "/N" name, N moved as the long names moved. */
static void rename_member(char *h, const struct names *map)
{
    size_t off = strtoul(h + 1, NULL, 10);
    for (size_t i = 0; i < map->n; i++)
        if (map->old[i] == off) {
            char name[17];
            snprintf(name, sizeof name, "/%-15zu", map->new[i]);
            memcpy(h, name, 16);
            return;
        }
}

static size_t header_size(const char *h)
{
    char digits[11] = {0};
    memcpy(digits, h + 48, 10);
    return strtoul(digits, NULL, 10);
}

static bool has_bytes_inline(const char *h)
{
    return h[0] == '/' && (h[1] == ' ' || h[1] == '/' || !memcmp(h, "/SYM64/", 7));
}

/* The member's path: "/N" names the long-names entry at N (ending "/\n"). */
static char *member_path(const char *archive, const char *h, const char *names, size_t nsize)
{
    char *end;
    size_t at = strtoul(h + 1, &end, 10);
    if (h[0] != '/' || end == h + 1 || !names || at >= nsize)
        return NULL;
    size_t len = strcspn(names + at, "\n");
    if (len < 1 || at + len > nsize || names[at + len - 1] != '/')
        return NULL;
    const char *slash = strrchr(archive, '/');
    if (names[at] == '/' || !slash)
        return xasprintf("%.*s", (int)(len - 1), names + at);
    return xasprintf("%.*s/%.*s", (int)(slash - archive), archive, (int)(len - 1), names + at);
}

static int append_file(struct strbuf *out, const char *path, const char *archive)
{
    return sb_read_file(out, path) < 0 ? fail("%s: its member %s: %s", archive, path, strerror(errno)) : 0;
}

/* Rewrite the index's big-endian offsets (w bytes each) from old to new. */
static void move_index(char *index, size_t size, const struct member *m, size_t nm)
{
    int w = !memcmp(index - HEADER, "/SYM64/", 7) ? 8 : 4;
    size_t n = 0;
    for (int i = 0; i < w && (size_t)i < size; i++)
        n = n << 8 | (unsigned char)index[i];
    for (size_t k = 0; k < n && (k + 2) * w <= size; k++) {
        unsigned char *p = (unsigned char *)index + (k + 1) * w;
        size_t off = 0;
        for (int i = 0; i < w; i++)
            off = off << 8 | p[i];
        for (size_t j = 0; j < nm; j++)
            if (m[j].old_off == off)
                off = m[j].new_off;
        for (int i = w - 1; i >= 0; i--, off >>= 8)
            p[i] = off & 0xff;
    }
}

int thin_archive_whole(const char *path, struct file_data *f)
{
    const char *b = f->bytes, *names = NULL;
    size_t at = 8, nsize = 0, nm = 0, cap = 0, index_at = 0, index_size = 0;
    struct member *m = NULL;
    struct names map = {0};
    struct strbuf out = {0};
    sb_append(&out, "!<arch>\n", 8);
    int rc = 0;
    while (rc == 0 && at + HEADER <= f->size) {
        const char *h = b + at;
        size_t size = header_size(h);
        bool inline_bytes = has_bytes_inline(h);
        if (memcmp(h + 58, "`\n", 2) || (inline_bytes && size > f->size - at - HEADER)) {
            rc = fail("%s: damaged thin archive (member header at offset %zu)", path, at);
            break;
        }
        struct member mm = {at, out.len};
        ARRAY_PUSH(m, nm, cap, mm);
        sb_append(&out, h, HEADER);
        if (inline_bytes && h[1] == '/') {
            names = b + at + HEADER, nsize = size;
            size_t start = out.len;
            base_names(names, nsize, &out, &map);
            set_size(out.s + start - HEADER, out.len - start);
        } else if (inline_bytes) {
            index_at = out.len, index_size = size;
            sb_append(&out, h + HEADER, size);
        } else {
            rename_member(out.s + out.len - HEADER, &map);
            char *member = member_path(path, h, names, nsize);
            size_t start = out.len;
            rc = member ? append_file(&out, member, path)
                        : fail("%s: damaged thin archive (member name at offset %zu)", path, at);
            xfree(member);
            set_size(out.s + start - HEADER, out.len - start); /* its file's size now */
        }
        if (out.len % 2)
            sb_append(&out, "\n", 1);
        at += HEADER + (inline_bytes ? size + size % 2 : 0);
    }
    if (rc == 0 && index_size)
        move_index(out.s + index_at, index_size, m, nm);
    xfree(m);
    xfree(map.old);
    xfree(map.new);
    if (rc < 0) {
        xfree(out.s);
        return -1;
    }
    struct file_stamp stamp = f->stamp;
    file_release(f);
    *f = (struct file_data){.bytes = out.s, .size = out.len, .stamp = stamp};
    return 0;
}
