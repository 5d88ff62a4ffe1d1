/* Functions and data by size (hotld --sizes). An object's bytes are those
 * of its loaded sections, by kind; its symbols say where they go. Bytes no
 * symbol covers (string literals, jump tables, unwind tables) are listed as
 * the section they are in, "[.rodata.str1.1]", so that what an object
 * lists adds up to its total. Aliases (a C++ constructor's C1 and C2) are
 * one item: their bytes are there once. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "demangle.h"
#include "svg.h"
#include "util.h"

const char *const kind_names[NKINDS] = {"function", "data", "rodata", "bss", "tls"};
const char *const kind_total_names[NKINDS] = {"text", "data", "rodata", "bss", "tls"};

static enum size_kind section_kind(const struct section *sec)
{
    if (sec->flags & SHF_EXECINSTR)
        return KIND_FUNCTION;
    if (sec->flags & SHF_TLS)
        return KIND_TLS;
    if (sec->type == SHT_NOBITS)
        return KIND_BSS;
    return sec->flags & SHF_WRITE ? KIND_DATA : KIND_RODATA;
}

enum size_kind symbol_kind(const struct symbol *s)
{
    if (s->type == STT_FUNC || s->type == STT_GNU_IFUNC)
        return KIND_FUNCTION;
    return s->kind == SYM_COMMON || !s->sec ? KIND_BSS : section_kind(s->sec);
}

bool own_section(const struct object *obj, const struct section *sec)
{
    return sec->index < obj->nsecs && &obj->secs[sec->index] == sec;
}

bool counted_section(const struct section *sec)
{
    return !sec->discarded && section_is_loadable(sec);
}

bool defined_in(const struct symbol *s, const struct object *obj)
{
    if (!s || !s->name[0] || s->type == STT_SECTION || s->type == STT_FILE)
        return false;
    if (s->kind == SYM_COMMON)
        return s->file == obj; /* a global common: the object of the largest */
    return s->kind == SYM_DEFINED && s->sec && s->sec->obj == obj && counted_section(s->sec);
}

/* A common symbol: no section of the object's own holds its bytes (once
 * laid out, a section the linker made, such as obj->common). */
static bool is_common(const struct object *obj, const struct symbol *s)
{
    return s->kind == SYM_COMMON || !own_section(obj, s->sec);
}

/* Which of two aliases a reader knows better: a global name over a weak
 * one over a local one. */
static int bind_rank(const struct symbol *s)
{
    return s->bind == STB_LOCAL ? 0 : s->bind == STB_WEAK ? 1 : 2;
}

static int by_place(const void *a, const void *b)
{
    const struct placed *x = a, *y = b;
    if (x->sec != y->sec)
        return x->sec < y->sec ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (bind_rank(x->sym) != bind_rank(y->sym))
        return bind_rank(x->sym) - bind_rank(y->sym);
    return strcmp(x->sym->name, y->sym->name);
}

struct placed *placed_symbols(const struct object *obj, size_t *n)
{
    struct placed *p = xcalloc(obj->nsyms, sizeof *p);
    *n = 0;
    for (size_t i = 1; i < obj->nsyms; i++) {
        const struct symbol *s = obj->syms[i];
        if (!defined_in(s, obj) || is_common(obj, s) || s->value >= s->sec->size)
            continue;
        uint64_t room = s->sec->size - s->value;
        uint64_t size = s->size < room ? s->size : room;
        if (size)
            p[(*n)++] = (struct placed){s, s->sec->index, s->value, s->value + size, 0};
    }
    qsort(p, *n, sizeof *p, by_place);
    for (size_t i = 0; i < *n; i++) {
        bool first = i == 0 || p[i - 1].sec != p[i].sec;
        p[i].reach = first || p[i - 1].reach < p[i].end ? p[i].end : p[i - 1].reach;
    }
    return p;
}

static int by_name(const void *a, const void *b)
{
    const struct size_item *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (int)x->kind - (int)y->kind;
}

/* Largest first; equal sizes by name, so that listings are stable. */
static int by_size(const void *a, const void *b)
{
    const struct size_item *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->object, y->object);
}

static int by_total(const void *a, const void *b)
{
    const struct object_size *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return strcmp(x->obj->name, y->obj->name);
}

static void add_item(struct object_size *o, char *name, uint64_t size, enum size_kind kind,
                     bool unnamed)
{
    struct size_item it = {name, NULL, o->label, size, kind, unnamed};
    ARRAY_PUSH(o->items, o->nitems, o->capitems, it);
}

/* A symbol's item, named as the source spells it. */
static void add_symbol(struct object_size *o, const struct symbol *s, uint64_t size, enum size_kind kind)
{
    char *name = demangle(s->name);
    add_item(o, name ? name : xstrdup(s->name), size, kind, false);
    o->items[o->nitems - 1].symbol = name ? s->name : NULL;
}

/* The bytes of a section that its placed symbols p cover. */
static uint64_t covered(const struct placed *p, size_t n)
{
    uint64_t bytes = 0, end = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t start = p[i].start > end ? p[i].start : end;
        if (p[i].end > start)
            bytes += p[i].end - start;
        if (p[i].end > end)
            end = p[i].end;
    }
    return bytes;
}

/* A symbol for each place of p, one of each alias group: the last, which
 * by_place made the best known. */
static void add_symbols(struct object_size *o, const struct placed *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct placed *next = i + 1 < n ? &p[i + 1] : NULL;
        if (next && next->sec == p[i].sec && next->start == p[i].start && next->end == p[i].end)
            continue;
        add_symbol(o, p[i].sym, p[i].end - p[i].start, symbol_kind(p[i].sym));
    }
}

/* Fold the items of o from first on that have one name (the rest of the
 * .text of each of several COMDAT groups, say) into one. */
static void merge_same_names(struct object_size *o, size_t first)
{
    struct size_item *items = o->items + first;
    size_t n = o->nitems - first, m = 0;
    qsort(items, n, sizeof *items, by_name);
    for (size_t i = 0; i < n; i++) {
        if (m && !by_name(&items[m - 1], &items[i])) {
            items[m - 1].size += items[i].size;
            xfree(items[i].name);
        } else {
            items[m++] = items[i];
        }
    }
    o->nitems = first + m;
}

/* An object's sections, by kind, and the bytes of each that no symbol
 * covers; sections of one name are one item. */
static void add_sections(struct object_size *o, const struct placed *p, size_t np)
{
    const struct object *obj = o->obj;
    size_t first = o->nitems;
    for (size_t k = 1, j = 0; k < obj->nsecs; k++) {
        size_t from = j;
        while (j < np && p[j].sec == k)
            j++;
        const struct section *sec = &obj->secs[k];
        if (!counted_section(sec))
            continue;
        o->by_kind[section_kind(sec)] += sec->size;
        o->total += sec->size;
        uint64_t rest = sec->size - covered(p + from, j - from);
        if (rest)
            add_item(o, xasprintf("[%s]", sec->name), rest, section_kind(sec), true);
    }
    if (o->nitems > first)
        merge_same_names(o, first);
}

/* Common symbols have no section of the object's: each is bss of its own. */
static void add_commons(struct object_size *o)
{
    const struct object *obj = o->obj;
    for (size_t i = 1; i < obj->nsyms; i++) {
        const struct symbol *s = obj->syms[i];
        if (!defined_in(s, obj) || !is_common(obj, s))
            continue;
        add_symbol(o, s, s->size, KIND_BSS);
        o->by_kind[KIND_BSS] += s->size;
        o->total += s->size;
    }
}

static void collect_object(struct object_size *o)
{
    size_t np;
    struct placed *p = placed_symbols(o->obj, &np);
    add_sections(o, p, np);
    add_symbols(o, p, np);
    add_commons(o);
    xfree(p);
    if (o->nitems)
        qsort(o->items, o->nitems, sizeof *o->items, by_size);
}

/* Does name end with the path suffix at (the same components)? */
static bool ends_with_path(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && !strcmp(name + n - k, suffix) && (n == k || name[n - k - 1] == '/');
}

/* The fewest last components of o's label that no other object's ends
 * with: a drawing's box has room for little, and CMake's objects all
 * start "CMakeFiles/TARGET.dir/". */
static const char *shortest_unique(const struct size_report *r, const struct object_size *o)
{
    const char *name = o->label, *at = name + strlen(name);
    for (;;) {
        while (at > name && at[-1] != '/')
            at--;
        bool shared = false;
        for (size_t i = 0; i < r->nobjs && !shared; i++)
            shared = &r->objs[i] != o && ends_with_path(r->objs[i].label, at);
        if (!shared || at == name)
            return at;
        at--; /* one component more */
    }
}

void sizes_collect(struct object *const *objs, size_t n, struct size_report *r)
{
    *r = (struct size_report){xcalloc(n, sizeof *r->objs), 0, 0, objects_root(objs, n)};
    for (size_t i = 0; i < n; i++) {
        if (!objs[i])
            continue;
        struct object_size *o = &r->objs[r->nobjs++];
        o->obj = objs[i];
        o->label = object_label(objs[i]->name, r->root);
        collect_object(o);
        r->total += o->total;
    }
    for (size_t i = 0; i < r->nobjs; i++)
        r->objs[i].short_name = shortest_unique(r, &r->objs[i]);
    qsort(r->objs, r->nobjs, sizeof *r->objs, by_total);
}

void sizes_free(struct size_report *r)
{
    for (size_t i = 0; i < r->nobjs; i++) {
        for (size_t j = 0; j < r->objs[i].nitems; j++)
            xfree(r->objs[i].items[j].name);
        xfree(r->objs[i].items);
    }
    xfree(r->objs);
}

/* The symbols of every object, largest first, for --sizes with top. */
static struct size_item *all_symbols(const struct size_report *r, size_t *n)
{
    size_t count = 0, k = 0;
    for (size_t i = 0; i < r->nobjs; i++)
        count += r->objs[i].nitems;
    struct size_item *all = xcalloc(count, sizeof *all);
    for (size_t i = 0; i < r->nobjs; i++)
        for (size_t j = 0; j < r->objs[i].nitems; j++)
            if (!r->objs[i].items[j].unnamed)
                all[k++] = r->objs[i].items[j];
    qsort(all, k, sizeof *all, by_size);
    *n = k;
    return all;
}

/* Width of the size column: the widest number in it. */
static int size_width(const struct size_item *items, size_t n)
{
    char buf[32];
    size_t w = 4;
    for (size_t i = 0; i < n; i++)
        if (strlen(commas(items[i].size, buf)) > w)
            w = strlen(buf);
    return (int)w;
}

static void text_item(struct strbuf *out, const struct size_item *it, int w)
{
    char buf[32];
    sb_printf(out, "  %*s  %-8s  ", w, commas(it->size, buf), kind_names[it->kind]);
}

/* "game.o  4,312 bytes (text 3,100, data 200, rodata 900, bss 112)" */
static void text_object(struct strbuf *out, const struct object_size *o)
{
    char buf[32];
    const char *sep = " (";
    sb_escape(out, o->label, strlen(o->label), ESC_TEXT);
    sb_printf(out, "  %s bytes", commas(o->total, buf));
    for (int k = 0; k < NKINDS; k++)
        if (o->by_kind[k]) {
            sb_printf(out, "%s%s %s", sep, kind_total_names[k], commas(o->by_kind[k], buf));
            sep = ", ";
        }
    sb_printf(out, "%s\n", *sep == ',' ? ")" : "");
    int w = size_width(o->items, o->nitems);
    for (size_t i = 0; i < o->nitems; i++) {
        text_item(out, &o->items[i], w);
        sb_escape(out, o->items[i].name, strlen(o->items[i].name), ESC_TEXT);
        sb_printf(out, "\n");
    }
}

static void text_sizes(const struct size_report *r, struct strbuf *out)
{
    char buf[32];
    for (size_t i = 0; i < r->nobjs; i++) {
        text_object(out, &r->objs[i]);
        sb_printf(out, "\n");
    }
    sb_printf(out, "total  %s bytes in %zu object%s\n", commas(r->total, buf), r->nobjs,
              r->nobjs == 1 ? "" : "s");
}

/* The N largest symbols: size, kind, object, symbol. */
static void text_top(const struct size_item *all, size_t n, struct strbuf *out)
{
    int w = size_width(all, n);
    size_t ow = 6;
    for (size_t i = 0; i < n; i++)
        if (text_width(all[i].object) > ow)
            ow = text_width(all[i].object);
    sb_printf(out, "  %*s  %-8s  ", w, "size", "kind");
    sb_pad(out, "object", ow);
    sb_printf(out, "  symbol\n");
    for (size_t i = 0; i < n; i++) {
        text_item(out, &all[i], w);
        sb_pad(out, all[i].object, ow);
        sb_printf(out, "  ");
        sb_escape(out, all[i].name, strlen(all[i].name), ESC_TEXT);
        sb_printf(out, "\n");
    }
}

/* {"name": ..., "size": ..., "kind": ...}, and where: the object, or that
 * it is a section's rest. */
static void json_item(struct strbuf *out, const struct size_item *it, bool with_object)
{
    sb_printf(out, "{\"name\":");
    sb_quoted(out, it->name, ESC_JSON);
    if (it->symbol) {
        sb_printf(out, ",\"symbol\":");
        sb_quoted(out, it->symbol, ESC_JSON);
    }
    if (with_object) {
        sb_printf(out, ",\"object\":");
        sb_quoted(out, it->object, ESC_JSON);
    }
    sb_printf(out, ",\"size\":%" PRIu64 ",\"kind\":\"%s\"%s}", it->size, kind_names[it->kind],
              it->unnamed ? ",\"unnamed\":true" : "");
}

static void json_object(struct strbuf *out, const struct object_size *o)
{
    sb_printf(out, "{\"name\":");
    sb_quoted(out, o->label, ESC_JSON);
    sb_printf(out, ",\"total\":%" PRIu64, o->total);
    for (int k = 0; k < NKINDS; k++)
        sb_printf(out, ",\"%s\":%" PRIu64, kind_total_names[k], o->by_kind[k]);
    sb_printf(out, ",\"symbols\":[");
    for (size_t i = 0; i < o->nitems; i++) {
        sb_printf(out, i ? ",\n  " : "\n  ");
        json_item(out, &o->items[i], false);
    }
    sb_printf(out, "]}");
}

static void json_sizes(const struct size_report *r, struct strbuf *out)
{
    sb_printf(out, "{\"total\":%" PRIu64 ",\"objects\":[", r->total);
    for (size_t i = 0; i < r->nobjs; i++) {
        sb_printf(out, i ? ",\n" : "\n");
        json_object(out, &r->objs[i]);
    }
    sb_printf(out, "]}\n");
}

static void json_top(const struct size_item *all, size_t n, struct strbuf *out)
{
    sb_printf(out, "{\"top\":[");
    for (size_t i = 0; i < n; i++) {
        sb_printf(out, i ? ",\n" : "\n");
        json_item(out, &all[i], true);
    }
    sb_printf(out, "]}\n");
}

void inspect_sizes(struct object *const *objs, size_t n, const struct inspect_options *o,
                   struct strbuf *out)
{
    struct size_report r;
    sizes_collect(objs, n, &r);
    if (o->top) {
        size_t count;
        struct size_item *all = all_symbols(&r, &count);
        if (count > o->top)
            count = o->top;
        (o->json ? json_top : text_top)(all, count, out);
        xfree(all);
    } else {
        (o->json ? json_sizes : text_sizes)(&r, out);
    }
    sizes_free(&r);
}
