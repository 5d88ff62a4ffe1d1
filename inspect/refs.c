/* Who references a symbol and what it references (hotld --refs), from the
 * relocations of the objects' loaded sections: a relocation in the bytes
 * of symbol A that names symbol B is a reference from A to B. Relocations
 * often name a static function or a string literal by its section
 * (".text+0x40"); the symbol whose bytes hold that place is the one meant.
 * A call within one section needs no relocation (the assembler resolves
 * it), so such calls cannot be seen here, and the listings say so. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "demangle.h"
#include "svg.h"
#include "util.h"

const char *const ref_kind_names[2] = {"call", "data"};
const char *const ref_kind_colors[2] = {"#1f5fa8", "#d9822b"};
const char refs_note[] = "calls within one section need no relocation and are not shown";

/* The symbol whose bytes hold offset off of section sec, of an object's
 * placed symbols p: the innermost if they nest. */
static const struct symbol *symbol_at(const struct placed *p, size_t n, uint32_t sec, uint64_t off)
{
    size_t lo = 0, hi = n; /* find the first entry past (sec, off) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].sec < sec || (p[mid].sec == sec && p[mid].start <= off))
            lo = mid + 1;
        else
            hi = mid;
    }
    /* walk back while some entry of the section may still reach off */
    for (size_t i = lo; i-- > 0 && p[i].sec == sec && p[i].reach > off;)
        if (p[i].end > off)
            return p[i].sym;
    return NULL;
}

static bool pc_relative(uint32_t type)
{
    switch (type) {
    case R_X86_64_PC32: case R_X86_64_PLT32: case R_X86_64_GOTPCREL:
    case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
        return true;
    default:
        return false;
    }
}

/* The field at off is the operand of a call or jump: e8/e9 rel32, 0f 8x
 * rel32 (a conditional jump), ff 15/25 disp32 (through a GOT entry). A
 * PC-relative field elsewhere takes an address (lea, mov). */
static bool branch_at(const struct section *sec, uint64_t off)
{
    if (!sec->data || off == 0 || off > sec->size)
        return false;
    uint8_t op = sec->data[off - 1], before = off >= 2 ? sec->data[off - 2] : 0;
    return op == 0xe8 || op == 0xe9 || (before == 0x0f && (op & 0xf0) == 0x80) ||
           (before == 0xff && (op == 0x15 || op == 0x25));
}

static enum ref_kind kind_of(const struct section *sec, const Elf64_Rela *r)
{
    uint32_t type = ELF64_R_TYPE(r->r_info);
    if (!(sec->flags & SHF_EXECINSTR))
        return REF_DATA;
    if (type == R_X86_64_PLT32 || (pc_relative(type) && branch_at(sec, r->r_offset)))
        return REF_CALL;
    return REF_DATA;
}

/* What relocation r of section sec of obj names: a symbol, or a place in
 * one of obj's sections that no symbol covers. False if it names nothing
 * to show. A jump table's entries (.long .L5-.L4) name their case as an
 * offset from the table's start, not their own place: all but the first
 * are found some bytes past their case. */
static bool target_of(const struct object *obj, const struct placed *p, size_t np,
                      const struct section *sec, const Elf64_Rela *r, struct ref_node *to)
{
    const struct symbol *s = obj->syms[ELF64_R_SYM(r->r_info)];
    if (s->type != STT_SECTION) {
        *to = (struct ref_node){s, NULL, 0, false};
        return s->name[0] != 0;
    }
    if (!s->sec || !own_section(obj, s->sec))
        return false;
    /* in code, a PC-relative addend also counts back from the end of the
     * instruction to the field (-4): the place meant is 4 bytes on */
    bool in_code = (sec->flags & SHF_EXECINSTR) && pc_relative(ELF64_R_TYPE(r->r_info));
    uint64_t off = s->value + (uint64_t)r->r_addend + (in_code ? 4 : 0);
    if (off > INT64_MAX)
        off = 0;
    const struct symbol *t = symbol_at(p, np, s->sec->index, off);
    *to = t ? (struct ref_node){t, NULL, 0, false} : (struct ref_node){NULL, s->sec, off, true};
    return true;
}

static struct ref_node source_of(const struct placed *p, size_t np, const struct section *sec,
                                 uint64_t off)
{
    const struct symbol *s = symbol_at(p, np, sec->index, off);
    return s ? (struct ref_node){s, NULL, 0, false} : (struct ref_node){NULL, sec, 0, false};
}

/* Unwind tables reference every function; that says nothing about it. */
static bool is_unwind(const struct section *sec)
{
    return sec->type == SHT_X86_64_UNWIND || !strcmp(sec->name, ".eh_frame");
}

static void push_edge(struct ref_edge **edges, size_t *n, size_t *cap, struct ref_node node,
                      enum ref_kind kind)
{
    struct ref_edge e = {node, NULL, NULL, kind, 1};
    ARRAY_PUSH(*edges, *n, *cap, e);
}

/* s is def, or an alias of it: the same bytes under another name (a C++
 * constructor's C1 and C2), which symbol_at may have picked instead. */
static bool is_def(const struct symbol *s, const struct symbol *def)
{
    return s == def || (s && def->sec && s->kind == SYM_DEFINED && s->type != STT_SECTION &&
                        s->sec == def->sec && s->value == def->value && s->size == def->size);
}

static void scan_reloc(struct ref_report *r, const struct object *obj, const struct placed *p,
                       size_t np, const struct section *sec, const Elf64_Rela *rela)
{
    size_t idx = ELF64_R_SYM(rela->r_info);
    struct ref_node to;
    if (idx == 0 || idx >= obj->nsyms || !obj->syms[idx] || !target_of(obj, p, np, sec, rela, &to))
        return;
    struct ref_node from = source_of(p, np, sec, rela->r_offset);
    enum ref_kind kind = kind_of(sec, rela);
    for (size_t i = 0; i < r->ndefs; i++) {
        struct ref_def *d = &r->defs[i];
        if (is_def(to.sym, d->sym))
            push_edge(&d->in, &d->nin, &d->capin, from, kind);
        if (is_def(from.sym, d->sym))
            push_edge(&d->out, &d->nout, &d->capout, to, kind);
    }
}

static void scan_object(struct ref_report *r, const struct object *obj)
{
    size_t np;
    struct placed *p = placed_symbols(obj, &np);
    for (size_t k = 1; k < obj->nsecs; k++) {
        const struct section *sec = &obj->secs[k];
        if (!counted_section(sec) || is_unwind(sec))
            continue;
        for (size_t j = 0; j < sec->nrelas; j++)
            scan_reloc(r, obj, p, np, sec, &sec->relas[j]);
    }
    xfree(p);
}

static bool same_node(const struct ref_node *a, const struct ref_node *b)
{
    return a->sym == b->sym && a->sec == b->sec && a->off == b->off && a->at == b->at;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

/* Any order that puts the same kind of edge to the same node together. */
static int by_identity(const void *a, const void *b)
{
    const struct ref_edge *x = a, *y = b;
    int c = cmp_u64(x->kind, y->kind);
    if (!c)
        c = cmp_u64((uintptr_t)x->node.sym, (uintptr_t)y->node.sym);
    if (!c)
        c = cmp_u64((uintptr_t)x->node.sec, (uintptr_t)y->node.sec);
    if (!c)
        c = cmp_u64(x->node.off, y->node.off);
    return c ? c : cmp_u64(x->node.at, y->node.at);
}

/* For the reader: calls first, then by name and object. */
static int by_display(const void *a, const void *b)
{
    const struct ref_edge *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind == REF_CALL ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(edge_where(x), edge_where(y));
}

/* A symbol's name as the source spells it. */
static char *display_name(const char *symbol)
{
    char *name = demangle(symbol);
    return name ? name : xstrdup(symbol);
}

static char *node_name(const struct ref_node *n, size_t root)
{
    const char *obj = n->sym ? NULL : object_label(n->sec->obj->name, root);
    if (n->sym)
        return display_name(n->sym->name);
    if (n->at)
        return xasprintf("%s:%s+0x%" PRIx64, obj, n->sec->name, n->off);
    return xasprintf("%s:%s", obj, n->sec->name);
}

static const char *node_object(const struct ref_node *n, size_t root)
{
    const struct symbol *s = n->sym;
    if (!s)
        return object_label(n->sec->obj->name, root);
    if (s->kind == SYM_DEFINED && s->sec)
        return object_label(s->sec->obj->name, root);
    if ((s->kind == SYM_DEFINED || s->kind == SYM_COMMON) && s->file)
        return object_label(s->file->name, root);
    return s->kind == SYM_DSO ? s->dso : NULL;
}

const char *edge_where(const struct ref_edge *e)
{
    if (e->object)
        return e->object;
    return e->node.sym && e->node.sym->kind == SYM_UNDEF ? "(undefined)" : "(elsewhere)";
}

/* One edge per node and kind, counting the relocations; then named. */
static void fold_edges(struct ref_edge *e, size_t *n, size_t root)
{
    size_t m = 0;
    if (!*n)
        return; /* e is NULL */
    qsort(e, *n, sizeof *e, by_identity);
    for (size_t i = 0; i < *n; i++) {
        if (m && !by_identity(&e[m - 1], &e[i]))
            e[m - 1].count++;
        else
            e[m++] = e[i];
    }
    for (size_t i = 0; i < m; i++) {
        e[i].name = node_name(&e[i].node, root);
        e[i].object = node_object(&e[i].node, root);
    }
    qsort(e, m, sizeof *e, by_display);
    *n = m;
}

static bool known_def(const struct ref_report *r, const struct symbol *s)
{
    for (size_t i = 0; i < r->ndefs; i++)
        if (r->defs[i].sym == s)
            return true;
    return false;
}

/* The definitions of name, in objects that match object if it is given. */
static void find_defs(struct object *const *objs, size_t n, const char *name, const char *object,
                      struct ref_report *r)
{
    for (size_t i = 0; i < n; i++) {
        const struct object *obj = objs[i];
        if (!obj || (object && !object_matches(obj->name, object)))
            continue;
        for (size_t j = 1; j < obj->nsyms; j++) {
            const struct symbol *s = obj->syms[j];
            if (defined_in(s, obj) && (!strcmp(s->name, name) || demangles_to(s->name, name)) && !known_def(r, s)) {
                struct ref_def d = {.sym = s, .name = display_name(s->name), .obj = obj};
                ARRAY_PUSH(r->defs, r->ndefs, r->capdefs, d);
            }
        }
    }
}

int refs_collect(struct object *const *objs, size_t n, const char *symbol, struct ref_report *r)
{
    *r = (struct ref_report){0};
    r->root = objects_root(objs, n);
    find_defs(objs, n, symbol, NULL, r);
    const char *colon = strrchr(symbol, ':');
    if (!r->ndefs && colon) { /* "obj.o:name" */
        char *object = xasprintf("%.*s", (int)(colon - symbol), symbol);
        find_defs(objs, n, colon + 1, object, r);
        xfree(object);
    }
    if (!r->ndefs)
        return fail("no object defines symbol '%s'", symbol);
    for (size_t i = 0; i < n; i++)
        if (objs[i])
            scan_object(r, objs[i]);
    for (size_t i = 0; i < r->ndefs; i++) {
        r->defs[i].label = object_label(r->defs[i].obj->name, r->root);
        fold_edges(r->defs[i].in, &r->defs[i].nin, r->root);
        fold_edges(r->defs[i].out, &r->defs[i].nout, r->root);
    }
    return 0;
}

static void free_edges(struct ref_edge *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xfree(e[i].name);
    xfree(e);
}

void refs_free(struct ref_report *r)
{
    for (size_t i = 0; i < r->ndefs; i++) {
        free_edges(r->defs[i].in, r->defs[i].nin);
        free_edges(r->defs[i].out, r->defs[i].nout);
        xfree(r->defs[i].name);
    }
    xfree(r->defs);
}

/* The widest of a column's texts, up to a limit past which a column is
 * not worth aligning. */
static size_t column_width(const struct ref_edge *e, size_t n, bool objects)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = text_width(objects ? edge_where(&e[i]) : e[i].name);
        if (t > w)
            w = t;
    }
    return w < 40 ? w : 40;
}

/* "    call  main  main.o  2 sites" */
static void text_edges(struct strbuf *out, const char *title, const struct ref_edge *e, size_t n)
{
    size_t nw = column_width(e, n, false), ow = column_width(e, n, true);
    sb_printf(out, "  %s:%s\n", title, n ? "" : " nothing");
    for (size_t i = 0; i < n; i++) {
        sb_printf(out, "    %s  ", ref_kind_names[e[i].kind]);
        sb_pad(out, e[i].name, nw);
        sb_printf(out, "  ");
        if (e[i].count > 1) {
            sb_pad(out, edge_where(&e[i]), ow);
            sb_printf(out, "  %zu sites\n", e[i].count);
        } else {
            sb_escape(out, edge_where(&e[i]), strlen(edge_where(&e[i])), ESC_TEXT);
            sb_printf(out, "\n");
        }
    }
}

/* "update_world  game.o  (function, 1,024 bytes)" */
static void text_def(struct strbuf *out, const struct ref_def *d)
{
    char buf[32];
    sb_escape(out, d->name, strlen(d->name), ESC_TEXT);
    sb_printf(out, "  ");
    sb_escape(out, d->label, strlen(d->label), ESC_TEXT);
    sb_printf(out, "  (%s, %s bytes%s)\n", kind_names[symbol_kind(d->sym)],
              commas(d->sym->size, buf), d->sym->bind == STB_LOCAL ? ", local" : "");
    text_edges(out, "referenced by", d->in, d->nin);
    text_edges(out, "references", d->out, d->nout);
}

static void json_edges(struct strbuf *out, const char *key, const struct ref_edge *e, size_t n)
{
    sb_printf(out, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        sb_printf(out, "%s{\"name\":", i ? ",\n  " : "\n  ");
        sb_quoted(out, e[i].name, ESC_JSON);
        sb_printf(out, ",\"object\":");
        if (e[i].object)
            sb_quoted(out, e[i].object, ESC_JSON);
        else
            sb_printf(out, "null");
        sb_printf(out, ",\"kind\":\"%s\",\"count\":%zu}", ref_kind_names[e[i].kind], e[i].count);
    }
    sb_printf(out, "]");
}

static void json_def(struct strbuf *out, const struct ref_def *d)
{
    sb_printf(out, "{\"name\":");
    sb_quoted(out, d->name, ESC_JSON);
    sb_printf(out, ",\"object\":");
    sb_quoted(out, d->label, ESC_JSON);
    sb_printf(out, ",\"kind\":\"%s\",\"size\":%" PRIu64 ",\"local\":%s",
              kind_names[symbol_kind(d->sym)], d->sym->size,
              d->sym->bind == STB_LOCAL ? "true" : "false");
    json_edges(out, "referenced_by", d->in, d->nin);
    json_edges(out, "references", d->out, d->nout);
    sb_printf(out, "}");
}

int inspect_refs(struct object *const *objs, size_t n, const char *symbol,
                 const struct inspect_options *o, struct strbuf *out)
{
    struct ref_report r;
    if (refs_collect(objs, n, symbol, &r) < 0)
        return -1;
    if (o->json) {
        sb_printf(out, "{\"symbol\":");
        sb_quoted(out, symbol, ESC_JSON);
        sb_printf(out, ",\"definitions\":[");
        for (size_t i = 0; i < r.ndefs; i++) {
            sb_printf(out, i ? ",\n" : "\n");
            json_def(out, &r.defs[i]);
        }
        sb_printf(out, "],\"note\":\"%s\"}\n", refs_note);
    } else {
        for (size_t i = 0; i < r.ndefs; i++) {
            text_def(out, &r.defs[i]);
            sb_printf(out, "\n");
        }
        sb_printf(out, "note: %s\n", refs_note);
    }
    refs_free(&r);
    return 0;
}

/* The DOT node of n: the same symbol is one node wherever it appears, so
 * that a cycle shows as one. */
static size_t dot_node(struct strbuf *dot, struct ref_node **nodes, size_t *n, size_t *cap,
                       const struct ref_node *node, const char *name, const char *where)
{
    for (size_t i = 0; i < *n; i++)
        if (same_node(&(*nodes)[i], node))
            return i;
    sb_printf(dot, "    n%zu [label=\"", *n);
    sb_escape(dot, name, strlen(name), ESC_DOT);
    sb_printf(dot, "\\n");
    sb_escape(dot, where, strlen(where), ESC_DOT);
    sb_printf(dot, "\"];\n");
    ARRAY_PUSH(*nodes, *n, *cap, *node);
    return *n - 1;
}

static void dot_edge(struct strbuf *dot, size_t from, size_t to, const struct ref_edge *e)
{
    sb_printf(dot, "    n%zu -> n%zu [label=\"%s", from, to, ref_kind_names[e->kind]);
    if (e->count > 1)
        sb_printf(dot, " (%zu)", e->count);
    sb_printf(dot, "\", color=\"%s\"%s];\n", ref_kind_colors[e->kind],
              e->kind == REF_DATA ? ", style=dashed" : "");
}

int inspect_refs_dot(struct object *const *objs, size_t n, const char *symbol, struct strbuf *dot)
{
    struct ref_report r;
    if (refs_collect(objs, n, symbol, &r) < 0)
        return -1;
    struct ref_node *nodes = NULL;
    size_t nnodes = 0, cap = 0;
    sb_printf(dot, "digraph refs {\n    rankdir=LR;\n    label=\"%s\";\n"
                   "    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
                   "fillcolor=\"#ffe08a\"];\n    edge [fontname=\"Helvetica\", fontsize=10];\n",
              refs_note);
    /* the definitions first: they are nodes 0 to ndefs - 1, highlighted */
    for (size_t i = 0; i < r.ndefs; i++) {
        struct ref_node self = {r.defs[i].sym, NULL, 0, false};
        dot_node(dot, &nodes, &nnodes, &cap, &self, r.defs[i].name, r.defs[i].label);
    }
    sb_printf(dot, "    node [fillcolor=\"#f3f3f3\"];\n");
    for (size_t i = 0; i < r.ndefs; i++) {
        const struct ref_def *d = &r.defs[i];
        for (size_t j = 0; j < d->nin; j++) {
            const struct ref_edge *e = &d->in[j];
            dot_edge(dot, dot_node(dot, &nodes, &nnodes, &cap, &e->node, e->name, edge_where(e)), i, e);
        }
        for (size_t j = 0; j < d->nout; j++) {
            const struct ref_edge *e = &d->out[j];
            dot_edge(dot, i, dot_node(dot, &nodes, &nnodes, &cap, &e->node, e->name, edge_where(e)), e);
        }
    }
    sb_printf(dot, "}\n");
    xfree(nodes);
    refs_free(&r);
    return 0;
}
