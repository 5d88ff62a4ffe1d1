/* The evaluator of hotld's expressions (expr.h).
 *
 * A name is looked up as the linker sees it: a global symbol, else a
 * local (a static) of one object, whose gcc-style "name.N" spelling for a
 * function static is accepted too. Its type comes from the DWARF of the
 * object that defines it, opened for this statement only. Values are
 * read from memory with memory_read, so that a bad pointer is an error
 * message. Arguments of a call are converted to the parameter types of
 * the function's DWARF prototype, as a C compiler would, but refusing
 * what C would only warn about (a value that does not fit). */
#include "forksafe.h"
#include "eval.h"

#include <ctype.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "ctypes.h"
#include "demangle.h"
#include "forkgate.h"
#include "expr.h"
#include "text.h"
#include "typeinfo.h"
#include "util.h"
#include "value.h"

#define MAX_VALUE_SIZE (1u << 20)   /* bytes read to print one value */

/* An object's DWARF, opened once per statement. */
struct unit {
    struct object *obj;
    struct debug_info *di;
    struct ctypes *types;
};

struct eval {
    const struct eval_target *t;
    struct unit *units;
    size_t nunits, capunits;
    void **allocs;              /* value bytes and made types, freed at the end */
    size_t nallocs, capallocs;
};

/* A value: in memory at addr (an lvalue), or only in bytes. */
struct value {
    const struct ctype *type;
    uintptr_t addr;
    bool lvalue;
    uint8_t *bytes;             /* its type's size; NULL until read */
    const struct ctype_member *bits; /* a bit-field lvalue: the member */
};

/* The types of literals, as C gives them. */
static struct ctype lit_char = {.kind = CT_SIGNED, .name = "char", .size = 1, .is_char = true};
static struct ctype lit_int = {.kind = CT_SIGNED, .name = "int", .size = 4};
static struct ctype lit_long = {.kind = CT_SIGNED, .name = "long", .size = 8};
static struct ctype lit_ulong = {.kind = CT_UNSIGNED, .name = "unsigned long", .size = 8};
static struct ctype lit_double = {.kind = CT_FLOAT, .name = "double", .size = 8};
static struct ctype lit_string = {.kind = CT_POINTER, .name = "char *", .size = 8, .target = &lit_char};

/* String literals passed to the program stay: a function may keep the
 * pointer it was given. */
static char **kept_strings;
static size_t nkept_strings, capkept_strings;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&kept_lock);
}

static void *arena(struct eval *ev, size_t size)
{
    void *p = xcalloc(1, size ? size : 1);
    ARRAY_PUSH(ev->allocs, ev->nallocs, ev->capallocs, p);
    return p;
}

static struct value rvalue(struct eval *ev, const struct ctype *type)
{
    return (struct value){type, 0, false, arena(ev, type->size < 16 ? 16 : type->size), NULL};
}

static struct value integer(struct eval *ev, const struct ctype *type, uint64_t v)
{
    struct value r = rvalue(ev, type);
    memcpy(r.bytes, &v, 8);
    return r;
}

/* ---- names ------------------------------------------------------------ */

static bool is_listed(const struct symbol *s, const struct object *obj)
{
    return s && s->kind == SYM_DEFINED && s->sec && s->sec->obj == obj && s->name &&
           (s->type == STT_FUNC || s->type == STT_OBJECT || s->type == STT_TLS || s->type == STT_GNU_IFUNC);
}

/* "count" names gcc's "count.2", a function's static. */
static bool names(const char *symbol, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(symbol, name, n))
        return false;
    if (!symbol[n])
        return true;
    if (symbol[n] != '.' || !symbol[n + 1])
        return false;
    for (const char *p = symbol + n + 1; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

/* Every object of the program, as it is now. */
static void each_object(const struct eval *ev, void (*fn)(struct object *, void *), void *ctx)
{
    const struct strmap *objs = &ev->t->link->by_name;
    for (size_t i = 0; i < objs->cap; i++)
        if (objs->slots[i].value)
            fn(objs->slots[i].value, ctx);
}

struct search {
    const char *object, *name;
    struct symbol *found[8];
    size_t n;
    bool object_seen;
};

static void search_object(struct object *obj, void *ctx)
{
    struct search *s = ctx;
    if (s->object && !object_matches(obj->name, s->object))
        return;
    s->object_seen = true;
    for (size_t j = 1; j < obj->nsyms; j++) {
        const char *symbol = is_listed(obj->syms[j], obj) ? obj->syms[j]->name : NULL;
        if (symbol && (names(symbol, s->name) || demangles_to(symbol, s->name)) &&
            s->n < ARRAY_SIZE(s->found))
            s->found[s->n++] = obj->syms[j];
    }
}

static int ambiguous(const struct search *s)
{
    struct strbuf sb = {0};
    for (size_t i = 0; i < s->n; i++)
        sb_printf(&sb, "%s%s:%s", i ? ", " : "", s->found[i]->sec->obj->name, s->found[i]->name);
    fail("'%s' is ambiguous: %s (say which: OBJECT:NAME, or the symbol's own name)", s->name, sb.s);
    xfree(sb.s);
    return -1;
}

/* Every definition of name (a global, else the statics of that name):
 * their count in s, or -1 with fail() if there is none to read. */
static int find_symbols(struct eval *ev, const char *object, const char *name, struct search *s)
{
    struct symbol *g = object ? NULL : strmap_get(&ev->t->link->symtab, name);
    Dl_info lib;
    *s = (struct search){object, name, {0}, 0, false};
    if (g && g->kind == SYM_DSO)
        return fail("'%s' is in %s, which has no DWARF for hotld to read", name,
                    dladdr((void *)g->addr, &lib) && lib.dli_fname ? lib.dli_fname : "a shared library");
    if (g && (g->kind == SYM_DEFINED || g->kind == SYM_COMMON) && g->sec) {
        s->found[s->n++] = g;
        return 1;
    }
    each_object(ev, search_object, s);
    if (object && !s->object_seen)
        return fail("no object named '%s' is loaded", object);
    if (s->n == 0)
        return fail("no function or variable named '%s'%s%s", name, object ? " in " : "", object ? object : "");
    return (int)s->n;
}

static int find_symbol(struct eval *ev, const char *object, const char *name, struct symbol **out)
{
    struct search s;
    int n = find_symbols(ev, object, name, &s);
    if (n > 1)
        return ambiguous(&s);
    if (n == 1)
        *out = s.found[0];
    return n < 0 ? -1 : 0;
}

static struct unit *unit_of(struct eval *ev, struct object *obj)
{
    for (size_t i = 0; i < ev->nunits; i++)
        if (ev->units[i].obj == obj)
            return ev->units[i].di ? &ev->units[i] : NULL;
    size_t size;
    const char *bytes = object_bytes(obj, &size);
    struct unit u = {obj, debug_info_open(bytes, size, obj->name), NULL};
    if (u.di)
        u.types = ctypes_new(debug_info_dbg(u.di));
    ARRAY_PUSH(ev->units, ev->nunits, ev->capunits, u);
    return u.di ? &ev->units[ev->nunits - 1] : NULL;
}

static size_t symbol_index(const struct object *obj, const struct symbol *s)
{
    for (size_t j = 1; j < obj->nsyms; j++)
        if (obj->syms[j] == s)
            return j;
    return 0;
}

static struct ctype lit_bool = {.kind = CT_BOOL, .name = "bool", .size = 1};
static struct ctype lit_void = {.kind = CT_VOID, .name = "void"};
static struct ctype lit_null = {.kind = CT_POINTER, .name = "void *", .size = 8, .target = &lit_void};

/* NULL, true and false, as C23 has them, unless the program defines the
 * name. */
static bool keyword(struct eval *ev, const struct node *n, struct value *v)
{
    if (n->object || strmap_get(&ev->t->link->symtab, n->text))
        return false;
    if (!strcmp(n->text, "NULL") || !strcmp(n->text, "nullptr"))
        *v = integer(ev, &lit_null, 0);
    else if (!strcmp(n->text, "true") || !strcmp(n->text, "false"))
        *v = integer(ev, &lit_bool, n->text[0] == 't');
    else
        return false;
    return true;
}

static struct ctype lit_byte = {.kind = CT_UNSIGNED, .name = "uint8_t", .size = 1};

/* A variable of an object without DWARF: its bytes, as many as its
 * symbol says. */
static int raw_bytes(struct eval *ev, const struct symbol *s, struct value *v)
{
    struct ctype *t = arena(ev, sizeof *t);
    t->kind = CT_ARRAY;
    t->target = &lit_byte;
    t->count = t->size = s->size;
    t->name = arena(ev, 64);
    snprintf(t->name, 64, "uint8_t [%lu] (no DWARF)", (unsigned long)s->size);
    *v = (struct value){t, s->addr, true, NULL, NULL};
    return 0;
}

/* A thread-local variable: each thread has its own; the main thread's
 * copy is the one shown (at the same offset from its thread pointer as
 * in every thread: hotld's TLS blocks are static). */
static int main_thread_copy(const struct eval *ev, const struct symbol *s, struct value *v)
{
    struct tls_place place;
    if (!ev->t->main_thread_pointer || tls_locate(s->addr, &place) < 0 || !place.is_static)
        return fail("'%s' is thread-local and its block is not static TLS: use gdb in the thread", s->name);
    v->addr = ev->t->main_thread_pointer + (uintptr_t)place.tpoff;
    return 0;
}

static int symbol_value(struct eval *ev, const struct node *n, struct symbol *s, struct value *v);

/* The value a name stands for: a variable in memory, or a function. */
static int name_value(struct eval *ev, const struct node *n, struct value *v)
{
    struct symbol *s = NULL;
    if (keyword(ev, n, v))
        return 0;
    return find_symbol(ev, n->object, n->text, &s) < 0 ? -1 : symbol_value(ev, n, s, v);
}

/* The function a call names: of an overloaded C++ name, the one overload
 * that takes that many arguments, if only one does. */
static int callee_value(struct eval *ev, const struct node *n, size_t nargs, struct value *v)
{
    struct search s;
    struct value pick = {0};
    int n_found = find_symbols(ev, n->object, n->text, &s), fitting = 0;
    if (n_found <= 1)
        return n_found < 0 ? -1 : symbol_value(ev, n, s.found[0], v);
    for (int i = 0; i < n_found; i++) {
        struct value f;
        if (symbol_value(ev, n, s.found[i], &f) == 0 && f.type->kind == CT_FUNCTION &&
            (f.type->nparams == nargs || (f.type->variadic && f.type->nparams <= nargs)))
            pick = f, fitting++;
    }
    clear_error(); /* a candidate without DWARF is no candidate */
    if (fitting == 1) {
        *v = pick;
        return 0;
    }
    return ambiguous(&s);
}

/* What symbol s of the name n is, by its object's DWARF. */
static int symbol_value(struct eval *ev, const struct node *n, struct symbol *s, struct value *v)
{
    struct object *obj = s->sec->obj;
    struct unit *u = unit_of(ev, obj);
    bool is_func = s->type == STT_FUNC || s->type == STT_GNU_IFUNC || (s->sec->flags & SHF_EXECINSTR);
    if (!u && !is_func && s->type != STT_TLS && s->size)
        return raw_bytes(ev, s, v);
    if (!u)
        return fail("%s has no DWARF to say what '%s' is (compile it with -g)", obj->name, n->text);
    if (is_func) {
        const struct debug_func *f = debug_func_named(u->di, s->name);
        if (!f)
            return fail("%s's DWARF does not describe function '%s'", obj->name, s->name);
        *v = (struct value){ctype_function(u->types, f->die), s->call_addr ? s->call_addr : s->addr, true, NULL, NULL};
        return 0;
    }
    bool common = s->kind == SYM_COMMON || s->sec == obj->common;
    const struct debug_var *dv = debug_var_at(u->di, common ? SHN_COMMON : s->sec->index,
                                              common ? symbol_index(obj, s) : s->value);
    if (!dv && debug_info_is_split(u->di))
        return fail("%s's DWARF is in a .dwo file that cannot be read, or was rebuilt since (reload it)", obj->name);
    if (!dv)
        return fail("%s's DWARF does not describe variable '%s'", obj->name, s->name);
    *v = (struct value){ctype_at(u->types, dv->type), s->addr, true, NULL, NULL};
    return s->type == STT_TLS ? main_thread_copy(ev, s, v) : 0;
}

/* ---- reading values ------------------------------------------------------ */

static int load(struct eval *ev, struct value *v)
{
    if (v->bytes)
        return 0;
    if (v->type->kind == CT_FUNCTION || v->type->kind == CT_VOID)
        return 0;
    if (v->type->size > MAX_VALUE_SIZE)
        return fail("%s is %lu bytes: too large to show; show a part of it", v->type->name,
                    (unsigned long)v->type->size);
    uint8_t *b = arena(ev, v->type->size < 16 ? 16 : v->type->size);
    uintptr_t at = v->addr + (v->bits ? v->bits->offset : 0);
    size_t size = v->bits ? (v->bits->bit_pos % 8 + v->bits->bit_size + 7) / 8 : v->type->size;
    uint8_t raw[16] = {0};
    if (!memory_read(at, v->bits ? raw : b, size))
        return fail("cannot read %zu bytes at 0x%lx", size, (unsigned long)at);
    if (v->bits) {
        bool is_signed = v->type->kind == CT_SIGNED;
        uint64_t x = bits_extract(raw, v->bits->bit_pos % 8, v->bits->bit_size, is_signed);
        memcpy(b, &x, v->type->size < 8 ? v->type->size : 8);
    }
    v->bytes = b;
    return 0;
}

static bool is_integer(const struct ctype *t)
{
    return t->kind == CT_SIGNED || t->kind == CT_UNSIGNED || t->kind == CT_BOOL || t->kind == CT_ENUM;
}

static bool is_signed_type(const struct ctype *t)
{
    return t->kind == CT_SIGNED || (t->kind == CT_ENUM && (!t->target || t->target->kind != CT_UNSIGNED));
}

static int as_integer(struct eval *ev, struct value *v, int64_t *out)
{
    if (!is_integer(v->type) || v->type->size > 8)
        return fail("expected an integer, got %s", v->type->name);
    if (load(ev, v) < 0)
        return -1;
    *out = is_signed_type(v->type) ? scalar_signed(v->bytes, v->type->size)
                                   : (int64_t)scalar_unsigned(v->bytes, v->type->size);
    return 0;
}

static int as_double(struct eval *ev, struct value *v, double *out)
{
    int64_t i;
    if (v->type->kind != CT_FLOAT) {
        if (as_integer(ev, v, &i) < 0)
            return -1;
        *out = is_signed_type(v->type) ? (double)i : (double)(uint64_t)i;
        return 0;
    }
    if (load(ev, v) < 0)
        return -1;
    if (v->type->size == 4) {
        float f;
        memcpy(&f, v->bytes, 4);
        *out = f;
    } else if (v->type->size == 8) {
        memcpy(out, v->bytes, 8);
    } else {
        long double ld;
        memcpy(&ld, v->bytes, sizeof ld);
        *out = (double)ld;
    }
    return 0;
}

/* A pointer's value; an array or a function stands for its address. */
static int as_address(struct eval *ev, struct value *v, uintptr_t *out)
{
    if (v->type->kind == CT_ARRAY || v->type->kind == CT_FUNCTION) {
        if (!v->lvalue)
            return fail("this value (%s) has no address", v->type->name);
        *out = v->addr;
        return 0;
    }
    if (v->type->kind != CT_POINTER)
        return fail("expected a pointer, got %s", v->type->name);
    if (load(ev, v) < 0)
        return -1;
    *out = (uintptr_t)scalar_unsigned(v->bytes, 8);
    return 0;
}

static struct ctype *pointer_to(struct eval *ev, const struct ctype *target)
{
    struct ctype *p = arena(ev, sizeof *p);
    p->kind = CT_POINTER;
    p->size = 8;
    p->target = target;
    p->name = arena(ev, strlen(target->name) + 3);
    sprintf(p->name, "%s *", target->name);
    return p;
}

/* ---- expressions ------------------------------------------------------- */

static int eval(struct eval *ev, const struct node *n, struct value *v);

/* The member of a struct or union by name, looking into anonymous ones;
 * *offset accumulates where it is. */
static const struct ctype_member *member_named(const struct ctype *t, const char *name, uint64_t *offset)
{
    for (size_t i = 0; i < t->nmembers; i++) {
        const struct ctype_member *m = &t->members[i];
        if (!strcmp(m->name, name)) {
            *offset += m->offset;
            return m;
        }
        uint64_t inner = *offset + m->offset;
        const struct ctype_member *found = !*m->name && (m->type->kind == CT_STRUCT || m->type->kind == CT_UNION)
                                               ? member_named(m->type, name, &inner) : NULL;
        if (found) {
            *offset = inner;
            return found;
        }
    }
    return NULL;
}

static int member(struct eval *ev, struct value base, const char *name, struct value *v)
{
    if (base.type->kind != CT_STRUCT && base.type->kind != CT_UNION)
        return fail("%s has no members (looking for '%s')", base.type->name, name);
    uint64_t offset = 0;
    const struct ctype_member *m = member_named(base.type, name, &offset);
    if (!m)
        return fail("%s has no member named '%s'", base.type->name, name);
    if (!base.lvalue) {
        if (load(ev, &base) < 0)
            return -1;
        *v = rvalue(ev, m->type);
        if (m->bit_size) {
            uint64_t x = bits_extract(base.bytes, m->bit_pos, m->bit_size, m->type->kind == CT_SIGNED);
            memcpy(v->bytes, &x, m->type->size < 8 ? m->type->size : 8);
        } else if (offset + m->type->size <= base.type->size) {
            memcpy(v->bytes, base.bytes + offset, m->type->size);
        }
        return 0;
    }
    /* a bit-field lvalue keeps the struct's address and the member */
    *v = (struct value){m->type, base.addr + (m->bit_size ? offset - m->offset : offset), true, NULL,
                        m->bit_size ? m : NULL};
    return 0;
}

static int deref(struct eval *ev, struct value p, struct value *v)
{
    uintptr_t addr;
    if (p.type->kind == CT_FUNCTION) {
        *v = p;
        return 0;
    }
    if (as_address(ev, &p, &addr) < 0)
        return -1;
    const struct ctype *t = p.type->target;
    if (!t || t->kind == CT_VOID || t->kind == CT_UNKNOWN)
        return fail("cannot follow a %s: it does not say what it points to", p.type->name);
    if (!addr)
        return fail("the %s is NULL", p.type->name);
    *v = (struct value){t, addr, true, NULL, NULL};
    return 0;
}

static int index_value(struct eval *ev, const struct node *n, struct value *v)
{
    struct value base, idx;
    int64_t i;
    if (eval(ev, n->a, &base) < 0 || eval(ev, n->b, &idx) < 0 || as_integer(ev, &idx, &i) < 0)
        return -1;
    if (base.type->kind == CT_ARRAY && base.type->count && (i < 0 || (uint64_t)i >= base.type->count))
        return fail("index %lld is out of the bounds of %s", (long long)i, base.type->name);
    uintptr_t addr;
    if (as_address(ev, &base, &addr) < 0)
        return -1;
    const struct ctype *e = base.type->target;
    if (!e || e->size == 0)
        return fail("cannot index a %s", base.type->name);
    /* a pointer indexes anywhere: wrapping, as the machine does */
    *v = (struct value){e, addr + (uintptr_t)i * e->size, true, NULL, NULL};
    return 0;
}

static int address_of(struct eval *ev, const struct node *n, struct value *v)
{
    struct value x;
    if (eval(ev, n->a, &x) < 0)
        return -1;
    if (!x.lvalue || x.bits)
        return fail("this value (%s) has no address", x.type->name);
    *v = integer(ev, pointer_to(ev, x.type), x.addr);
    return 0;
}

static int negate(struct eval *ev, const struct node *n, struct value *v)
{
    struct value x;
    if (eval(ev, n->a, &x) < 0)
        return -1;
    if (x.type->kind == CT_FLOAT) {
        double d;
        if (as_double(ev, &x, &d) < 0)
            return -1;
        d = -d;
        *v = rvalue(ev, &lit_double);
        memcpy(v->bytes, &d, 8);
        return 0;
    }
    int64_t i;
    if (as_integer(ev, &x, &i) < 0)
        return -1;
    *v = integer(ev, &lit_long, (uint64_t)0 - (uint64_t)i);
    return 0;
}

static const char *keep_string(const char *s, size_t n)
{
    char *copy = xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = 0;
    pthread_mutex_lock(&kept_lock);
    ARRAY_PUSH(kept_strings, nkept_strings, capkept_strings, copy);
    pthread_mutex_unlock(&kept_lock);
    return copy;
}

static int call(struct eval *ev, const struct node *n, struct value *v);

/* "counter.total" as D spells a module's variable, parsed as members of
 * a name: the dotted text, or NULL if n is not such a chain. */
static char *dotted_name(const struct node *n)
{
    if (n->kind == N_NAME)
        return xstrdup(n->text);
    char *left = n->kind == N_MEMBER ? dotted_name(n->a) : NULL;
    char *whole = left ? xasprintf("%s.%s", left, n->text) : NULL;
    xfree(left);
    return whole;
}

/* a.b: the variable or function of that qualified name (D's), if the
 * program has one; else member b of a. */
static int member_or_qualified(struct eval *ev, const struct node *n, struct value *v)
{
    char *dotted = dotted_name(n);
    const struct node *innermost = n;
    while (innermost->kind == N_MEMBER)
        innermost = innermost->a;
    struct search s;
    if (dotted && find_symbols(ev, innermost->object, dotted, &s) > 0) {
        struct node qualified = {.kind = N_NAME, .text = dotted, .object = innermost->object};
        int rc = name_value(ev, &qualified, v);
        xfree(dotted);
        return rc;
    }
    clear_error();
    xfree(dotted);
    struct value x;
    return eval(ev, n->a, &x) < 0 ? -1 : member(ev, x, n->text, v);
}

static int eval(struct eval *ev, const struct node *n, struct value *v)
{
    struct value x;
    switch (n->kind) {
    case N_NAME: return name_value(ev, n, v);
    case N_INT: *v = integer(ev, n->ival > INT64_MAX ? &lit_ulong : &lit_long, n->ival); return 0;
    case N_CHAR: *v = integer(ev, &lit_char, n->ival); return 0;
    case N_FLOAT:
        *v = rvalue(ev, &lit_double);
        memcpy(v->bytes, &n->fval, 8);
        return 0;
    case N_STRING: *v = integer(ev, &lit_string, (uintptr_t)keep_string(n->text, n->len)); return 0;
    case N_MEMBER: return member_or_qualified(ev, n, v);
    case N_ARROW: {
        struct value s;
        return eval(ev, n->a, &x) < 0 || deref(ev, x, &s) < 0 ? -1 : member(ev, s, n->text, v);
    }
    case N_INDEX: return index_value(ev, n, v);
    case N_DEREF: return eval(ev, n->a, &x) < 0 ? -1 : deref(ev, x, v);
    case N_ADDR: return address_of(ev, n, v);
    case N_NEG: return negate(ev, n, v);
    case N_CALL: return call(ev, n, v);
    case N_ASSIGN: return fail("'set' only begins a statement");
    }
    return fail("cannot evaluate this expression");
}

/* ---- conversions ----------------------------------------------------------- */

static bool fits(int64_t i, bool from_unsigned, const struct ctype *to)
{
    unsigned bits = (unsigned)to->size * 8;
    if (to->kind == CT_BOOL)
        return true;
    if (from_unsigned && i < 0)
        return !is_signed_type(to) && bits == 64;
    if (bits >= 64)
        return is_signed_type(to) || i >= 0;
    if (is_signed_type(to))
        return i >= -(INT64_C(1) << (bits - 1)) && i < (INT64_C(1) << (bits - 1));
    return i >= 0 && (uint64_t)i < (UINT64_C(1) << bits);
}

static int to_integer(struct eval *ev, struct value *x, const struct ctype *to, uint8_t *out)
{
    int64_t i;
    if (x->type->kind == CT_FLOAT)
        return fail("expected %s, got %s", to->name, x->type->name);
    if (as_integer(ev, x, &i) < 0)
        return -1;
    if (!fits(i, x->type->kind == CT_UNSIGNED && x->type->size == 8, to))
        return fail("%lld does not fit in %s", (long long)i, to->name);
    if (to->kind == CT_BOOL)
        i = i != 0;
    memcpy(out, &i, to->size < 8 ? to->size : 8);
    return 0;
}

static int to_float(struct eval *ev, struct value *x, const struct ctype *to, uint8_t *out)
{
    double d;
    if (as_double(ev, x, &d) < 0)
        return -1;
    if (to->size == 4) {
        float f = (float)d;
        memcpy(out, &f, 4);
    } else if (to->size == 8) {
        memcpy(out, &d, 8);
    } else {
        long double ld = d;
        memcpy(out, &ld, sizeof ld);
    }
    return 0;
}

static bool is_byte_target(const struct ctype *p)
{
    return p->target && (p->target->kind == CT_VOID || p->target->is_char);
}

static int to_pointer(struct eval *ev, struct value *x, const struct ctype *to, uint8_t *out)
{
    uintptr_t addr;
    int64_t i;
    if (x->type == &lit_string && !is_byte_target(to))
        return fail("expected %s, got a string", to->name);
    if (is_integer(x->type)) {
        if (as_integer(ev, x, &i) < 0)
            return -1;
        addr = (uintptr_t)i; /* an address given as a number, or NULL */
    } else if (as_address(ev, x, &addr) < 0) {
        return -1;
    }
    memcpy(out, &addr, 8);
    return 0;
}

static int to_aggregate(struct eval *ev, struct value *x, const struct ctype *to, uint8_t *out)
{
    if (to->kind == CT_ARRAY && x->type == &lit_string && is_byte_target(to)) {
        const char *s = (const char *)(uintptr_t)scalar_unsigned(x->bytes, 8);
        size_t n = strlen(s) + 1;
        if (to->count && n > to->count)
            return fail("the string needs %zu bytes; a %s has %lu", n, to->name, (unsigned long)to->count);
        memcpy(out, s, n);
        return 0;
    }
    if (x->type->kind != to->kind || x->type->size != to->size || strcmp(x->type->name, to->name))
        return fail("expected %s, got %s", to->name, x->type->name);
    if (load(ev, x) < 0)
        return -1;
    memcpy(out, x->bytes, to->size);
    return 0;
}

/* The bytes of n's value as a `to`, as C converts on assignment; an
 * enumerator of `to` may be given by name. */
static int convert(struct eval *ev, const struct node *n, const struct ctype *to, uint8_t *out)
{
    struct value x;
    int64_t e;
    if (n->kind == N_NAME && !n->object && ctype_enumerator(to, n->text, &e)) {
        memcpy(out, &e, to->size < 8 ? to->size : 8);
        return 0;
    }
    if (eval(ev, n, &x) < 0)
        return -1;
    switch (to->kind) {
    case CT_BOOL:
    case CT_SIGNED:
    case CT_UNSIGNED:
    case CT_ENUM: return to->size > 8 ? fail("cannot make a %s", to->name) : to_integer(ev, &x, to, out);
    case CT_FLOAT: return to_float(ev, &x, to, out);
    case CT_POINTER: return to_pointer(ev, &x, to, out);
    case CT_STRUCT:
    case CT_UNION:
    case CT_ARRAY: return to_aggregate(ev, &x, to, out);
    default: return fail("cannot make a %s", to->name);
    }
}

/* An argument past a variadic function's named ones, promoted: small
 * integers to int, float to double, arrays and functions to pointers. */
static int promote(struct eval *ev, const struct node *n, struct call_arg *arg)
{
    struct value x;
    if (eval(ev, n, &x) < 0)
        return -1;
    const struct ctype *t = x.type;
    if (is_integer(t)) {
        int64_t i;
        if (as_integer(ev, &x, &i) < 0)
            return -1;
        t = fits(i, false, &lit_int) && t->size <= 4 ? &lit_int : t->kind == CT_UNSIGNED ? &lit_ulong : &lit_long;
    } else if (t->kind == CT_FLOAT && t->size == 4) {
        t = &lit_double;
    } else if (t->kind == CT_ARRAY || t->kind == CT_FUNCTION) {
        t = pointer_to(ev, t->kind == CT_ARRAY ? t->target : t);
    }
    uint8_t *b = arena(ev, t->size < 16 ? 16 : t->size);
    if (t->kind == CT_POINTER ? to_pointer(ev, &x, t, b) : t->kind == CT_FLOAT ? to_float(ev, &x, t, b)
                              : is_integer(t) ? to_integer(ev, &x, t, b) : to_aggregate(ev, &x, t, b))
        return -1;
    *arg = (struct call_arg){t, b};
    return 0;
}

/* ---- calls ------------------------------------------------------------------ */

static void unlock(struct eval *ev)
{
    if (ev->t->lock)
        pthread_mutex_unlock(ev->t->lock);
}

static void relock(struct eval *ev)
{
    if (ev->t->lock)
        forkgate_lock(ev->t->lock);
}

static void name_address(uintptr_t addr, struct strbuf *sb, void *ctx);

/* " <name+off>" of the program's code, or " <name+off> in LIBRARY". */
static void name_code(struct eval *ev, uintptr_t pc, struct strbuf *where)
{
    size_t plain = where->len;
    sb_printf(where, " <");
    name_address(pc, where, ev);
    if (where->len > plain + 2) {
        sb_printf(where, ">");
        return;
    }
    where->s[where->len = plain] = 0;
    Dl_info info;
    if (dladdr((void *)pc, &info) && info.dli_fname) {
        if (info.dli_sname)
            sb_printf(where, " <%s+%lu>", info.dli_sname, (unsigned long)(pc - (uintptr_t)info.dli_saddr));
        sb_printf(where, " in %s", path_base(info.dli_fname));
    }
}

/* Why a call did not return, and where it was left: one line. */
static int crashed(struct eval *ev, const struct call_crash *c)
{
    struct strbuf where = {0};
    sb_printf(&where, "0x%lx", (unsigned long)c->pc);
    name_code(ev, c->pc, &where);
    const char *sig = sigabbrev_np(c->signal);
    const char *caveat = c->in_library ? ", inside a library, whose locks it may still hold" : "";
    if (c->end == CALL_CRASHED)
        fail("the call crashed with SIG%s at %s (address 0x%lx); the program goes on", sig ? sig : "?", where.s,
             (unsigned long)c->address);
    else
        fail("the call %s; it was abandoned at %s%s; the program goes on",
             c->end == CALL_TIMED_OUT ? "did not return within its time limit (--call-timeout)"
                                      : "was interrupted by the asking command (Ctrl-C)",
             where.s, caveat);
    xfree(where.s);
    return -1;
}

/* The first error said what is wrong; say which argument too. */
static int argument_error(size_t i)
{
    char *why = xstrdup(last_error());
    clear_error();
    fail("argument %zu: %s", i + 1, why);
    xfree(why);
    return -1;
}

static int call(struct eval *ev, const struct node *n, struct value *v)
{
    struct value fn;
    bool named = n->a->kind == N_NAME && !keyword(ev, n->a, &fn);
    if ((named ? callee_value(ev, n->a, n->nargs, &fn) : eval(ev, n->a, &fn)) < 0)
        return -1;
    if (fn.type->kind == CT_POINTER && fn.type->target && fn.type->target->kind == CT_FUNCTION) {
        uintptr_t p;
        if (as_address(ev, &fn, &p) < 0)
            return -1;
        fn = (struct value){fn.type->target, p, true, NULL, NULL};
    }
    const struct ctype *ft = fn.type;
    if (ft->kind != CT_FUNCTION)
        return fail("%s is not a function", ft->name);
    if (n->nargs < ft->nparams || (n->nargs > ft->nparams && !ft->variadic))
        return fail("%s takes %zu argument%s%s, not %zu", n->a->kind == N_NAME ? n->a->text : ft->name, ft->nparams,
                    ft->nparams == 1 ? "" : "s", ft->variadic ? " or more" : "", n->nargs);
    struct call_arg *args = arena(ev, (n->nargs + 1) * sizeof *args);
    for (size_t i = 0; i < n->nargs; i++) {
        int rc;
        if (i < ft->nparams) {
            uint8_t *b = arena(ev, ft->params[i]->size + 16);
            args[i] = (struct call_arg){ft->params[i], b};
            rc = convert(ev, n->args[i], ft->params[i], b);
        } else {
            rc = promote(ev, n->args[i], &args[i]);
        }
        if (rc < 0)
            return argument_error(i);
    }
    *v = rvalue(ev, ft->target);
    struct call_crash crash;
    if (ev->t->around_call)
        ev->t->around_call(ev->t->call_ctx, true);
    unlock(ev); /* the function may call hotld_lookup, or wait for a reload */
    int rc = call_function(fn.addr, ft, args, n->nargs, v->bytes, &crash);
    relock(ev);
    if (ev->t->around_call)
        ev->t->around_call(ev->t->call_ctx, false);
    if (rc == 0 && crash.end != CALL_RETURNED)
        return crashed(ev, &crash);
    return rc;
}

/* ---- statements --------------------------------------------------------- */

struct nearest {
    uintptr_t addr;
    const struct symbol *best;
};

static void nearest_in(struct object *obj, void *ctx)
{
    struct nearest *n = ctx;
    for (size_t j = 1; j < obj->nsyms; j++) {
        const struct symbol *s = obj->syms[j];
        if (is_listed(s, obj) && s->type != STT_TLS && *s->name && s->name[0] != '.' && n->addr >= s->addr &&
            n->addr < s->addr + (s->size ? s->size : 1))
            n->best = s;
    }
}

static void name_address(uintptr_t addr, struct strbuf *sb, void *ctx)
{
    struct eval *ev = ctx;
    struct nearest n = {addr, NULL};
    each_object(ev, nearest_in, &n);
    if (!n.best)
        return;
    char *plain = demangle(n.best->name); /* as gdb shows it: spin(), not _Z4spinv */
    sb_printf(sb, "%s", plain ? plain : n.best->name);
    free(plain);
    if (addr > n.best->addr)
        sb_printf(sb, "+%lu", (unsigned long)(addr - n.best->addr));
}

static int assign(struct eval *ev, const struct node *n, struct value *v)
{
    if (eval(ev, n->a, v) < 0)
        return -1;
    if (!v->lvalue || v->type->kind == CT_FUNCTION)
        return fail("'%s' is not a variable to set", n->text);
    uint8_t *b = arena(ev, v->type->size + 16);
    if (convert(ev, n->b, v->type, b) < 0)
        return -1;
    if (v->bits) {
        uint64_t size = (v->bits->bit_pos % 8 + v->bits->bit_size + 7) / 8, x = scalar_unsigned(b, 8);
        uint8_t raw[16] = {0};
        uintptr_t at = v->addr + v->bits->offset;
        if (!memory_read(at, raw, size))
            return fail("cannot read %lu bytes at 0x%lx", (unsigned long)size, (unsigned long)at);
        for (uint64_t i = 0; i < v->bits->bit_size; i++) {
            uint64_t bit = v->bits->bit_pos % 8 + i;
            raw[bit / 8] = (uint8_t)((raw[bit / 8] & ~(1u << bit % 8)) | ((x >> i & 1) << bit % 8));
        }
        if (!memory_write(at, raw, size))
            return fail("cannot write %lu bytes at 0x%lx", (unsigned long)size, (unsigned long)at);
    } else if (!memory_write(v->addr, b, v->type->size)) {
        return fail("cannot write %lu bytes at 0x%lx (read-only?)", (unsigned long)v->type->size,
                    (unsigned long)v->addr);
    }
    v->bytes = NULL; /* show what memory now holds */
    return 0;
}

static void show(struct eval *ev, const char *expr, const struct value *v, bool json, struct strbuf *out)
{
    struct format f = {json, name_address, ev};
    if (json) {
        sb_printf(out, "{\"expression\": ");
        json_string(out, expr, strlen(expr));
        sb_printf(out, ", \"type\": ");
        json_string(out, v->type->name, strlen(v->type->name));
        if (v->lvalue && !v->bits)
            sb_printf(out, ", \"address\": \"0x%lx\"", (unsigned long)v->addr);
        sb_printf(out, ", \"value\": ");
        value_format(&f, v->type, v->bytes, v->addr, out);
        sb_printf(out, "}\n");
        return;
    }
    sb_printf(out, "%s = ", expr);
    if (v->type->kind == CT_STRUCT || v->type->kind == CT_UNION || v->type->kind == CT_POINTER ||
        v->type->target == &lit_byte)
        sb_printf(out, "(%s) ", v->type->name);
    value_format(&f, v->type, v->bytes, v->addr, out);
    sb_printf(out, "\n");
}

static void eval_free(struct eval *ev)
{
    for (size_t i = 0; i < ev->nunits; i++) {
        ctypes_free(ev->units[i].types);
        debug_info_close(ev->units[i].di);
    }
    xfree(ev->units);
    for (size_t i = 0; i < ev->nallocs; i++)
        xfree(ev->allocs[i]);
    xfree(ev->allocs);
}

static char *trimmed(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

int inspect_eval(const struct eval_target *t, const char *statement, bool json, struct strbuf *out)
{
    struct node *n = expr_parse(statement);
    if (!n)
        return -1;
    struct eval ev = {.t = t};
    struct value v;
    relock(&ev);
    int rc = n->kind == N_ASSIGN ? assign(&ev, n, &v) : eval(&ev, n, &v);
    if (rc == 0)
        rc = load(&ev, &v);
    if (rc == 0) {
        char *expr = n->kind == N_ASSIGN ? trimmed(n->text) : trimmed(statement);
        show(&ev, expr, &v, json, out);
        xfree(expr);
    }
    unlock(&ev);
    eval_free(&ev);
    node_free(n);
    return rc;
}

static void add_names(struct object *obj, void *ctx)
{
    struct strbuf *out = ctx;
    for (size_t j = 1; j < obj->nsyms; j++) {
        const struct symbol *s = obj->syms[j];
        if (is_listed(s, obj) && *s->name && !strchr(s->name, '.'))
            sb_printf(out, "%s\n", s->name);
    }
}

static bool calls_something(const struct node *n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n->nargs; i++)
        if (calls_something(n->args[i]))
            return true;
    return n->kind == N_CALL || n->kind == N_ASSIGN || calls_something(n->a) || calls_something(n->b);
}

/* The members of t, those of its anonymous members as its own (C11). */
static void add_members(const struct ctype *t, struct strbuf *out, int depth)
{
    for (size_t i = 0; t && depth < 8 && i < t->nmembers; i++) {
        const struct ctype_member *m = &t->members[i];
        if (*m->name)
            sb_printf(out, "%s\n", m->name);
        else
            add_members(m->type, out, depth + 1);
    }
}

void inspect_fields(const struct eval_target *t, const char *expression, struct strbuf *out)
{
    struct node *n = expr_parse(expression);
    struct eval ev = {.t = t};
    struct value v;
    relock(&ev);
    if (n && !calls_something(n) && eval(&ev, n, &v) == 0) {
        const struct ctype *type = v.type->kind == CT_POINTER ? v.type->target : v.type;
        if (type && (type->kind == CT_STRUCT || type->kind == CT_UNION))
            add_members(type, out, 0);
    }
    unlock(&ev);
    eval_free(&ev);
    node_free(n);
    clear_error();
}

void inspect_names(const struct eval_target *t, struct strbuf *out)
{
    struct eval ev = {.t = t};
    relock(&ev);
    each_object(&ev, add_names, out);
    unlock(&ev);
}
