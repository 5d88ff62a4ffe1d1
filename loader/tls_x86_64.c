/* Thread-local relocations on x86-64 (psABI "Thread-Local Storage", and
 * Drepper's "ELF Handling For Thread-Local Storage"), with the
 * relaxations GNU ld applies when it links an executable.
 *
 * Every TLS block hotld makes is in static TLS (tls.c), at an offset from
 * the thread pointer that is the same in every thread, so, as ld does for
 * an executable, the code sequences of the dynamic models are rewritten
 * into local exec when they have the exact shape the compilers emit:
 *
 *   general dynamic  66 48 8d 3d <x@tlsgd>      data16 lea x@tlsgd(%rip),%rdi
 *                    66 66 48 e8 <call>         data16 data16 rex64 call __tls_get_addr@plt
 *                 or 66 48 ff 15 <call>         data16 rex64 call *__tls_get_addr@gotpcrel(%rip)
 *                 or (large model, no 66)       movabs $__tls_get_addr@pltoff,%rax;
 *                    48 b8 <8> 48 01 d8 ff d0   add %rbx,%rax (any register); call *%rax
 *     becomes        64 48 8b 04 25 00 00 00 00 mov %fs:0,%rax
 *                    48 8d 80 <x@tpoff>         lea x@tpoff(%rax),%rax
 *                                               (then NOPs to the same length)
 *   local dynamic    48 8d 3d <x@tlsld>, then one of the three calls above
 *     becomes        mov %fs:0,%rax, with 66 prefixes (and NOPs) to the
 *                    same length; then each x@dtpoff is x's offset from
 *                    the thread pointer
 *   initial exec     mov/add x@gottpoff(%rip),%reg  ->  mov/add $x@tpoff,%reg
 *   descriptors      lea x@tlsdesc(%rip),%reg       ->  mov $x@tpoff,%reg
 *                    call *x@tlscall(%rax)          ->  xchg %ax,%ax
 *
 * A sequence of another shape keeps its model and gets GOT slots: module
 * id and offset for general dynamic (a real __tls_get_addr call), the
 * thread-pointer offset for initial exec. A shared library's variables
 * are never relaxed: their place is known only to ld.so. Local-dynamic
 * sequences are relaxed all or none per object, because the x@dtpoff that
 * follow them do not say which sequence they belong to. */
#include <string.h>

#include "linker.h"
#include "util.h"

static const uint8_t gd_lea[] = {0x66, 0x48, 0x8d, 0x3d};
static const uint8_t gd_call_plt[] = {0x66, 0x66, 0x48, 0xe8};
static const uint8_t gd_call_got[] = {0x66, 0x48, 0xff, 0x15};
static const uint8_t ld_lea[] = {0x48, 0x8d, 0x3d};
static const uint8_t mov_fs0_rax[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
static const uint8_t lea_rax_rax[] = {0x48, 0x8d, 0x80};
static const uint8_t desc_call[] = {0xff, 0x10};

bool reloc_is_tls(uint32_t type)
{
    switch (type) {
    case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64: case R_X86_64_TPOFF64:
    case R_X86_64_TLSGD: case R_X86_64_TLSLD: case R_X86_64_DTPOFF32:
    case R_X86_64_GOTTPOFF: case R_X86_64_TPOFF32: case R_X86_64_GOTPC32_TLSDESC:
    case R_X86_64_TLSDESC_CALL:
        return true;
    default:
        return false;
    }
}

/* Are the bytes at sec[at, at + n) equal to want? */
static bool bytes_are(const struct section *sec, int64_t at, const uint8_t *want, size_t n)
{
    return sec->data && at >= 0 && (uint64_t)at + n <= sec->size && !memcmp(sec->data + at, want, n);
}

/* The relocation of the __tls_get_addr call that must follow at `at`. */
static bool call_follows(const struct section *sec, size_t i, uint64_t at)
{
    if (i + 1 >= sec->nrelas || sec->relas[i + 1].r_offset != at)
        return false;
    uint32_t t = ELF64_R_TYPE(sec->relas[i + 1].r_info);
    return t == R_X86_64_PLT32 || t == R_X86_64_PC32 || t == R_X86_64_GOTPCRELX ||
           t == R_X86_64_GOTPCREL || t == R_X86_64_PLTOFF64;
}

/* The large model's call: movabs $__tls_get_addr@pltoff,%rax;
 * add %REG,%rax; call *%rax, at `at`. */
static bool large_call_at(const struct section *sec, size_t i, int64_t at)
{
    if (!bytes_are(sec, at, (const uint8_t[]){0x48, 0xb8}, 2) || !call_follows(sec, i, at + 2) ||
        !bytes_are(sec, at + 11, (const uint8_t[]){0x01}, 1) ||
        !bytes_are(sec, at + 13, (const uint8_t[]){0xff, 0xd0}, 2))
        return false;
    uint8_t rex = sec->data[at + 10], modrm = sec->data[at + 12];
    return (rex == 0x48 || rex == 0x4c) && (modrm & 0xc7) == 0xc0;
}

/* A code sequence to rewrite: where it starts relative to the TLSGD or
 * TLSLD relocation, and its length; length 0 if it is not a known shape. */
struct sequence {
    int start;
    size_t length;
};

static struct sequence gd_sequence(const struct section *sec, size_t i)
{
    int64_t off = (int64_t)sec->relas[i].r_offset;
    if (bytes_are(sec, off - 4, gd_lea, sizeof gd_lea) && call_follows(sec, i, off + 8) &&
        (bytes_are(sec, off + 4, gd_call_plt, sizeof gd_call_plt) ||
         bytes_are(sec, off + 4, gd_call_got, sizeof gd_call_got)))
        return (struct sequence){-4, 16};
    if (bytes_are(sec, off - 3, ld_lea, sizeof ld_lea) && large_call_at(sec, i, off + 4))
        return (struct sequence){-3, 22};
    return (struct sequence){0, 0};
}

/* Local dynamic: 12 bytes with a direct call, 13 with an indirect one, 22
 * in the large model. */
static struct sequence ld_sequence(const struct section *sec, size_t i)
{
    int64_t off = (int64_t)sec->relas[i].r_offset;
    if (!bytes_are(sec, off - 3, ld_lea, sizeof ld_lea))
        return (struct sequence){0, 0};
    if (bytes_are(sec, off + 4, (const uint8_t[]){0xe8}, 1) && call_follows(sec, i, off + 5))
        return (struct sequence){-3, 12};
    if (bytes_are(sec, off + 4, (const uint8_t[]){0xff, 0x15}, 2) && call_follows(sec, i, off + 6))
        return (struct sequence){-3, 13};
    if (large_call_at(sec, i, off + 4))
        return (struct sequence){-3, 22};
    return (struct sequence){0, 0};
}

/* n bytes of NOPs, in the longest forms (Intel's recommended ones). */
static void fill_nops(uint8_t *p, size_t n)
{
    static const uint8_t nops[9][9] = {
        {0x90}, {0x66, 0x90}, {0x0f, 0x1f, 0x00}, {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00}, {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0, 0, 0, 0}, {0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0},
        {0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0},
    };
    while (n) {
        size_t k = n < 9 ? n : 9;
        memcpy(p, nops[k - 1], k);
        p += k;
        n -= k;
    }
}

/* REX.W, then one of the opcodes, reading (%rip)+disp32 into a 64-bit
 * register: mov/add for x@gottpoff, lea for x@tlsdesc. */
static bool rip_operand(const struct section *sec, size_t i, uint8_t op1, uint8_t op2)
{
    int64_t off = (int64_t)sec->relas[i].r_offset;
    if (!sec->data || off < 3 || (uint64_t)off > sec->size)
        return false;
    const uint8_t *p = sec->data + off - 3;
    return (p[0] == 0x48 || p[0] == 0x4c) && (p[1] == op1 || p[1] == op2) && (p[2] & 0xc7) == 0x05;
}

static bool ie_relaxable(const struct section *sec, size_t i)
{
    return rip_operand(sec, i, 0x8b, 0x03);
}

/* The same instruction with an immediate instead of the memory operand
 * (mov, lea -> mov $imm; add -> add $imm). p: its REX prefix. */
static void to_immediate(uint8_t *p)
{
    uint8_t reg = (p[2] >> 3) & 7;
    if (p[0] == 0x4c)
        p[0] = 0x49;            /* the register moves from ModRM.reg to ModRM.rm */
    p[1] = p[1] == 0x03 ? 0x81 : 0xc7;
    p[2] = 0xc0 | reg;
}

static bool is_own(const struct symbol *s)
{
    return s->kind != SYM_DSO;
}

void tls_check_sequences(struct object *obj)
{
    for (size_t j = 1; j < obj->nsecs; j++) {
        const struct section *sec = &obj->secs[j];
        for (size_t i = 0; i < sec->nrelas; i++)
            if (ELF64_R_TYPE(sec->relas[i].r_info) == R_X86_64_TLSLD && !ld_sequence(sec, i).length)
                obj->tls_ld_kept = true;
    }
}

static void add_tls_pair(struct link *ld, struct symbol *s)
{
    s->tls_got = (int32_t)ld->ngot;
    add_got(ld, s, GOT_DTPMOD);
    add_got(ld, s, GOT_DTPOFF);
}

void tls_allocate_got(struct link *ld, const struct section *sec, size_t i, struct symbol *s)
{
    switch (ELF64_R_TYPE(sec->relas[i].r_info)) {
    case R_X86_64_TLSGD:
        if ((!is_own(s) || !gd_sequence(sec, i).length) && s->tls_got < 0)
            add_tls_pair(ld, s);
        break;
    case R_X86_64_TLSLD:
        if (sec->obj->tls_ld_kept && ld->tls_ld_got < 0) {
            ld->tls_ld_got = (int32_t)ld->ngot;
            add_got(ld, NULL, GOT_OWN_DTPMOD);
            add_got(ld, NULL, GOT_ZERO);
        }
        break;
    case R_X86_64_GOTTPOFF:
        if ((!is_own(s) || !ie_relaxable(sec, i)) && s->got < 0)
            add_got(ld, s, GOT_TPOFF);
        break;
    case R_X86_64_GOTPC32_TLSDESC:
        if (!is_own(s) && s->got < 0)
            add_got(ld, s, GOT_TPOFF);
        break;
    }
}

struct tls_reloc {
    struct link *ld;
    struct section *sec;
    const Elf64_Rela *r;
    struct symbol *sym;
    uint8_t *loc;               /* the field, in the image */
    uint64_t P;                 /* its address */
    struct tls_place at;        /* where S + A is */
};

static int tls_error(const struct tls_reloc *c, const char *what)
{
    return fail("%s: section '%s' offset 0x%lx: thread-local reference to '%s': %s",
                c->sec->obj->name, c->sec->name, (unsigned long)c->r->r_offset, c->sym->name, what);
}

static int store_s32(const struct tls_reloc *c, uint8_t *loc, int64_t v)
{
    if (v < INT32_MIN || v > INT32_MAX)
        return tls_error(c, "offset out of 32-bit range");
    int32_t v32 = (int32_t)v;
    memcpy(loc, &v32, 4);
    return 0;
}

static int64_t got_slot_pc(const struct tls_reloc *c, int32_t slot)
{
    return (int64_t)(c->ld->image->got + (uint64_t)slot * 8 + c->r->r_addend - c->P);
}

/* General dynamic: relaxed to local exec, or through the GOT pair. The
 * relaxed form replaces the __tls_get_addr call too, so its relocation
 * (i + 1) is consumed. */
static int general_dynamic(struct tls_reloc *c, size_t *i)
{
    struct sequence seq = gd_sequence(c->sec, *i);
    if (!is_own(c->sym) || !seq.length)
        return store_s32(c, c->loc, got_slot_pc(c, c->sym->tls_got));
    uint8_t *p = c->loc + seq.start;
    memcpy(p, mov_fs0_rax, sizeof mov_fs0_rax);
    memcpy(p + 9, lea_rax_rax, sizeof lea_rax_rax);
    fill_nops(p + 16, seq.length - 16);
    ++*i;
    return store_s32(c, p + 12, c->at.tpoff);
}

static int local_dynamic(struct tls_reloc *c, size_t *i)
{
    if (c->sec->obj->tls_ld_kept)
        return store_s32(c, c->loc, got_slot_pc(c, c->ld->tls_ld_got));
    /* Operand-size prefixes, which the mov ignores, make up the length
     * as GNU ld does: one instruction decodes faster than a mov and a NOP
     * in a hot loop. Beyond four prefixes (slow to decode), NOPs follow. */
    struct sequence seq = ld_sequence(c->sec, *i);
    size_t prefixes = seq.length - 9 < 4 ? seq.length - 9 : 4;
    uint8_t *p = c->loc + seq.start;
    memset(p, 0x66, prefixes);
    memcpy(p + prefixes, mov_fs0_rax, sizeof mov_fs0_rax);
    fill_nops(p + prefixes + 9, seq.length - 9 - prefixes);
    ++*i;
    return 0;
}

/* x@dtpoff: from the thread pointer when the object's local-dynamic
 * sequences became mov %fs:0; else from the start of the link's block. */
static int dtp_offset(const struct tls_reloc *c, int64_t *v)
{
    if (!c->sec->obj->tls_ld_kept) {
        *v = c->at.tpoff;
        return 0;
    }
    struct tls_place own;
    tls_own_block(c->ld, &own);
    if (c->at.modid != own.modid)
        return tls_error(c, "a kept variable of an earlier version, reached by local-dynamic "
                            "code hotld cannot relax; rebuild with -ftls-model=initial-exec");
    *v = (int64_t)c->at.dtpoff;
    return 0;
}

static int initial_exec(struct tls_reloc *c)
{
    if (!is_own(c->sym) || !ie_relaxable(c->sec, c->r - c->sec->relas)) {
        if (!c->at.is_static)
            return tls_error(c, "initial-exec access to a library loaded at run time; "
                                "rebuild with -fPIC or -ftls-model=global-dynamic");
        return store_s32(c, c->loc, got_slot_pc(c, c->sym->got));
    }
    to_immediate(c->loc - 3);
    return store_s32(c, c->loc, c->at.tpoff);
}

/* TLS descriptors: local exec for our variables, initial exec (through
 * the GOT slot) for a library's. */
static int descriptor(struct tls_reloc *c)
{
    if (!rip_operand(c->sec, c->r - c->sec->relas, 0x8d, 0x8d))
        return tls_error(c, "TLS descriptor sequence not of the form lea x@tlsdesc(%rip),%reg");
    if (!is_own(c->sym)) {
        if (!c->at.is_static)
            return tls_error(c, "TLS descriptor of a library loaded at run time; rebuild "
                                "with -mtls-dialect=gnu (the default)");
        c->loc[-2] = 0x8b;      /* lea -> mov from the slot */
        return store_s32(c, c->loc, got_slot_pc(c, c->sym->got));
    }
    to_immediate(c->loc - 3);
    return store_s32(c, c->loc, c->at.tpoff);
}

static int descriptor_call(struct tls_reloc *c)
{
    if (!bytes_are(c->sec, (int64_t)c->r->r_offset, desc_call, sizeof desc_call))
        return tls_error(c, "TLS descriptor call not of the form call *(%rax)");
    memcpy(c->loc, (const uint8_t[]){0x66, 0x90}, 2);
    return 0;
}

static int apply_tls(struct tls_reloc *c, size_t *i)
{
    int64_t v = 0;
    switch (ELF64_R_TYPE(c->r->r_info)) {
    case R_X86_64_TLSGD: return general_dynamic(c, i);
    case R_X86_64_TLSLD: return local_dynamic(c, i);
    case R_X86_64_GOTTPOFF: return initial_exec(c);
    case R_X86_64_GOTPC32_TLSDESC: return descriptor(c);
    case R_X86_64_TLSDESC_CALL: return descriptor_call(c);
    case R_X86_64_TPOFF32:
        if (!is_own(c->sym))
            return tls_error(c, "local-exec access to a shared library's variable; rebuild with -fPIE");
        return store_s32(c, c->loc, c->at.tpoff);
    case R_X86_64_TPOFF64:
        memcpy(c->loc, &c->at.tpoff, 8);
        return 0;
    case R_X86_64_DTPOFF32:
        return dtp_offset(c, &v) < 0 ? -1 : store_s32(c, c->loc, v);
    case R_X86_64_DTPOFF64:
        if (dtp_offset(c, &v) < 0)
            return -1;
        memcpy(c->loc, &v, 8);
        return 0;
    case R_X86_64_DTPMOD64:
        memcpy(c->loc, &(uint64_t){c->at.modid}, 8);
        return 0;
    }
    return tls_error(c, "unexpected relocation type");
}

/* Local dynamic with descriptors reaches the block through the linker's
 * _TLS_MODULE_BASE_, and the x@dtpoff that follow are relative to it: the
 * thread pointer itself once they are relaxed, else the block's start. */
static void module_base(struct tls_reloc *c)
{
    tls_own_block(c->ld, &c->at);
    if (!c->sec->obj->tls_ld_kept)
        c->at.tpoff = 0;
}

int relocate_tls(struct link *ld, struct section *sec, size_t *i)
{
    const Elf64_Rela *r = &sec->relas[*i];
    struct symbol *sym = sec->obj->syms[ELF64_R_SYM(r->r_info)];
    struct tls_reloc c = {ld, sec, r, sym, image_bytes(ld->image, sec->addr + r->r_offset),
                          sec->addr + r->r_offset, {0}};
    uint32_t type = ELF64_R_TYPE(r->r_info);
    if (type == R_X86_64_TLSDESC_CALL)
        return descriptor_call(&c);
    /* TLSLD's symbol is only a marker; the pair is the link's own. */
    uint64_t addend = type == R_X86_64_TLSGD || type == R_X86_64_TLSLD ||
                      type == R_X86_64_GOTTPOFF || type == R_X86_64_GOTPC32_TLSDESC ? 0 : r->r_addend;
    if (!strcmp(sym->name, "_TLS_MODULE_BASE_"))
        module_base(&c);
    else if (type != R_X86_64_TLSLD && tls_locate(sym->addr + addend, &c.at) < 0)
        return tls_error(&c, sym->kind == SYM_UNDEF ? "undefined" : "not a thread-local variable");
    return apply_tls(&c, i);
}
