/* Reading and showing the program's values. Memory is read through
 * process_vm_readv on this very process, which fails with EFAULT where a
 * plain load would fault: a pointer printed may point anywhere. */
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "text.h"
#include "util.h"

#define MAX_ELEMENTS 200    /* of an array, before "..." */
#define REPEATS 10          /* equal elements shown once, "<repeats N times>" */
#define MAX_STRING 200      /* characters of a string shown */
#define MAX_NESTING 12      /* structs in structs, before "{...}" */

static bool memory_copy(uintptr_t addr, void *buf, size_t n, bool write)
{
    if (n == 0)
        return true;
    if (addr + n < addr)
        return false;
    struct iovec local = {buf, n}, remote = {(void *)addr, n};
    ssize_t done = write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
                         : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    return done == (ssize_t)n;
}

bool memory_read(uintptr_t addr, void *buf, size_t n)
{
    return memory_copy(addr, buf, n, false);
}

bool memory_write(uintptr_t addr, const void *buf, size_t n)
{
    return memory_copy(addr, (void *)buf, n, true);
}

uint64_t scalar_unsigned(const uint8_t *p, size_t size)
{
    uint64_t v = 0;
    memcpy(&v, p, size < 8 ? size : 8); /* little-endian */
    return v;
}

int64_t scalar_signed(const uint8_t *p, size_t size)
{
    uint64_t v = scalar_unsigned(p, size);
    if (size < 8 && size > 0 && (v >> (size * 8 - 1)) & 1)
        v |= ~0ull << (size * 8);
    return (int64_t)v;
}

uint64_t bits_extract(const uint8_t *p, uint64_t bit_pos, uint64_t bit_size, bool is_signed)
{
    uint64_t v = 0;
    for (uint64_t i = 0; i < bit_size && i < 64; i++)
        v |= (uint64_t)((p[(bit_pos + i) / 8] >> ((bit_pos + i) % 8)) & 1) << i;
    if (is_signed && bit_size > 0 && bit_size < 64 && (v >> (bit_size - 1)) & 1)
        v |= ~0ull << bit_size;
    return v;
}

void json_string(struct strbuf *out, const char *s, size_t n)
{
    sb_printf(out, "\"");
    sb_escape(out, s, n, ESC_JSON);
    sb_printf(out, "\"");
}

/* A C string literal of n bytes, as gdb shows one. */
static void c_string(struct strbuf *out, const char *s, size_t n)
{
    static const char from[] = "\n\t\r\\\"", to[] = "ntr\\\"";
    sb_printf(out, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = c ? strchr(from, c) : NULL;
        if (e)
            sb_printf(out, "\\%c", to[e - from]);
        else if (c < 0x20 || c >= 0x7f)
            sb_printf(out, "\\%03o", c);
        else
            sb_printf(out, "%c", c);
    }
    sb_printf(out, "\"");
}

static void quoted(const struct format *f, struct strbuf *out, const char *s, size_t n)
{
    f->json ? json_string(out, s, n) : c_string(out, s, n);
}

/* The shortest text that reads back as the same value: a float's as the
 * same float (8.01351, not 8.013509750366211). */
static void floating(const struct format *f, struct strbuf *out, double v, bool single)
{
    if (!isfinite(v)) {
        const char *word = isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
        f->json ? sb_printf(out, "\"%s\"", word) : sb_printf(out, "%s", word);
        return;
    }
    char buf[64];
    int precision = 1;
    for (; precision < 17; precision++) {
        snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (single ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
            break;
    }
    snprintf(buf, sizeof buf, "%.*g", precision, v);
    /* %g writes 100 as "1e+02": whole numbers of up to 17 digits are
     * better read as they are */
    const char *e = strchr(buf, 'e');
    int exponent = e ? atoi(e + 1) : 0;
    if (e && exponent >= 0 && exponent < 17)
        snprintf(buf, sizeof buf, "%.*f", precision - 1 - exponent > 0 ? precision - 1 - exponent : 0, v);
    sb_printf(out, "%s", buf);
}

static void float_value(const struct format *f, const struct ctype *t, const uint8_t *b, struct strbuf *out)
{
    if (t->size == 4) {
        float v;
        memcpy(&v, b, 4);
        floating(f, out, v, true);
    } else if (t->size == 8) {
        double v;
        memcpy(&v, b, 8);
        floating(f, out, v, false);
    } else {
        long double v = 0;
        memcpy(&v, b, t->size < sizeof v ? t->size : sizeof v);
        floating(f, out, (double)v, false);
    }
}

static void enum_value(const struct format *f, const struct ctype *t, int64_t v, struct strbuf *out)
{
    for (size_t i = 0; i < t->nenumerators; i++)
        if (t->enumerators[i].value == v) {
            f->json ? json_string(out, t->enumerators[i].name, strlen(t->enumerators[i].name))
                    : sb_printf(out, "%s", t->enumerators[i].name);
            return;
        }
    sb_printf(out, "%lld", (long long)v);
}

static void char_value(const struct format *f, int64_t v, struct strbuf *out)
{
    char c = (char)v;
    sb_printf(out, "%lld", (long long)v);
    if (!f->json) {
        sb_printf(out, " '");
        if (c == '\'')
            sb_printf(out, "\\'");
        else if (c == '"')
            sb_printf(out, "\"");
        else {
            struct strbuf lit = {0};
            c_string(&lit, &c, 1);
            sb_printf(out, "%.*s", (int)lit.len - 2, lit.s + 1);
            xfree(lit.s);
        }
        sb_printf(out, "'");
    }
}

static bool is_char_type(const struct ctype *t)
{
    return t && t->is_char && t->size == 1;
}

/* The NUL-terminated string at addr, up to MAX_STRING characters. */
static bool read_string(uintptr_t addr, char *buf, size_t *len, bool *cut)
{
    size_t n = 0;
    *cut = false;
    while (n < MAX_STRING) {
        if (!memory_read(addr + n, &buf[n], 1))
            return n > 0 && (*len = n, *cut = true);
        if (!buf[n])
            break;
        n++;
    }
    *cut = n == MAX_STRING;
    *len = n;
    return true;
}

static void pointer_value(const struct format *f, const struct ctype *t, uintptr_t p, struct strbuf *out)
{
    struct strbuf name = {0};
    if (p && f->name_address)
        f->name_address(p, &name, f->ctx);
    char buf[MAX_STRING + 1];
    size_t len = 0;
    bool cut, text = p && is_char_type(t->target) && read_string(p, buf, &len, &cut);
    if (f->json && text) {
        sb_printf(out, "{\"pointer\": \"0x%lx\", \"string\": ", (unsigned long)p);
        json_string(out, buf, len);
        sb_printf(out, "}");
    } else if (f->json) {
        sb_printf(out, "\"0x%lx\"", (unsigned long)p);
    } else {
        sb_printf(out, "0x%lx", (unsigned long)p);
        if (name.len)
            sb_printf(out, " <%s>", name.s);
        if (text) {
            sb_printf(out, " ");
            c_string(out, buf, len);
            sb_printf(out, "%s", cut ? "..." : "");
        }
    }
    xfree(name.s);
}

static void value_at(const struct format *f, const struct ctype *t, const uint8_t *b, uintptr_t addr,
                     struct strbuf *out, int depth);

static void member_value(const struct format *f, const struct ctype_member *m, const uint8_t *b, uintptr_t addr,
                         struct strbuf *out, int depth)
{
    if (!m->bit_size) {
        value_at(f, m->type, b + m->offset, addr ? addr + m->offset : 0, out, depth + 1);
        return;
    }
    bool is_signed = m->type->kind == CT_SIGNED || (m->type->kind == CT_ENUM && m->type->target &&
                                                    m->type->target->kind == CT_SIGNED);
    uint64_t v = bits_extract(b, m->bit_pos, m->bit_size, is_signed);
    if (m->type->kind == CT_ENUM)
        enum_value(f, m->type, (int64_t)v, out);
    else if (m->type->kind == CT_BOOL)
        sb_printf(out, "%s", v ? "true" : "false");
    else
        sb_printf(out, is_signed ? "%lld" : "%llu", (long long)v);
}

/* ---- the C++ standard library's containers, as values ------------------
 * As gdb's libstdc++ printers show them: a std::string as its text, a
 * std::vector as its elements. They are known by libstdc++'s members
 * (the DWARF names them without their namespace), found through the
 * anonymous members that base classes are, and a container's _M_impl. */

/* t's member called name, in t, its bases or its _M_impl; its offset from
 * t's start. */
static const struct ctype_member *member_named(const struct ctype *t, const char *name, uint64_t *offset,
                                               int depth)
{
    if (!t || (t->kind != CT_STRUCT && t->kind != CT_UNION) || depth > MAX_NESTING)
        return NULL;
    for (size_t i = 0; i < t->nmembers; i++) {
        const struct ctype_member *m = &t->members[i];
        uint64_t inner = 0;
        bool inside = !*m->name || !strcmp(m->name, "_M_impl");
        const struct ctype_member *found = !strcmp(m->name, name) ? m
                                           : inside ? member_named(m->type, name, &inner, depth + 1)
                                                    : NULL;
        if (found) {
            *offset = m->offset + (found == m ? 0 : inner);
            return found;
        }
    }
    return NULL;
}

static bool pointer_at(const uint8_t *b, const struct ctype_member *m, uint64_t offset, uintptr_t *p)
{
    if (!m || m->type->kind != CT_POINTER || m->type->size != 8)
        return false;
    *p = (uintptr_t)scalar_unsigned(b + offset, 8);
    return true;
}

/* len bytes of text at p, quoted; false if they cannot be read. */
static bool text_value(const struct format *f, struct strbuf *out, uintptr_t p, uint64_t len)
{
    size_t shown = len < MAX_STRING ? (size_t)len : MAX_STRING;
    char buf[MAX_STRING] = {0};
    if (shown && !memory_read(p, buf, shown))
        return false;
    quoted(f, out, buf, shown);
    if (shown < len && !f->json)
        sb_printf(out, "...");
    return true;
}

/* libstdc++'s std::string: _M_dataplus._M_p, _M_string_length. */
static bool std_string_value(const struct format *f, const struct ctype *t, const uint8_t *b, struct strbuf *out)
{
    uint64_t plus = 0, at = 0, len_at = 0;
    const struct ctype_member *dataplus = member_named(t, "_M_dataplus", &plus, 0);
    const struct ctype_member *length = member_named(t, "_M_string_length", &len_at, 0);
    const struct ctype_member *text = dataplus ? member_named(dataplus->type, "_M_p", &at, 0) : NULL;
    uintptr_t p;
    return length && length->type->size == 8 && pointer_at(b, text, plus + at, &p) &&
           is_char_type(text->type->target) && text_value(f, out, p, scalar_unsigned(b + len_at, 8));
}

/* n elements of type e from start, as an array's. */
static void elements_value(const struct format *f, const struct ctype *e, uintptr_t start, uint64_t n,
                           struct strbuf *out, int depth)
{
    sb_printf(out, f->json ? "[" : "{");
    uint8_t *element = xmalloc(e->size);
    for (uint64_t i = 0; i < n; i++) {
        if (i == MAX_ELEMENTS) {
            sb_printf(out, f->json ? ", null" : "...");
            break;
        }
        sb_printf(out, "%s", i ? ", " : "");
        uintptr_t at = start + i * e->size;
        if (memory_read(at, element, e->size))
            value_at(f, e, element, at, out, depth + 1);
        else
            sb_printf(out, f->json ? "null" : "<unreadable>");
    }
    xfree(element);
    sb_printf(out, f->json ? "]" : "}");
}

/* libstdc++'s std::vector: the elements from _M_start to _M_finish. */
static bool std_vector_value(const struct format *f, const struct ctype *t, struct strbuf *out, const uint8_t *b,
                             int depth)
{
    uint64_t s_at = 0, f_at = 0, e_at = 0;
    uintptr_t start, finish, end;
    const struct ctype_member *sm = member_named(t, "_M_start", &s_at, 0);
    const struct ctype_member *fm = member_named(t, "_M_finish", &f_at, 0);
    const struct ctype_member *em = member_named(t, "_M_end_of_storage", &e_at, 0);
    const struct ctype *e = sm && sm->type->kind == CT_POINTER ? sm->type->target : NULL;
    if (!e || !e->size || !pointer_at(b, sm, s_at, &start) || !pointer_at(b, fm, f_at, &finish) ||
        !pointer_at(b, em, e_at, &end) || finish < start || end < finish)
        return false;
    uint64_t n = (finish - start) / e->size;
    if (!f->json)
        sb_printf(out, "std::vector of length %llu, capacity %llu = ", (unsigned long long)n,
                  (unsigned long long)((end - start) / e->size));
    elements_value(f, e, start, n, out, depth);
    return true;
}

/* ---- other languages' strings and slices --------------------------------
 * As gdb shows them: D's arrays and Rust's slices (a pointer to the first
 * element and a length) as their elements, and as text for D's strings,
 * Rust's &str and String. */

static bool named(const struct ctype_member *m, const char *a, const char *b)
{
    return !strcmp(m->name, a) || !strcmp(m->name, b);
}

/* Is t the struct the language calls name ("struct &str" as C spells it)? */
static bool struct_called(const struct ctype *t, const char *name)
{
    return t->kind == CT_STRUCT && t->name && !strncmp(t->name, "struct ", 7) && !strcmp(t->name + 7, name);
}

/* A slice: D's arrays (length, ptr), Rust's &str and &[T] (data_ptr,
 * length). */
static bool slice_value(const struct format *f, const struct ctype *t, struct strbuf *out, const uint8_t *b,
                        int depth)
{
    const struct ctype_member *ptr = NULL, *len = NULL;
    for (size_t i = 0; t->nmembers == 2 && i < 2; i++) {
        const struct ctype_member *m = &t->members[i];
        if (m->type->kind == CT_POINTER && m->type->size == 8 && named(m, "ptr", "data_ptr"))
            ptr = m;
        else if (m->type->kind == CT_UNSIGNED && m->type->size == 8 && named(m, "length", "len"))
            len = m;
    }
    uintptr_t p;
    const struct ctype *e = ptr ? ptr->type->target : NULL;
    if (!len || !ptr || !pointer_at(b, ptr, ptr->offset, &p) || !e || !e->size)
        return false;
    uint64_t n = scalar_unsigned(b + len->offset, 8);
    if (is_char_type(e) || struct_called(t, "&str"))
        return text_value(f, out, p, n);
    elements_value(f, e, p, n, out, depth);
    return true;
}

/* The first pointer among t's first members, however deep (Rust's
 * RawVec: buf.inner.ptr.pointer.pointer), and its offset. */
static const struct ctype_member *first_pointer(const struct ctype *t, uint64_t *offset, int depth)
{
    if (!t || t->kind != CT_STRUCT || !t->nmembers || depth > MAX_NESTING)
        return NULL;
    const struct ctype_member *m = &t->members[0];
    *offset += m->offset;
    return m->type->kind == CT_POINTER ? m : first_pointer(m->type, offset, depth + 1);
}

/* Rust's String: a Vec<u8> (vec: buf's first pointer, len), as text. */
static bool rust_string_value(const struct format *f, const struct ctype *t, struct strbuf *out, const uint8_t *b)
{
    uint64_t vec_at = 0, buf_at = 0, len_at = 0, ptr_at = 0;
    const struct ctype_member *vec = struct_called(t, "String") ? member_named(t, "vec", &vec_at, 0) : NULL;
    const struct ctype_member *buf = vec ? member_named(vec->type, "buf", &buf_at, 0) : NULL;
    const struct ctype_member *len = vec ? member_named(vec->type, "len", &len_at, 0) : NULL;
    const struct ctype_member *ptr = buf ? first_pointer(buf->type, &ptr_at, 0) : NULL;
    uint64_t at = vec_at + buf_at + ptr_at;
    uintptr_t p;
    return len && len->type->size == 8 && pointer_at(b, ptr, at, &p) &&
           text_value(f, out, p, scalar_unsigned(b + vec_at + len_at, 8));
}

static void struct_value(const struct format *f, const struct ctype *t, const uint8_t *b, uintptr_t addr,
                         struct strbuf *out, int depth)
{
    if (std_string_value(f, t, b, out) || std_vector_value(f, t, out, b, depth) ||
        slice_value(f, t, out, b, depth) || rust_string_value(f, t, out, b))
        return;
    if (depth >= MAX_NESTING) {
        sb_printf(out, f->json ? "null" : "{...}");
        return;
    }
    sb_printf(out, "{");
    for (size_t i = 0; i < t->nmembers; i++) {
        const struct ctype_member *m = &t->members[i];
        const char *name = *m->name ? m->name : "<anonymous>";
        if (m->offset + (m->bit_size ? (m->bit_pos % 8 + m->bit_size + 7) / 8 : m->type->size) > t->size)
            continue; /* DWARF that does not fit its struct: not shown */
        sb_printf(out, "%s", i ? ", " : "");
        f->json ? (json_string(out, name, strlen(name)), sb_printf(out, ": ")) : sb_printf(out, "%s = ", name);
        member_value(f, m, b, addr, out, depth);
    }
    sb_printf(out, "}");
}

/* How many elements from i on have element i's bytes. */
static uint64_t same_elements(const uint8_t *b, uint64_t i, uint64_t count, uint64_t size)
{
    uint64_t n = 1;
    while (i + n < count && !memcmp(b + i * size, b + (i + n) * size, size))
        n++;
    return n;
}

static void array_value(const struct format *f, const struct ctype *t, const uint8_t *b, uintptr_t addr,
                        struct strbuf *out, int depth)
{
    const struct ctype *e = t->target;
    if (is_char_type(e)) {
        size_t n = strnlen((const char *)b, t->count);
        quoted(f, out, (const char *)b, n < MAX_STRING ? n : MAX_STRING);
        if (n > MAX_STRING)
            sb_printf(out, "...");
        return;
    }
    if (e->size == 0 || depth >= MAX_NESTING) {
        sb_printf(out, f->json ? "[]" : "{...}");
        return;
    }
    sb_printf(out, f->json ? "[" : "{");
    uint64_t shown = 0;
    for (uint64_t i = 0; i < t->count;) {
        if (shown >= MAX_ELEMENTS) {
            sb_printf(out, f->json ? ", null" : "...");
            break;
        }
        uint64_t run = f->json ? 1 : same_elements(b, i, t->count, e->size);
        sb_printf(out, "%s", i ? ", " : "");
        value_at(f, e, b + i * e->size, addr ? addr + i * e->size : 0, out, depth + 1);
        if (run >= REPEATS) /* gdb's way: counted as REPEATS elements */
            sb_printf(out, " <repeats %llu times>", (unsigned long long)run);
        shown += run >= REPEATS ? REPEATS : 1;
        i += run >= REPEATS ? run : 1;
    }
    sb_printf(out, f->json ? "]" : "}");
}

static void value_at(const struct format *f, const struct ctype *t, const uint8_t *b, uintptr_t addr,
                     struct strbuf *out, int depth)
{
    switch (t->kind) {
    case CT_BOOL: sb_printf(out, "%s", b[0] ? "true" : "false"); break;
    case CT_SIGNED:
        if (t->size > 8)
            sb_printf(out, f->json ? "null" : "<%lu-byte integer>", (unsigned long)t->size);
        else if (t->is_char)
            char_value(f, scalar_signed(b, t->size), out);
        else
            sb_printf(out, "%lld", (long long)scalar_signed(b, t->size));
        break;
    case CT_UNSIGNED:
        if (t->size > 8)
            sb_printf(out, f->json ? "null" : "<%lu-byte integer>", (unsigned long)t->size);
        else if (t->is_char)
            char_value(f, (int64_t)scalar_unsigned(b, t->size), out);
        else
            sb_printf(out, "%llu", (unsigned long long)scalar_unsigned(b, t->size));
        break;
    case CT_FLOAT: float_value(f, t, b, out); break;
    case CT_ENUM: {
        bool is_signed = !t->target || t->target->kind != CT_UNSIGNED;
        enum_value(f, t, is_signed ? scalar_signed(b, t->size) : (int64_t)scalar_unsigned(b, t->size), out);
        break;
    }
    case CT_POINTER: pointer_value(f, t, (uintptr_t)scalar_unsigned(b, 8), out); break;
    case CT_ARRAY: array_value(f, t, b, addr, out, depth); break;
    case CT_STRUCT:
    case CT_UNION: struct_value(f, t, b, addr, out, depth); break;
    case CT_FUNCTION: {
        struct strbuf name = {0};
        if (f->name_address)
            f->name_address(addr, &name, f->ctx);
        f->json ? sb_printf(out, "\"0x%lx\"", (unsigned long)addr)
                : sb_printf(out, "{%s} 0x%lx%s%s%s", t->name, (unsigned long)addr, name.len ? " <" : "",
                            name.len ? name.s : "", name.len ? ">" : "");
        xfree(name.s);
        break;
    }
    case CT_VOID: sb_printf(out, f->json ? "null" : "void"); break;
    case CT_UNKNOWN: sb_printf(out, f->json ? "null" : "<%s>", t->name); break;
    }
}

void value_format(const struct format *f, const struct ctype *t, const uint8_t *bytes, uintptr_t addr,
                  struct strbuf *out)
{
    value_at(f, t, bytes, addr, out, 0);
}
