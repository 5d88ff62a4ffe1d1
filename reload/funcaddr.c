/* Keeping &f of reloaded functions. What code and data see as a reloaded
 * function's address stays the address of its first version, whose entry
 * jumps to the newest body; calls go straight to the new body. So function
 * pointers compare equal across reloads.
 *
 * Global functions: the symbol's addr stays, its call_addr is the new body.
 * Static functions are reached three ways: through their own symbol (same
 * treatment), through their section symbol (a bind on the code section, at
 * the entry, that relocations other than calls follow), and, within their
 * own section, through a displacement the assembler computed itself, with
 * no relocation: those are found by decoding the new code and patched. */
#include <stdlib.h>
#include <string.h>

#include "funcaddr.h"
#include "insn.h"
#include "util.h"

static void keep_global(struct link *live, struct symbol *s)
{
    struct symbol *l = strmap_get(&live->symtab, s->name);
    if (!l || l->type != STT_FUNC || l->kind != SYM_DEFINED || s->call_addr)
        return;
    s->call_addr = s->addr;
    s->addr = l->addr;
}

/* Compiler-made clones (foo.constprop.0) are never redirected, so they
 * keep their own addresses too. */
static void keep_local(struct object *first, struct symbol *s)
{
    const struct func *f = first && !strchr(s->name, '.') ? object_function(first, s->name) : NULL;
    if (!f || f->body == s->addr || !s->sec)
        return;
    add_bind(s->sec, s->value, s->value + 1, (int64_t)(f->body - s->addr));
    s->call_addr = s->addr;
    s->addr = f->body;
}

void funcaddr_keep(struct link *live, struct object *first, struct object *new)
{
    for (size_t i = 1; i < new->nsyms; i++) {
        struct symbol *s = new->syms[i];
        if (s->type != STT_FUNC || s->file != new || s->kind != SYM_DEFINED)
            continue;
        if (s->global)
            keep_global(live, s);
        else
            keep_local(first, s);
    }
}

static int by_offset(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The section's relocation offsets, sorted, for bsearch. */
static uint64_t *reloc_offsets(const struct section *sec)
{
    uint64_t *off = xcalloc(sec->nrelas + 1, sizeof *off);
    for (size_t i = 0; i < sec->nrelas; i++)
        off[i] = sec->relas[i].r_offset;
    qsort(off, sec->nrelas, sizeof *off, by_offset);
    return off;
}

static const struct var_bind *entry_bind(const struct section *sec, int64_t off)
{
    for (size_t i = 0; i < sec->nbinds; i++)
        if ((int64_t)sec->binds[i].start == off)
            return &sec->binds[i];
    return NULL;
}

/* Patch the assembler-resolved displacements of one function that point
 * at the entry of a kept static function of the same section. */
static void rewrite_function(struct section *sec, const struct func *f, const uint64_t *relocs)
{
    uint8_t *code = image_bytes(sec->obj->link->image, sec->addr);
    uint64_t start = f->bytes - sec->data;
    for (uint64_t at = 0; at < f->size;) {
        int disp;
        int n = x86_insn_decode(f->bytes + at, f->size - at, &disp);
        if (n <= 0)
            return;
        uint64_t field = start + at + disp;
        if (disp >= 0 && !bsearch(&field, relocs, sec->nrelas, sizeof *relocs, by_offset)) {
            int32_t d;
            memcpy(&d, code + field, 4);
            const struct var_bind *b = entry_bind(sec, (int64_t)(start + at + n) + d);
            if (b) {
                d += (int32_t)b->delta;
                memcpy(code + field, &d, 4);
            }
        }
        at += n;
    }
}

/* Could a RIP-relative operand of f lead to a kept entry? Its
 * displacement follows a ModRM byte of mod 0 and r/m 5, and the
 * instruction ends 0, 1, 2 or 4 immediate bytes after it. Most functions
 * have no such bytes that add up to an entry: decoding them was a seventh
 * of a reload of lvm.o. */
static bool may_refer_to_entry(const struct section *sec, const struct func *f)
{
    static const int immediate[] = {0, 1, 2, 4};
    int64_t start = f->bytes - sec->data;
    for (uint64_t at = 1; at + 4 <= f->size; at++) {
        if ((f->bytes[at - 1] & 0xc7) != 0x05)
            continue;
        int32_t d;
        memcpy(&d, f->bytes + at, 4);
        for (size_t k = 0; k < ARRAY_SIZE(immediate); k++)
            if (entry_bind(sec, start + (int64_t)at + 4 + immediate[k] + d))
                return true;
    }
    return false;
}

void funcaddr_rewrite_local_refs(struct object *new)
{
    size_t nf;
    const struct func *fs = object_functions(new, &nf);
    for (size_t i = 1; i < new->nsecs; i++) {
        struct section *sec = &new->secs[i];
        if (!sec->out || !(sec->flags & SHF_EXECINSTR) || !sec->nbinds || !sec->data)
            continue;
        uint64_t *relocs = NULL; /* sorted when a function needs decoding */
        for (size_t j = 0; j < nf; j++)
            if (fs[j].bytes >= sec->data && fs[j].bytes < sec->data + sec->size &&
                may_refer_to_entry(sec, &fs[j])) {
                relocs = relocs ? relocs : reloc_offsets(sec);
                rewrite_function(sec, &fs[j], relocs);
            }
        xfree(relocs);
    }
}
