/* Incremental links, for reloads. A reload's link (options with live and these hooks) adds
 * only inputs whose contents changed, binds everything else to the running
 * program's definitions (SYM_EXTERNAL), and refuses to drop a definition
 * that unchanged code still uses. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "databind.h"
#include "hash.h"
#include "incremental.h"
#include "util.h"

static struct object *live_object(struct link *ld, const char *name)
{
    return strmap_get(&ld->opts->live->by_name, name);
}

/* Does obj define a variable that --reset names? Then it is linked again,
 * changed or not, for the reload to start that variable again. */
static bool has_reset_variable(struct link *ld, struct object *obj)
{
    for (size_t i = 1; ld->opts->nreset && i < obj->nsyms; i++)
        if (is_state_variable(obj->syms[i], obj) && reset_wanted(ld->opts, obj->syms[i]->name) >= 0)
            return true;
    return false;
}

/* True if the running program already has name with these contents; the
 * input is then skipped, but remembered as still present. */
static bool incremental_unchanged(struct link *ld, const char *name, uint64_t hash,
                           const struct file_stamp *stamp)
{
    struct object *old = live_object(ld, name);
    if (!old || object_hash(old) != hash || has_reset_variable(ld, old))
        return false;
    if (stamp && old->file.bytes)
        old->file.stamp = *stamp; /* touched, same bytes: stat it next time */
    strmap_slot(&ld->seen, old->name)->value = old;
    return true;
}

/* An object file of the program whose stat data has not changed since it
 * was read is not read again. (A touched file has a new stamp: it is read
 * and hashed, and reloaded only if its contents changed.) */
static bool incremental_same_stamp(struct link *ld, const char *path)
{
    struct object *old = live_object(ld, path);
    struct stat st;
    struct file_stamp now;
    if (old && has_reset_variable(ld, old))
        return false;
    if (old && ld->opts->clean && strmap_get(ld->opts->clean, path)) {
        strmap_slot(&ld->seen, old->name)->value = old;
        return true;
    }
    if (!old || !old->file.bytes || stat(path, &st) < 0)
        return false;
    file_stamp_of(&st, &now);
    if (!file_stamp_equal(&now, &old->file.stamp))
        return false;
    strmap_slot(&ld->seen, old->name)->value = old;
    return true;
}

/* The running program's objects that came from archives ("lib.a(m.o)"),
 * listed once for the link: each archive of the command line asks, and
 * a program of 1,000 objects has few members. */
static void list_live_members(struct link *ld)
{
    const struct strmap *loaded = &ld->opts->live->by_name;
    size_t cap = 0;
    ld->live_members_listed = true;
    for (size_t i = 0; i < loaded->cap; i++) {
        const char *name = loaded->slots[i].key;
        size_t n = name && loaded->slots[i].value ? strlen(name) : 0;
        if (n && name[n - 1] == ')')
            ARRAY_PUSH(ld->live_members, ld->nlive_members, cap, loaded->slots[i].value);
    }
}

/* fn for each member the program loaded from ar, until one returns true:
 * whether one did. */
static bool some_loaded_member(struct link *ld, const struct archive *ar,
                               bool (*fn)(struct link *ld, struct object *member))
{
    size_t n = strlen(ar->name);
    if (!ld->live_members_listed)
        list_live_members(ld);
    for (size_t i = 0; i < ld->nlive_members; i++) {
        struct object *member = ld->live_members[i];
        if (!strncmp(member->name, ar->name, n) && member->name[n] == '(' && fn(ld, member))
            return true;
    }
    return false;
}

static bool keep_member(struct link *ld, struct object *member)
{
    strmap_slot(&ld->seen, member->name)->value = member;
    return false;
}

/* A member of a changed archive (at offset): read again if the program
 * had loaded it and it changed; unchanged ones stay, new ones are pulled
 * later, only if a symbol needs them. */
static int reread_member(struct archive *ar, size_t off, void *ctx)
{
    struct link *ld = ctx;
    bool fresh;
    Elf *probe;
    if (elf_rand(ar->elf, off) != off || !(probe = elf_begin(-1, ELF_C_READ_MMAP, ar->elf)))
        return 0;
    Elf_Arhdr *h = elf_getarhdr(probe);
    size_t size;
    const char *bytes = elf_rawfile(probe, &size);
    char *name = h ? archive_member_name(ar, off, h->ar_name) : NULL;
    bool loaded = name && live_object(ld, name) && !strmap_get(&ld->seen, name);
    bool same = loaded && incremental_unchanged(ld, name, hash_bytes(bytes, bytes ? size : 0), NULL);
    xfree(name);
    elf_end(probe);
    if (!loaded || same)
        return 0;
    struct object *obj = archive_extract(ar, off, &fresh);
    return !obj || (fresh && link_add_object(ld, obj) < 0) ? -1 : 0;
}

/* Is ar the archive the program was linked with? A mapped one (found on
 * the library path) is the same file, as stat tells; and a project's own
 * library found there changes like any input. */
static bool same_archive(struct archive *was, struct archive *ar)
{
    if (was->file.mapped && ar->file.mapped)
        return file_stamp_equal(&was->file.stamp, &ar->file.stamp);
    return archive_hash(was) == archive_hash(ar);
}

/* Members of a changed archive that the program had loaded: unchanged
 * ones stay, changed ones are read again. */
static int incremental_archive(struct link *ld, struct archive *ar)
{
    struct archive *was = strmap_get(&ld->opts->live->archives_by_name, ar->name);
    bool resets = ld->opts->nreset && some_loaded_member(ld, ar, has_reset_variable);
    if (!was || (same_archive(was, ar) && !resets)) {
        some_loaded_member(ld, ar, keep_member);
        return 0;
    }
    return archive_each_indexed_member(ar, reread_member, ld);
}

/* Is name one of this link's inputs as given? */
static bool named_input(const struct link *ld, const char *name)
{
    for (size_t i = 0; i < ld->opts->ninputs; i++)
        if (!strcmp(ld->opts->inputs[i].arg, name))
            return true;
    return false;
}

/* The running program's object defining name, if it stays: one this link
 * found unchanged (read before, in command-line order, or later on it and
 * unchanged as stat says now), or in a link of the changed objects alone,
 * one that is not among them. */
static struct object *incremental_defined_by_staying(struct link *ld, const char *name)
{
    const struct symbol *l = strmap_get(&ld->opts->live->symtab, name);
    struct object *owner = l && l->kind == SYM_DEFINED ? l->file : NULL;
    if (!owner)
        return NULL;
    if (ld->opts->only_changed)
        return named_input(ld, owner->name) ? NULL : owner;
    if (strmap_get(&ld->seen, owner->name) == owner)
        return owner;
    return named_input(ld, owner->name) && incremental_same_stamp(ld, owner->name) ? owner : NULL;
}

/* Objects of the running program that this link replaces, or that the
 * new command line no longer names. */
static void supersede(struct link *ld, struct object *obj)
{
    obj->superseded = true;
    ARRAY_PUSH(ld->superseded, ld->nsuperseded, ld->capsuperseded, obj);
}

static void incremental_mark_superseded(struct link *ld)
{
    struct link *live = ld->opts->live;
    if (ld->opts->only_changed) { /* the new versions replace the old */
        for (size_t i = 0; i < ld->nobjs; i++) {
            struct object *old = strmap_get(&live->by_name, ld->objs[i]->name);
            if (old)
                supersede(ld, old);
        }
        return;
    }
    for (size_t i = 0; i < live->by_name.cap; i++) {
        struct object *obj = live->by_name.slots[i].value;
        if (obj && strmap_get(&ld->seen, obj->name) != obj) /* NULL: removed earlier */
            supersede(ld, obj);
    }
}

void incremental_forget_superseded(struct link *ld)
{
    for (size_t i = 0; i < ld->nsuperseded; i++)
        ld->superseded[i]->superseded = false;
}

/* A library's thread-local variable is looked up again in its library:
 * the address the running program has is the instance of the thread that
 * linked it, and this link may run on another. */
static bool bind_thread_local(struct symbol *s, const struct symbol *l)
{
    void *lib = dlopen(l->dso, RTLD_LAZY | RTLD_NOLOAD);
    void *at = lib ? dlsym(lib, s->name) : NULL;
    if (lib)
        dlclose(lib);
    if (!at)
        return false;
    s->kind = SYM_DSO;
    s->addr = (uintptr_t)at;
    s->type = STT_TLS;
    s->size = l->size;
    s->dso = l->dso;
    return true;
}

/* Bind s to the running program's definition, unless a superseded object
 * made it. */
static bool incremental_bind(struct link *ld, struct symbol *s)
{
    struct link *live = ld->opts->live;
    struct symbol *l = live ? strmap_get(&live->symtab, s->name) : NULL;
    if (!l || l->kind == SYM_UNDEF || l->kind == SYM_LINKER)
        return false;
    if (l->kind == SYM_DSO && l->type == STT_TLS)
        return bind_thread_local(s, l);
    if (l->file && l->file->superseded && l->kind != SYM_DSO && l->kind != SYM_EXTERNAL)
        return false;
    s->kind = SYM_EXTERNAL;
    s->addr = l->addr;
    s->call_addr = l->call_addr;
    s->type = l->type;
    s->size = l->size;
    s->dso = l->dso;
    return true;
}

/* Is some definition of the program about to disappear (made by a
 * superseded object, and not made again by this link)? Usually not, and
 * then no object needs scanning. */
static bool definitions_disappear(struct link *ld)
{
    for (size_t i = 0; i < ld->nsuperseded; i++) {
        const struct object *obj = ld->superseded[i];
        for (size_t j = 1; j < obj->nsyms; j++) {
            const struct symbol *s = obj->syms[j], *now;
            if (!s->global || s->kind != SYM_DEFINED || s->file != obj)
                continue;
            now = strmap_get(&ld->symtab, s->name);
            if (!now || now->kind == SYM_UNDEF)
                return true;
        }
    }
    return false;
}

/* A definition that goes away with a superseded object must not be used
 * by code that stays. */
static int incremental_check_references(struct link *ld)
{
    struct link *live = ld->opts->live;
    if (!definitions_disappear(ld))
        return 0;
    for (size_t i = 0; i < live->by_name.cap; i++) {
        struct object *user = live->by_name.slots[i].value;
        if (!user || user->superseded)
            continue;
        for (size_t j = 1; j < user->nsyms; j++) {
            struct symbol *s = user->syms[j];
            if (!s->global || !s->file || !s->file->superseded || s->kind == SYM_DSO)
                continue;
            struct symbol *now = strmap_get(&ld->symtab, s->name);
            if (object_binding(user, j) == STB_WEAK)
                continue; /* a weak reference: it becomes 0 again */
            if (!now || now->kind == SYM_UNDEF)
                return fail("undefined symbol '%s' (referenced by %s): it was defined in %s, "
                            "which this reload drops", s->name, user->name, s->file->name);
        }
    }
    return 0;
}

const struct link_hooks incremental_hooks = {
    .unchanged = incremental_unchanged,
    .same_stamp = incremental_same_stamp,
    .archive = incremental_archive,
    .defined_by_staying = incremental_defined_by_staying,
    .supersede = incremental_mark_superseded,
    .bind = incremental_bind,
    .check_references = incremental_check_references,
};
