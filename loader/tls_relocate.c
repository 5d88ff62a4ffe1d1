/* Thread-local relocations (loader/x86_64/tls_relax.c rewrites the bytes) (psABI "Thread-Local Storage", and
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
#include "reloc.h"
#include "tls_relax.h"
#include "util.h"

static struct x86_code code_of(const struct section *s)
{
    return (struct x86_code){s->data, s->size, s->relas, s->nrelas};
}

static bool is_own(const struct symbol *s)
{
    return s->kind != SYM_DSO;
}

void tls_check_sequences(struct object *obj)
{
    for (size_t j = 1; j < obj->nsecs; j++) {
        const struct section *sec = &obj->secs[j];
        struct x86_code code = code_of(sec);
        for (size_t i = 0; i < sec->nrelas; i++)
            if (ELF64_R_TYPE(sec->relas[i].r_info) == R_X86_64_TLSLD && !x86_tls_ld_sequence(&code, i).length)
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
    struct x86_code code = code_of(sec);
    switch (ELF64_R_TYPE(sec->relas[i].r_info)) {
    case R_X86_64_TLSGD:
        if ((!is_own(s) || !x86_tls_gd_sequence(&code, i).length) && s->tls_got < 0)
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
        if ((!is_own(s) || !x86_tls_ie_relaxable(&code, i)) && s->got < 0)
            add_got(ld, s, GOT_TPOFF);
        break;
    case R_X86_64_GOTPC32_TLSDESC:
        if (!is_own(s) && s->got < 0)
            add_got(ld, s, GOT_TPOFF);
        break;
    default:
        if (x86_reloc_is_apx_gottpoff(ELF64_R_TYPE(sec->relas[i].r_info)) && s->got < 0)
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
    return x86_store_s32(loc, v) ? 0 : tls_error(c, "offset out of 32-bit range");
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
    struct x86_code code = code_of(c->sec);
    struct tls_sequence seq = x86_tls_gd_sequence(&code, *i);
    if (!is_own(c->sym) || !seq.length)
        return store_s32(c, c->loc, got_slot_pc(c, c->sym->tls_got));
    uint8_t *p = c->loc + seq.start;
    x86_tls_gd_to_le(p, seq.length);
    ++*i;
    return store_s32(c, p + TLS_GD_LE_TPOFF, c->at.tpoff);
}

static int local_dynamic(struct tls_reloc *c, size_t *i)
{
    if (c->sec->obj->tls_ld_kept)
        return store_s32(c, c->loc, got_slot_pc(c, c->ld->tls_ld_got));
    struct x86_code code = code_of(c->sec);
    struct tls_sequence seq = x86_tls_ld_sequence(&code, *i);
    x86_tls_ld_to_le(c->loc + seq.start, seq.length);
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

/* Initial exec through the symbol's GOT slot, which holds its offset. */
static int initial_exec_slot(struct tls_reloc *c)
{
    if (!c->at.is_static) {
        if (c->sym->dso)
            dso_preload_at_start(c->sym->dso, false);
        return tls_error(c, "initial-exec access to a library loaded at run time; "
                            "rebuild with -fPIC or -ftls-model=global-dynamic");
    }
    return store_s32(c, c->loc, got_slot_pc(c, c->sym->got));
}

static int initial_exec(struct tls_reloc *c)
{
    struct x86_code code = code_of(c->sec);
    if (!is_own(c->sym) || !x86_tls_ie_relaxable(&code, c->r - c->sec->relas))
        return initial_exec_slot(c);
    x86_to_immediate(c->loc - 3);
    return store_s32(c, c->loc, c->at.tpoff);
}

/* TLS descriptors: local exec for our variables, initial exec (through
 * the GOT slot) for a library's. */
static int descriptor(struct tls_reloc *c)
{
    struct x86_code code = code_of(c->sec);
    if (!x86_tls_rip_operand(&code, c->r - c->sec->relas, 0x8d, 0x8d))
        return tls_error(c, "TLS descriptor sequence not of the form lea x@tlsdesc(%rip),%reg");
    if (!is_own(c->sym)) {
        if (!c->at.is_static)
            return tls_error(c, "TLS descriptor of a library loaded at run time; rebuild "
                                "with -mtls-dialect=gnu (the default)");
        c->loc[-2] = 0x8b;      /* lea -> mov from the slot */
        return store_s32(c, c->loc, got_slot_pc(c, c->sym->got));
    }
    x86_to_immediate(c->loc - 3);
    return store_s32(c, c->loc, c->at.tpoff);
}

static int descriptor_call(struct tls_reloc *c)
{
    struct x86_code code = code_of(c->sec);
    if (!x86_tls_desc_call_at(&code, c->r - c->sec->relas))
        return tls_error(c, "TLS descriptor call not of the form call *(%rax)");
    x86_tls_desc_call_to_nop(c->loc);
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
    if (x86_reloc_is_apx_gottpoff(ELF64_R_TYPE(c->r->r_info)))
        return initial_exec_slot(c);
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
                      type == R_X86_64_GOTTPOFF || type == R_X86_64_GOTPC32_TLSDESC ||
                      x86_reloc_is_apx_gottpoff(type) ? 0 : r->r_addend;
    if (!strcmp(sym->name, "_TLS_MODULE_BASE_"))
        module_base(&c);
    else if (type != R_X86_64_TLSLD && tls_locate(sym->addr + addend, &c.at) < 0)
        return tls_error(&c, sym->kind == SYM_UNDEF ? "undefined" : "not a thread-local variable");
    return apply_tls(&c, i);
}
