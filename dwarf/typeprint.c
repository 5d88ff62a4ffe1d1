/* An old and a new type side by side, for the question a reload puts to
 * its user (--on-conflict=ask). A struct (or an array of structs) shows
 * one member per row, paired by name, each with its type and offset; the
 * marker between the columns says how a row differs, as diff -y does:
 * "|" changed, "<" only in the old type, ">" only in the new one. */
#include "typeinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "die.h"
#include "strbuf.h"
#include "util.h"

#define COLUMN 36

struct row {
    char *name;                 /* member name, "" for the header */
    char *text;
};

struct rows {
    struct row *r;
    size_t n, cap;
};

/* A type as C spells it, roughly: "int", "struct player", "char *",
 * "short [8]". */
static void spell(struct strbuf *sb, Dwarf_Debug dbg, Dwarf_Off off, int depth)
{
    Dwarf_Die d = depth < 8 ? die_at(dbg, off) : NULL;
    if (!d) {
        sb_printf(sb, "void");
        return;
    }
    static const struct { Dwarf_Half tag; const char *word; } words[] = {
        {DW_TAG_structure_type, "struct "}, {DW_TAG_union_type, "union "},
        {DW_TAG_enumeration_type, "enum "}, {DW_TAG_class_type, "class "},
        {DW_TAG_const_type, "const "}, {DW_TAG_volatile_type, "volatile "},
    };
    Dwarf_Half t = die_tag(d);
    const char *word = "";
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (words[i].tag == t)
            word = words[i].word;
    Dwarf_Off inner;
    bool has_inner = die_ref(dbg, d, DW_AT_type, &inner);
    if (*die_name(d))
        sb_printf(sb, "%s%s", word, die_name(d));
    else if (t == DW_TAG_pointer_type || t == DW_TAG_array_type) {
        has_inner ? spell(sb, dbg, inner, depth + 1) : sb_printf(sb, "void");
        sb_printf(sb, t == DW_TAG_pointer_type ? " *" : " []");
    } else if (*word && has_inner) {
        sb_printf(sb, "%s", word);
        spell(sb, dbg, inner, depth + 1);
    } else
        sb_printf(sb, "%s<anonymous>", word);
    dwarf_dealloc_die(d);
}

/* Through typedefs, qualifiers and arrays to a struct or union, if any. */
static Dwarf_Die aggregate(Dwarf_Debug dbg, Dwarf_Off off)
{
    for (int i = 0; i < 16; i++) {
        Dwarf_Die d = die_at(dbg, off);
        if (!d)
            return NULL;
        Dwarf_Half t = die_tag(d);
        if (t == DW_TAG_structure_type || t == DW_TAG_union_type || t == DW_TAG_class_type)
            return d;
        bool more = t != DW_TAG_pointer_type && die_ref(dbg, d, DW_AT_type, &off);
        dwarf_dealloc_die(d);
        if (!more)
            return NULL;
    }
    return NULL;
}

static void add_row(struct rows *rs, const char *name, char *text)
{
    ARRAY_PUSH(rs->r, rs->n, rs->cap, ((struct row){xstrdup(name), text}));
}

/* The type's rows: a header, then its members if it is (an array of) a
 * struct or union. */
static void rows_of(struct rows *rs, const struct debug_info *di, uint64_t type)
{
    Dwarf_Debug dbg = debug_info_dbg(di);
    struct strbuf sb = {0};
    spell(&sb, dbg, type, 0);
    add_row(rs, "", sb.s);
    Dwarf_Die agg = aggregate(dbg, type);
    for (Dwarf_Die c = agg ? die_first_child(agg) : NULL; c; c = die_next(dbg, c)) {
        Dwarf_Off mt;
        Dwarf_Unsigned off = 0;
        if (die_tag(c) == DW_TAG_member && die_ref(dbg, c, DW_AT_type, &mt)) {
            struct strbuf m = {0};
            die_udata(c, DW_AT_data_member_location, &off);
            sb_printf(&m, "  +%-3lu ", (unsigned long)off);
            spell(&m, dbg, mt, 0);
            sb_printf(&m, " %s;", die_name(c));
            add_row(rs, *die_name(c) ? die_name(c) : "<anonymous>", m.s);
        }
    }
    if (agg)
        dwarf_dealloc_die(agg);
}

static const struct row *by_name(const struct rows *rs, const char *name)
{
    for (size_t i = 0; i < rs->n; i++)
        if (!strcmp(rs->r[i].name, name))
            return &rs->r[i];
    return NULL;
}

/* The text of a row without its "+OFFSET", to tell moved from changed. */
static const char *without_offset(const char *text)
{
    const char *p = text + strspn(text, " ");
    if (*p != '+')
        return text;
    p++;
    p += strspn(p, "0123456789");
    return p + strspn(p, " ");
}

static void line(struct strbuf *sb, const char *left, char mark, const char *right)
{
    sb_printf(sb, "\n  %-*.*s %c %s", COLUMN, COLUMN, left, mark, right);
}

char *type_side_by_side(const struct debug_info *old, uint64_t old_type, const struct debug_info *new,
                        uint64_t new_type)
{
    struct rows o = {0}, n = {0};
    struct strbuf sb = {0};
    rows_of(&o, old, old_type);
    rows_of(&n, new, new_type);
    line(&sb, "old type", ' ', "new type");
    for (size_t i = 0; i < o.n; i++) {
        const struct row *m = by_name(&n, o.r[i].name);
        char mark = !m ? '<' : strcmp(without_offset(o.r[i].text), without_offset(m->text)) ? '|' : ' ';
        line(&sb, o.r[i].text, mark, m ? m->text : "");
    }
    for (size_t i = 0; i < n.n; i++)
        if (!by_name(&o, n.r[i].name))
            line(&sb, "", '>', n.r[i].text);
    for (size_t i = 0; i < o.n; i++)
        xfree(o.r[i].name), xfree(o.r[i].text);
    for (size_t i = 0; i < n.n; i++)
        xfree(n.r[i].name), xfree(n.r[i].text);
    xfree(o.r);
    xfree(n.r);
    return sb.s;
}
