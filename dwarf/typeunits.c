/* The merge: the first section outside any group first (in an object,
 * the compile unit's, so that the offsets its variables are found by
 * through relocations stay as they are in the file; a .dwo file has no
 * relocations, nor groups); then each other's, its relocations moved by
 * where it landed. libdwarf is to read the merged bytes in place of the
 * first section's, and the others not at all (debuginfo.c's edits of its
 * copy). */
#include "typeunits.h"

#include <string.h>

#include "uncompress.h"
#include "util.h"

/* One section named .debug_info, and its relocations. */
struct part {
    Elf_Scn *scn, *rela;
    uint64_t shdr_at, rela_shdr_at;
    bool grouped;
};

static const char *name_of(Elf *e, size_t shstrndx, const GElf_Shdr *sh)
{
    const char *name = elf_strptr(e, shstrndx, sh->sh_name);
    return name ? name : "";
}

/* Each .debug_info with its relocation section, the one outside any
 * group first; 0 if there is none such. */
static size_t find_parts(Elf *e, struct part *parts, size_t max)
{
    size_t shstrndx, n = 0;
    GElf_Ehdr eh;
    if (elf_getshdrstrndx(e, &shstrndx) < 0 || !gelf_getehdr(e, &eh))
        return 0;
    for (Elf_Scn *scn = NULL; n < max && (scn = elf_nextscn(e, scn));) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) && debug_section_is(name_of(e, shstrndx, &sh), ".debug_info"))
            parts[n++] = (struct part){scn, NULL, eh.e_shoff + elf_ndxscn(scn) * sizeof(Elf64_Shdr), 0,
                                       sh.sh_flags & SHF_GROUP};
    }
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(e, scn));) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA)
            continue;
        for (size_t i = 0; i < n; i++)
            if (sh.sh_info == elf_ndxscn(parts[i].scn) && !parts[i].rela) {
                parts[i].rela = scn;
                parts[i].rela_shdr_at = eh.e_shoff + elf_ndxscn(scn) * sizeof(Elf64_Shdr);
            }
    }
    for (size_t i = 0; i < n; i++)
        if (!parts[i].grouped) {
            struct part first = parts[i];
            memmove(&parts[1], &parts[0], i * sizeof *parts);
            parts[0] = first;
            return n;
        }
    return 0;
}

/* Add part's bytes and relocations to m; false if they cannot be read. */
static bool append(struct merged_info *m, const struct part *p)
{
    uint64_t size;
    uint8_t *bytes = section_copy(p->scn, &size);
    Elf_Data *d = p->rela ? elf_getdata(p->rela, NULL) : NULL;
    size_t nrelas = d && d->d_buf ? d->d_size / sizeof(Elf64_Rela) : 0;
    if (!bytes || size > SIZE_MAX - m->size)
        return xfree(bytes), false;
    m->bytes = xrealloc(m->bytes, m->size + size + 1);
    memcpy(m->bytes + m->size, bytes, size);
    xfree(bytes);
    m->relas = xrealloc(m->relas, (m->nrelas + nrelas + 1) * sizeof *m->relas);
    for (size_t i = 0; i < nrelas; i++) {
        Elf64_Rela r;
        memcpy(&r, (const char *)d->d_buf + i * sizeof r, sizeof r);
        r.r_offset += m->size;
        m->relas[m->nrelas++] = r;
    }
    m->size += size;
    return true;
}

static Elf64_Shdr header_of(Elf_Scn *scn)
{
    GElf_Shdr g = {0};
    gelf_getshdr(scn, &g);
    return (Elf64_Shdr){g.sh_name, g.sh_type, g.sh_flags, g.sh_addr, g.sh_offset, g.sh_size,
                        g.sh_link, g.sh_info, g.sh_addralign, g.sh_entsize};
}

bool debug_section_is(const char *name, const char *base)
{
    size_t n = strlen(base);
    return !strncmp(name, base, n) && (!name[n] || !strcmp(name + n, ".dwo"));
}

bool merge_info_sections(Elf *e, struct merged_info *m)
{
    size_t nsecs;
    *m = (struct merged_info){0};
    if (elf_getshdrnum(e, &nsecs) < 0 || nsecs < 2)
        return false;
    struct part *parts = xcalloc(nsecs, sizeof *parts);
    size_t n = find_parts(e, parts, nsecs);
    bool relocated = false;
    for (size_t i = 0; i < n; i++)
        relocated |= parts[i].rela != NULL;
    bool ok = n > 1 && (parts[0].rela || !relocated); /* a .dwo file has no relocations */
    m->hide = xcalloc(2 * n + 1, sizeof *m->hide);
    for (size_t i = 0; ok && i < n; i++) {
        ok = append(m, &parts[i]);
        if (i > 0) {
            m->hide[m->nhide++] = parts[i].shdr_at;
            if (parts[i].rela)
                m->hide[m->nhide++] = parts[i].rela_shdr_at;
        }
    }
    if (ok) {
        m->info_hdr = header_of(parts[0].scn);
        m->info_hdr.sh_flags &= ~(uint64_t)SHF_COMPRESSED;
        m->info_hdr.sh_size = m->size;
        m->info_hdr.sh_addralign = 1;
        m->info_hdr_at = parts[0].shdr_at;
        if (parts[0].rela) {
            m->rela_hdr = header_of(parts[0].rela);
            m->rela_hdr.sh_size = m->nrelas * sizeof(Elf64_Rela);
            m->rela_hdr_at = parts[0].rela_shdr_at;
        }
    } else {
        merged_info_free(m);
    }
    xfree(parts);
    return ok;
}

void merged_info_free(struct merged_info *m)
{
    xfree(m->bytes);
    xfree(m->relas);
    xfree(m->hide);
    *m = (struct merged_info){0};
}
