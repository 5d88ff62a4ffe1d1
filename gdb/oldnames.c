/* Renaming the DWARF of a replaced version that may still run, so that its
 * frames keep names and lines in a backtrace while 'break NAME' and
 * 'break FILE:LINE' find only the current version: function, variable and
 * compilation-unit names, and the line table's file names, become
 * NAME#VERSION (new strings appended to .debug_str / .debug_line_str;
 * indexed strings are re-pointed through .debug_str_offsets). gdb then
 * finds no source file for an old frame instead of showing the new text.
 *
 * Only DWARF 4 and 5 as gcc and clang emit them are handled; anything else
 * makes dwarf_rename fail, and the caller drops that version's DWARF. */
#include "oldnames.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct cursor {
    const unsigned char *p, *end;
    bool bad;
};

/* The next n bytes, as a little-endian number if n <= 8 (blocks are
 * longer: they are only skipped). */
static uint64_t take(struct cursor *c, size_t n)
{
    uint64_t v = 0;
    if ((size_t)(c->end - c->p) < n) {
        c->bad = true;
        c->p = c->end;
        return 0;
    }
    if (n <= sizeof v)
        memcpy(&v, c->p, n);
    c->p += n;
    return v;
}

static uint64_t uleb(struct cursor *c)
{
    uint64_t v = 0;
    for (int shift = 0; c->p < c->end; shift += 7) {
        unsigned char b = *c->p++;
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

static void skip_string(struct cursor *c)
{
    const unsigned char *nul = memchr(c->p, 0, c->end - c->p);
    if (!nul)
        c->bad = true;
    c->p = nul ? nul + 1 : c->end;
}

/* Skip an attribute value of form; false if the form is unknown. */
static bool skip_form(struct cursor *c, uint64_t form, int addr_size)
{
    static const signed char fixed[] = {
        [0x05] = 2, [0x06] = 4, [0x07] = 8, [0x0b] = 1, [0x0c] = 1, [0x0e] = 4, [0x10] = 4,
        [0x11] = 1, [0x12] = 2, [0x13] = 4, [0x14] = 8, [0x17] = 4, [0x19] = 0, [0x1c] = 4,
        [0x1d] = 4, [0x1e] = 16, [0x1f] = 4, [0x20] = 8, [0x21] = 0, [0x24] = 8, [0x25] = 1,
        [0x26] = 2, [0x27] = 3, [0x28] = 4, [0x29] = 1, [0x2a] = 2, [0x2b] = 3, [0x2c] = 4,
    };
    switch (form) {
    case 0x01: take(c, addr_size); return true;                  /* addr */
    case 0x03: take(c, take(c, 2)); return true;                 /* block2 */
    case 0x04: take(c, take(c, 4)); return true;                 /* block4 */
    case 0x08: skip_string(c); return true;                      /* string */
    case 0x09: case 0x18: take(c, uleb(c)); return true;         /* block, exprloc */
    case 0x0a: take(c, take(c, 1)); return true;                 /* block1 */
    case 0x0d: case 0x0f: case 0x15: case 0x1a: case 0x1b:       /* (s|u)data, ref_udata, */
    case 0x22: case 0x23: case 0x1f01: case 0x1f02:              /* strx, addrx, lists */
        uleb(c);
        return true;
    case 0x16: return skip_form(c, uleb(c), addr_size);          /* indirect */
    case 0x1f20: case 0x1f21: take(c, 4); return true;           /* GNU alt refs */
    }
    if (form < sizeof fixed && (fixed[form] || form == 0x19 || form == 0x21)) {
        take(c, fixed[form]);
        return true;
    }
    return false;
}

struct abbrev_attr {
    uint64_t name, form;
};

#define MAX_ATTRS 64

/* The attribute list of abbreviation `code` in the table at abbrev. */
static int find_abbrev(struct cursor table, uint64_t code, uint64_t *tag, bool *children,
                       struct abbrev_attr *attrs)
{
    while (!table.bad && table.p < table.end) {
        uint64_t c = uleb(&table);
        if (c == 0)
            return -1;
        *tag = uleb(&table);
        *children = take(&table, 1);
        int n = 0;
        for (;;) {
            uint64_t name = uleb(&table), form = uleb(&table);
            if (form == 0x21)
                uleb(&table); /* implicit_const value (sleb; same length) */
            if (!name && !form)
                break;
            if (n == MAX_ATTRS || table.bad)
                return -1;
            attrs[n++] = (struct abbrev_attr){name, form};
        }
        if (c == code)
            return n;
    }
    return -1;
}

static bool renamed_tag(uint64_t tag)
{
    return tag == 0x11 || tag == 0x2e || tag == 0x34; /* compile_unit, subprogram, variable */
}

/* The offset slot of a string attribute (strp, line_strp, strx1..4), or
 * NULL for forms kept inline. */
static unsigned char *string_slot(struct dwarf_view *v, unsigned char *field, uint64_t form,
                                  uint64_t str_base)
{
    uint64_t index = 0;
    if (form == 0x0e || form == 0x1f)
        return field;
    size_t n = form == 0x25 ? 1 : form == 0x26 ? 2 : form == 0x27 ? 3 : form == 0x28 ? 4 : 0;
    if (!n)
        return NULL;
    memcpy(&index, field, n);
    if (str_base + index * 4 + 4 > v->str_offsets.size)
        return NULL;
    return v->str_offsets.data + str_base + index * 4;
}

/* A string attribute's value, or NULL. */
static const char *string_value(struct dwarf_view *v, unsigned char *field, uint64_t form, uint64_t str_base)
{
    if (form == 0x08)
        return memchr(field, 0, 4096) ? (const char *)field : NULL;
    unsigned char *slot = string_slot(v, field, form, str_base);
    uint32_t off;
    if (!slot)
        return NULL;
    memcpy(&off, slot, 4);
    struct dwarf_section strs = v->strings(v->ctx, form == 0x1f);
    if (off >= strs.size || !memchr(strs.data + off, 0, strs.size - off))
        return NULL;
    return (const char *)strs.data + off;
}

enum rename_kind { NAME, FILE_NAME, DIRECTORY };

/* Point a string attribute at its old-version form: a name becomes
 * NAME#VERSION; a file name the snapshot SOURCE_DIR/BASENAME#VERSION (or
 * NAME#VERSION without snapshots); a directory SOURCE_DIR. */
static void repoint(struct dwarf_view *v, unsigned char *field, uint64_t form, uint64_t str_base,
                    enum rename_kind kind)
{
    unsigned char *slot = string_slot(v, field, form, str_base);
    const char *old = slot ? string_value(v, field, form, str_base) : NULL;
    char text[4096];
    if (!old || (kind == DIRECTORY && !v->source_dir))
        return;
    const char *base = strrchr(old, '/') ? strrchr(old, '/') + 1 : old;
    if (kind == DIRECTORY)
        snprintf(text, sizeof text, "%s", v->source_dir);
    else if (kind == FILE_NAME && v->source_dir)
        snprintf(text, sizeof text, "%s/%s%s", v->source_dir, base, v->suffix);
    else
        snprintf(text, sizeof text, "%s%s", old, v->suffix); /* copied: the buffer may move */
    uint32_t off = v->add_string(v->ctx, form == 0x1f, text);
    memcpy(slot, &off, 4);
}

struct die {
    uint64_t tag;
    unsigned char *name, *comp_dir;     /* attribute fields, or NULL */
    uint64_t name_form, comp_dir_form, str_base;
};

/* Call visit for each DIE of the unit at [unit, unit_end); stop after the
 * first (the unit's own DIE) if only_unit. */
static bool walk_unit(struct dwarf_view *v, unsigned char *unit, unsigned char *unit_end, bool only_unit,
                      void (*visit)(struct dwarf_view *, struct die *, void *), void *ctx)
{
    struct cursor c = {unit + 4, unit_end, false};
    int version = take(&c, 2), addr_size = 8;
    uint64_t abbrev_off;
    if (version == 5) {
        int type = take(&c, 1);
        addr_size = take(&c, 1);
        abbrev_off = take(&c, 4);
        if (type != 1 /* DW_UT_compile */)
            return false;
    } else if (version >= 2 && version <= 4) {
        abbrev_off = take(&c, 4);
        addr_size = take(&c, 1);
    } else {
        return false;
    }
    if (abbrev_off >= v->abbrev.size)
        return false;
    struct cursor table = {v->abbrev.data + abbrev_off, v->abbrev.data + v->abbrev.size, false};
    uint64_t str_base = 8; /* DWARF 5 default: right after the header */
    while (!c.bad && c.p < c.end) {
        struct die d = {0};
        bool children;
        struct abbrev_attr attrs[MAX_ATTRS];
        uint64_t code = uleb(&c);
        if (code == 0)
            continue; /* end of a sibling list */
        int n = find_abbrev(table, code, &d.tag, &children, attrs);
        if (n < 0)
            return false;
        for (int i = 0; i < n; i++) {
            unsigned char *at = (unsigned char *)c.p;
            if (attrs[i].name == 0x72 && attrs[i].form == 0x17) { /* str_offsets_base */
                uint32_t base;
                memcpy(&base, at, 4);
                str_base = base;
            }
            if (attrs[i].name == 0x03)
                d.name = at, d.name_form = attrs[i].form;
            if (attrs[i].name == 0x1b)
                d.comp_dir = at, d.comp_dir_form = attrs[i].form;
            if (!skip_form(&c, attrs[i].form, addr_size))
                return false;
        }
        d.str_base = str_base;
        visit(v, &d, ctx);
        if (only_unit)
            return true;
    }
    return !c.bad;
}

static void rename_die(struct dwarf_view *v, struct die *d, void *ctx)
{
    (void)ctx;
    if (d->name && renamed_tag(d->tag))
        repoint(v, d->name, d->name_form, d->str_base, d->tag == 0x11 ? FILE_NAME : NAME);
    if (d->tag == 0x11 && d->comp_dir)
        repoint(v, d->comp_dir, d->comp_dir_form, d->str_base, DIRECTORY);
}

static bool rename_unit(struct dwarf_view *v, unsigned char *unit, unsigned char *unit_end, void *ctx)
{
    (void)ctx;
    return walk_unit(v, unit, unit_end, false, rename_die, NULL);
}

/* The file names of one DWARF 5 line-table header. */
static bool rename_line_files(struct dwarf_view *v, unsigned char *unit, unsigned char *unit_end, void *ctx)
{
    (void)ctx;
    struct cursor c = {unit + 4, unit_end, false};
    if (take(&c, 2) != 5)
        return true; /* DWARF 4 tables keep inline names: left alone */
    take(&c, 2);                    /* address_size, segment_selector_size */
    take(&c, 4);                    /* header_length */
    take(&c, 5);                    /* min_inst, max_ops, default_is_stmt, line_base, line_range */
    int opcode_base = take(&c, 1);
    take(&c, opcode_base > 0 ? opcode_base - 1 : 0);
    for (int table = 0; table < 2; table++) { /* directories, then files */
        int nformats = take(&c, 1);
        uint64_t fmt[16][2];
        if (nformats > 16)
            return false;
        for (int i = 0; i < nformats; i++)
            fmt[i][0] = uleb(&c), fmt[i][1] = uleb(&c);
        uint64_t count = uleb(&c);
        for (uint64_t e = 0; e < count && !c.bad; e++)
            for (int i = 0; i < nformats; i++) {
                unsigned char *at = (unsigned char *)c.p;
                if (!skip_form(&c, fmt[i][1], 8))
                    return false;
                if (fmt[i][0] != 1 /* DW_LNCT_path */)
                    continue;
                if (table == 1)
                    repoint(v, at, fmt[i][1], 0, FILE_NAME);
                else if (e == 0) /* the compilation directory */
                    repoint(v, at, fmt[i][1], 0, DIRECTORY);
            }
    }
    return !c.bad;
}

static bool each_unit(struct dwarf_view *v, struct dwarf_section *s,
                      bool (*fn)(struct dwarf_view *, unsigned char *, unsigned char *, void *), void *ctx)
{
    for (size_t off = 0; off + 4 <= s->size;) {
        uint32_t len;
        memcpy(&len, s->data + off, 4);
        if (len >= 0xfffffff0 || off + 4 + len > s->size)
            return false; /* 64-bit DWARF: not emitted by gcc or clang here */
        if (!fn(v, s->data + off, s->data + off + 4 + len, ctx))
            return false;
        off += 4 + len;
    }
    return true;
}

bool dwarf_rename(struct dwarf_view *v)
{
    return each_unit(v, &v->info, rename_unit, NULL) && each_unit(v, &v->line, rename_line_files, NULL);
}

struct source_visit {
    void (*each)(void *ctx, const char *name, const char *comp_dir);
    void *ctx;
};

static void report_source(struct dwarf_view *v, struct die *d, void *ctx)
{
    struct source_visit *sv = ctx;
    const char *name = d->name ? string_value(v, d->name, d->name_form, d->str_base) : NULL;
    const char *dir = d->comp_dir ? string_value(v, d->comp_dir, d->comp_dir_form, d->str_base) : NULL;
    if (d->tag == 0x11 && name)
        sv->each(sv->ctx, name, dir ? dir : "");
}

static bool source_unit(struct dwarf_view *v, unsigned char *unit, unsigned char *unit_end, void *ctx)
{
    walk_unit(v, unit, unit_end, true, report_source, ctx);
    return true;
}

void dwarf_unit_sources(struct dwarf_view *v, void (*each)(void *ctx, const char *name, const char *comp_dir),
                        void *ctx)
{
    struct source_visit sv = {each, ctx};
    each_unit(v, &v->info, source_unit, &sv);
}
