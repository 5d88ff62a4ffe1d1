/* The GOT and the call stubs of a link: which slots it has, what each
 * holds, and their bytes in the image. */
#include "jump.h"
#include "linker.h"
#include "util.h"

void add_got(struct link *ld, struct symbol *sym, enum got_kind kind)
{
    if (sym && kind != GOT_DTPMOD && kind != GOT_DTPOFF)
        sym->got = (int32_t)ld->ngot;
    ARRAY_PUSH(ld->got, ld->ngot, ld->capgot, ((struct got_entry){sym, kind, GOT_HOLD_NONE}));
}

uint64_t got_value(const struct link *ld, const struct got_entry *e)
{
    struct tls_place at = {0};
    switch (e->kind) {
    case GOT_ADDR: return e->sym->addr;
    case GOT_OWN_DTPMOD: return tls_own_block(ld, &at), at.modid;
    case GOT_ZERO: return 0;
    case GOT_TPOFF:
    case GOT_DTPMOD:
    case GOT_DTPOFF: break;
    }
    tls_locate(e->sym->addr, &at);
    return e->kind == GOT_TPOFF ? (uint64_t)at.tpoff : e->kind == GOT_DTPMOD ? at.modid : at.dtpoff;
}

uint64_t stub_target(const struct symbol *s)
{
    return s->call_addr ? s->call_addr : s->addr;
}

void write_got_and_stubs(struct link *ld)
{
    uint64_t *got = image_bytes(ld->image, ld->image->got);
    for (size_t i = 0; i < ld->ngot; i++)
        got[i] = got_value(ld, &ld->got[i]);
    for (size_t i = 0; i < ld->nstubs; i++) {
        const struct symbol *s = ld->stubs[i];
        x86_encode_stub(image_bytes(ld->image, ld->image->stubs + i * STUB_SIZE), stub_target(s));
    }
}
