/* The in-memory linker's data model, shared by its passes:
 *
 *   passes.c       the pipeline: read -> resolve -> lay out -> relocate -> publish
 *   link.c         a link's records, and what frees them
 *   input.c        open FILE / -lNAME arguments: objects, archives, scripts, DSOs
 *   file.c         an input file's bytes and stat data
 *   object.c       read and validate one ELF relocatable object (libelf)
 *   archive.c      index an ar archive and extract members on demand
 *   dso.c          shared libraries, through dlopen/dlsym
 *   symtab.c       the global symbol table and its resolution rules
 *   comdat.c       COMDAT groups and .gnu.linkonce: keep the first copy
 *   resolve.c      pull archive members to a fixpoint, then bind to DSOs
 *   layout.c       output sections, segments, GOT and call stubs, addresses
 *   memory.c       the address-space region images are placed in
 *   relocate.c     apply relocations (their arithmetic: x86_64/reloc.c)
 *   tls_relocate.c thread-local relocations (relaxed by x86_64/tls_relax.c)
 *   got.c          GOT slots and call stubs
 *   tls.c          the thread-local block of a link, loaded as a module
 *   ifunc.c        call STT_GNU_IFUNC resolvers
 *   ehframe.c      register unwind tables with libgcc
 *   ehframehdr.c   the sorted index of those tables that file readers use
 *   initfini.c     constructor and destructor lists, in ld's order
 *   binds.c        places whose variables live elsewhere (a reload's)
 *   functions.c    an object's functions as laid out
 *   objdwarf.c     an object's DWARF, read once (dwarf/)
 *
 * The passes know nothing of reloads: a reload's link differs only by
 * the data and hooks its options carry (struct link_hooks).
 *
 * Ownership: a struct link owns every object, archive and section record it
 * creates; the struct image it produces owns the mapped memory. */
#ifndef HOTLD_LINKER_H
#define HOTLD_LINKER_H

#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "psabi.h"
#include "strmap.h"


struct dl_phdr_info;
struct object;
struct outsec;

/* What stat says of a file: if none of it changed, neither did the file
 * (as git assumes), and a reload need not read it again. */
struct file_stamp {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
};

/* An input file's bytes: read into memory, or mapped for installed files. */
struct file_data {
    char *bytes;
    size_t size;
    bool mapped;
    bool kept;                  /* a mapping mapped.c keeps: never released */
    struct file_stamp stamp;
    struct later *later;        /* debug sections not read yet (later.c) */
};

/* thinar.c: a thin archive's bytes made a whole archive's (its members'
 * bytes read from their files); -1 with fail(). */
int thin_archive_whole(const char *path, struct file_data *f);

struct section {
    struct object *obj;
    const char *name;
    uint32_t index;
    uint32_t type;
    uint64_t flags, size, align;
    const uint8_t *data;        /* file bytes; NULL for SHT_NOBITS */
    const Elf64_Rela *relas;    /* relocations that patch this section */
    size_t nrelas;
    struct outsec *out;         /* output section; NULL if not loaded */
    uint64_t out_offset;        /* offset within out */
    uintptr_t addr;             /* load address, once laid out */
    int priority;               /* init/fini: numeric suffix, 65536 if none */
    bool reversed;              /* .ctors/.dtors: entries run last to first */
    bool discarded;             /* a COMDAT group kept elsewhere */
    const struct section *kept; /* discarded: the kept group's section of
                                   this name, if it has one */
    struct var_bind *binds;     /* data kept from an earlier version */
    size_t nbinds, capbinds;
    bool storage_unused;        /* every reference goes to kept data */
    bool deferred;              /* has relocations for a later pass */
    bool read_later;            /* a debug section: object_read_later reads it */
    uint8_t *uncompressed;      /* a compressed one's bytes, uncompressed */
    uint64_t uncompressed_size; /* (object_debug_bytes) */
    uint64_t tls_offset;        /* SHF_TLS: offset in its link's TLS block */
};

/* A variable of a data section whose storage is elsewhere: relocations
 * that reach [start, end) of the section through its section symbol are
 * moved by delta. */
struct var_bind {
    uint64_t start, end;
    int64_t delta;
};

enum sym_kind {
    SYM_UNDEF,    /* referenced, not (yet) defined */
    SYM_DEFINED,  /* in a section of a loaded object, or absolute */
    SYM_COMMON,   /* tentative definition, allocated in .bss */
    SYM_DSO,      /* provided by a shared library */
    SYM_LINKER,   /* synthesized by the linker (__start_X, GOT, ...) */
    SYM_EXTERNAL, /* outside this link at a fixed address: an earlier
                     generation of a reloaded program, or hotld itself */
};

struct symbol {
    const char *name;
    enum sym_kind kind;
    uint8_t bind, type;         /* STB_*, STT_* */
    struct object *file;        /* defining object (DEFINED, COMMON) */
    struct section *sec;        /* NULL for absolute symbols */
    uint64_t value, size;
    uint64_t align;             /* COMMON: required alignment */
    uintptr_t addr;             /* final address: what &sym gives */
    uintptr_t call_addr;        /* where calls go, if not addr: a reloaded
                                   function keeps its first address */
    const char *dso;            /* SYM_DSO: library that provides it */
    struct object *referrer;    /* first object that needed it */
    int32_t got;                /* GOT slot, -1 if none: the address, or
                                   for a TLS symbol its offset from the
                                   thread pointer (initial exec) */
    int32_t tls_got;            /* first of two GOT slots, module id and
                                   offset (general dynamic); -1 if none */
    int32_t stub;               /* call stub, -1 if none */
    bool hidden;                /* hidden or internal in some object (the
                                   strictest visibility wins): not exported */
    bool visited;               /* resolve.c: already looked up */
    bool stub_is_address;       /* a library function whose address -fno-pie
                                   code takes in 32 bits: its stub is what
                                   &sym gives, everywhere in the link */
    bool global;                /* an entry of the global symbol table */
};

/* A function as laid out in one version of an object, for redirecting
 * its callers when a later version replaces it. */
struct func {
    const char *name;
    /* Who it is across versions: its name, and which of the object's
     * functions of that name it is (an ld -r object holds several files,
     * each with its own static 'helper'). Owned. */
    char *id;
    uintptr_t body;
    uint64_t size;
    uint64_t room;              /* bytes until the next symbol or section end */
    const uint8_t *bytes;       /* its bytes in the file, before relocation */
    const struct section *sec;  /* where it is in its object */
    uint64_t offset;
    const Elf64_Rela **relas;   /* those that patch it, in offset order */
    size_t nrelas;
    /* reload/redirect.c, once asked: does a branch in it lead back into
     * its first bytes? 0: not asked, 1: no, 2: yes */
    uint8_t loops_back;
    uint32_t symbol;            /* its index in the object's symbol table */
};

struct object {
    char *name;                 /* "a.o" or "libz.a(deflate.o)" */
    struct link *link;          /* the link (generation) that loaded it */
    struct func *funcs;         /* functions.c, computed on first use */
    size_t nfuncs;
    uint32_t *funcs_by_name;    /* functions.c: funcs' indexes sorted by */
    uint32_t *funcs_by_id;      /* name and by id, made when first asked */
    bool funcs_known;
    uint32_t *places;           /* places.c: symbols by place, once asked */
    size_t nplaces;
    struct debug_info *dwarf;   /* objdwarf.c, read on first use */
    bool dwarf_known;
    Elf *elf;
    struct file_data file;      /* contents we own (empty for members) */
    struct section *secs;
    size_t nsecs;
    struct symbol **syms;       /* by ELF symbol index; locals are private */
    size_t nsyms;
    struct section *common;     /* synthetic .bss section for its commons */
    bool needs_low;             /* has 32-bit absolute relocations */
    bool tls_ld_kept;           /* a local-dynamic TLS sequence could not
                                   be relaxed, so none of its are */
    bool superseded;            /* replaced or removed by a reload */
    bool added;                 /* new in a reload (not a replacement) */
    uint64_t hash;              /* content hash, once computed */
    bool hashed;
};

struct archive {
    char *name;
    struct file_data file;
    Elf *elf;
    uint64_t hash;              /* content hash, once computed */
    bool hashed;
    Elf_Arsym *arsyms;          /* the symbol index in its order (libelf's) */
    size_t narsyms;
    struct strmap pulled;       /* member offset -> object, as hex key */
    struct strmap twins;        /* member offset (hex) -> its rank among
                                   members of its name, from the second:
                                   "lib.a(foo.o#2)" */
    bool of_runtime;            /* added for a language's runtime (resolve.c) */
};

/* A loaded library's dynamic tables, as its dynamic section gives them
 * (ld.so's, mapped: dynrefs.c). */
struct library_tables {
    Elf64_Sym *syms;
    const char *strs;
    const Elf64_Rela *rela[2];  /* DT_RELA, DT_JMPREL */
    size_t nrela[2];
    const uint32_t *sysv_hash, *gnu_hash;
    const uint16_t *versym;     /* NULL: no versions */
};

/* A name to look up in libraries, hashed once for all of them (the SysV
 * hash only if a library has no GNU one). */
struct library_key {
    const char *name;
    uint32_t gnu, sysv;
    bool sysv_known;
};

struct dso {
    char *path;
    void *handle;               /* NULL until opened (AS_NEEDED) */
    bool as_needed;
    bool wants_noted;           /* exports.c read what it refers to */
    uintptr_t span_lo, span_hi; /* its segments, once dso_holds asked */
    struct library_tables tables; /* once dso_own_definition asked */
    uintptr_t base;
    bool tables_read;
};

enum segment { SEG_TEXT, SEG_RODATA, SEG_RELRO, SEG_DATA, NSEGMENTS };

struct outsec {
    const char *name;
    enum segment seg;
    uint32_t type;
    bool nobits;
    struct section **in;
    size_t nin, capin;
    uint64_t size, align;
    uintptr_t addr;
};

/* What a GOT slot holds. */
enum got_kind {
    GOT_ADDR,       /* the symbol's address */
    GOT_TPOFF,      /* TLS: offset from the thread pointer */
    GOT_DTPMOD,     /* TLS: module id of the symbol's block */
    GOT_DTPOFF,     /* TLS: offset in that block */
    GOT_OWN_DTPMOD, /* TLS: module id of the link's own block (local dynamic) */
    GOT_ZERO,
};

/* A reload's hold on a slot whose symbol it removed (commit.c): the slot
 * keeps the removed definition's address, for replaced code that reads it. */
enum got_hold {
    GOT_HOLD_NONE,
    GOT_HOLD_ALWAYS,          /* only replaced code reads it */
    GOT_HOLD_WHILE_UNDEFINED, /* a live weak reference too */
};

struct got_entry {
    struct symbol *sym;
    enum got_kind kind;
    enum got_hold hold;
};

/* What a reload does with a variable whose old value cannot simply follow
 * its new type (--on-conflict). */
enum conflict_policy { CONFLICT_RESET, CONFLICT_KEEP, CONFLICT_ABORT, CONFLICT_ASK, CONFLICT_MIGRATE };

/* Where a reload looks for pointers into storage it moves
 * (--rewrite-pointers): all of the program's writable memory, only its
 * data sections, or nowhere. */
enum pointer_reach { POINTERS_ALL, POINTERS_DATA, POINTERS_NONE };

struct link_input {
    const char *arg;            /* as given: path or "-lNAME" */
    bool is_lib;
};

/* How a reload's link differs from a first link: the running program's
 * records answer these (reload/incremental.c). The passes call them only
 * in a link whose options have them, and know nothing else of reloads. */
struct link_hooks {
    /* read: does the running program have this input as it is? (It is
     * then skipped, and noted as still present.) stamp may be NULL. */
    bool (*unchanged)(struct link *ld, const char *name, uint64_t hash, const struct file_stamp *stamp);
    /* read: does the input's stat data say it has not changed? */
    bool (*same_stamp)(struct link *ld, const char *path);
    /* read: an archive: which of its members the program loaded changed */
    int (*archive)(struct link *ld, struct archive *ar);
    /* read: the running program's object that defines name, if it stays
     * in this link (so far as the link has read); else NULL */
    struct object *(*defined_by_staying)(struct link *ld, const char *name);
    /* resolve, first: the running program's objects this link replaces */
    void (*supersede)(struct link *ld);
    /* resolve: bind an undefined symbol to the running program's
     * definition; false if it has none to give */
    bool (*bind)(struct link *ld, struct symbol *s);
    /* resolve, last: refuse to drop a definition unchanged code uses */
    int (*check_references)(struct link *ld);
};

struct link_options {
    struct link_input *inputs;
    size_t ninputs;
    struct strmap *host;        /* symbols hotld provides: name -> address */
    struct link *live;          /* reload: the running program's link */
    const struct link_hooks *hooks; /* reload: how the passes consult it */
    struct strmap *clean;       /* reload: input paths known not to have
                                   changed (no need to stat them) */
    bool only_changed;          /* reload: the inputs are the program's own,
                                   less those known unchanged; nothing is
                                   removed */
    /* reload asked for by a command: open a file as that command would,
     * with its own credentials (it opens the file and passes the
     * descriptor); -1 with fail() if it cannot. NULL: open it here. */
    int (*open_file)(void *ctx, const char *path);
    void *open_ctx;
    struct strmap *override;    /* rollback: object path -> the struct object
                                   whose bytes to link instead of the file's */
    const char **libdirs;       /* -L, searched before the system dirs */
    size_t nlibdirs;
    const char *entry;
    /* A check, not a program: lay out and relocate into pages of its own,
     * anywhere, and run and register nothing (no TLS module for ld.so, no
     * IFUNC resolver called: each resolver stands for its symbol). The
     * fuzz targets link this way. */
    bool scratch;
    /* the program's dynamic symbols (exports.c): none, as a linked
     * executable without -rdynamic has (but for what its libraries use),
     * all of them (-rdynamic), or those --dynamic-list names */
    enum { EXPORT_NONE, EXPORT_ALL, EXPORT_LIST } exports;
    char **dynamic_list;        /* EXPORT_LIST: names and glob patterns */
    size_t ndynamic_list;
    enum conflict_policy on_conflict; /* reload: see databind.c */
    enum pointer_reach rewrite_pointers; /* reload: see pointerscan.c */
    /* reload: the variables a reloading command's --reset names, which
     * start again from their new initial values (databind.c); objects
     * that define one are linked again even if unchanged (incremental.c) */
    const char **reset;
    size_t nreset;
    bool report_each;           /* reload: the report lists every variable (-v) */
    int reload_timeout_ms;      /* reload: this request's, 0: the session's */
    /* CONFLICT_ASK: put the question to the user; returns one of the
     * letters in choices, or 0 if there is no answer. */
    char (*ask)(void *ctx, const char *question, const char *choices);
    void *ask_ctx;
};

/* One image a debugger reads (gdb/elfimage.c, gdb/jit.c): of objects
 * [first, first + n) of a generation. Session-owned (reload/debugswap.c). */
struct debug_chunk {
    void *image, *entry;
    size_t first, n;
    bool stale;                 /* to be made again */
    bool compressed;            /* its DWARF is (gdb/compress.c) */
    bool whole;                 /* compressing it would not gain */
};

/* Everything one link knows. */
struct link {
    const struct link_options *opts;
    struct object **objs;
    size_t nobjs, capobjs;
    struct archive **archives;
    size_t narchives, caparchives;
    struct dso **dsos;
    size_t ndsos, capdsos;
    char **searchdirs;          /* for -lNAME */
    size_t nsearchdirs, capsearchdirs;
    struct strmap symtab;       /* name -> struct symbol */
    struct strmap groups;       /* COMDAT signature -> owning object */
    struct symbol **undefs;     /* worklist of strong undefined symbols */
    size_t nundefs, capundefs;
    struct section **commons;   /* synthetic sections for COMMON symbols */
    size_t ncommons, capcommons;
    struct outsec **outsecs;
    size_t noutsecs, capoutsecs;
    struct got_entry *got;      /* GOT slots in order */
    size_t ngot, capgot;
    int32_t tls_ld_got;         /* local dynamic: first of two slots, or -1 */
    struct symbol **stubs;      /* call stubs in order */
    size_t nstubs, capstubs;
    bool low;                   /* image must sit below 2 GiB */
    struct debug_chunk *debug;  /* what a debugger reads of this generation: */
    size_t ndebug;              /* one image, or several once it is split */
    struct strmap seen;         /* reload: input keys met, unchanged or not */
    struct object **live_members; /* reload: the running program's archive */
    size_t nlive_members;       /* members, listed when first asked */
    bool live_members_listed;
    struct object **superseded; /* reload: live objects it replaces or drops */
    size_t nsuperseded, capsuperseded;
    struct strmap by_name;      /* object name -> its current version */
    struct strmap archives_by_name; /* archive path -> struct archive */
    struct image *image;
    /* reload.c: lay the image out where this earlier one is, and write it
     * to pages of its own (a rehearsal: is it the same image?) */
    const struct image *rehearse_at;
};

/* The loaded result of a link. */
struct image {
    uintptr_t base;
    size_t size;
    uintptr_t seg_start[NSEGMENTS], seg_end[NSEGMENTS];
    uintptr_t got, stubs;
    uintptr_t eh_frame_hdr;     /* the unwind tables' index; 0 if none */
    size_t eh_frame_hdr_size;
    uintptr_t entry;
    uintptr_t *preinit, *init, *fini;
    size_t npreinit, ninit, nfini;
    uintptr_t *eh_frames;       /* registered .eh_frame pieces */
    size_t neh_frames, capeh_frames;
    struct tls_module *tls;     /* its thread-local block, if it has one */
    /* Where its bytes are written, less where they run: 0, but for a
     * rehearsal (link.rehearse_at), whose bytes go to pages of their own
     * and never run. */
    intptr_t bias;
    bool own_pages;             /* mapped apart from the regions (a rehearsal's
                                   or a scratch link's): unmapped on release */
    bool ran;                   /* its code ran (a reload's constructors, and
                                   atexit may call their destructors): never
                                   released */
};

/* The bytes of the image at addr, as the link writes and reads them. */
static inline void *image_bytes(const struct image *im, uintptr_t addr)
{
    return (void *)(addr + im->bias);
}

/* input.c */
int link_add_inputs(struct link *ld);
int link_add_path(struct link *ld, const char *path, bool installed, bool as_needed);
int link_add_file(struct link *ld, const char *path, struct file_data f, bool as_needed);
int link_add_lib(struct link *ld, const char *name);
/* f: the file's bytes, read (or, map: mapped, for the library path's
 * files); -1 with fail(). */
int link_read_file(const struct link *ld, const char *path, bool map, struct file_data *f);

/* prefetch.c: a first link's command-line files read on every core,
 * added in order by prefetch_add; NULL when the link reads in order (a
 * reload, few files, one core). */
struct prefetch;
struct prefetch *prefetch_start(struct link *ld);
int prefetch_add(struct prefetch *p, size_t input);
void prefetch_end(struct prefetch *p);
bool link_has_lib(struct link *ld, const char *name); /* -lNAME would be found */
/* resolve.c: the archives of language runtimes program was linked with,
 * for its reload's link, which binds to the running program's
 * definitions but must keep the members they gave it (gccgo's main, in
 * libgobegin.a): a runtime's shared libraries need nothing again */
int link_add_runtime_archives_of(struct link *ld, const struct link *program);

/* file.c */
void file_stamp_of(const struct stat *st, struct file_stamp *stamp);
bool file_stamp_equal(const struct file_stamp *a, const struct file_stamp *b);
void file_release(struct file_data *f);
/* Read len bytes at off: 0, or -1 with errno (0 if the file ended first). */
int file_pread(int fd, char *buf, size_t len, uint64_t off);

/* later.c: an object file read but for its debug sections, which are
 * read after the program starts. later_read reads the file open on the
 * absolute path into f->bytes (f->size + 1 bytes): all of it, or, with
 * f->later set, all but its debug sections; -1 with errno if a read
 * failed. later_fill reads the rest into bytes, if the file at the path
 * is still as stamp says: 1; 0 if not (the debug sections are zeroed, for
 * good); -1 if background work (base/background.h) was cut short by exit
 * meanwhile (they stay to be read). */
/* later_deferred: is a section of this name, flags and type a debug
 * section, read after main starts? applied_flags: a relocation section's
 * target's flags (0 for other sections). */
bool later_deferred(const char *name, uint64_t flags, uint32_t type, uint64_t applied_flags);
int later_read(int fd, const char *path, struct file_data *f);
bool later_pending(const struct later *l);
int later_fill(struct later *l, char *bytes, const struct file_stamp *stamp);
bool later_lost(const struct later *l);
void later_free(struct later *l);

/* mapped.c: the mapping of path kept from an earlier link, if stat
 * still finds the same file there. */
bool mapped_file_kept(const char *path, struct file_data *f);
/* Keep f, just mapped from path, for later links (f->kept). */
void mapped_file_keep(const char *path, struct file_data *f);

/* object.c */
struct object *object_read(const char *name, Elf *elf);
uint64_t object_hash(struct object *obj);
int object_check_relocs(struct object *obj);
const Elf64_Sym *object_raw_symbols(const struct object *obj, size_t *n);
/* The object's ELF file as read (an archive member's too); NULL once
 * retired, or if its debug sections could not be read (later.c). */
const char *object_bytes(const struct object *obj, size_t *size);
/* Read obj's debug sections now if they were left for later; false if
 * they cannot be (the file changed first). */
bool object_read_later(const struct object *obj);
const void *object_section_bytes(const struct object *obj, size_t i);
/* Debug section i's bytes as DWARF readers want them, and how many: a
 * zlib-compressed one (gcc -gz) uncompressed. NULL if there are none, or
 * they cannot be read. */
const void *object_debug_bytes(struct object *obj, size_t i, uint64_t *size);
bool section_is_loadable(const struct section *s);

/* archive.c: installed says the archive is the system's (in gcc's library
 * directories), trusted to be whole, with no two members of one name. */
struct archive *archive_open(const char *name, struct file_data file, Elf *elf, bool installed);
struct object *archive_extract(struct archive *ar, size_t offset, bool *fresh);
bool archive_has_pulled(const struct archive *ar, size_t offset);
/* "lib.a(foo.o)", or "lib.a(foo.o#2)" for the second member of that name;
 * to free. */
char *archive_member_name(const struct archive *ar, size_t offset, const char *header_name);
/* fn(ar, offset, ctx) for each member the symbol index names, in its
 * order, once per run of entries naming it; stops at fn's first
 * non-zero answer, and returns it. */
int archive_each_indexed_member(struct archive *ar, int (*fn)(struct archive *ar, size_t offset, void *ctx),
                                void *ctx);
bool archive_member_defines(struct archive *ar, size_t offset, const char *name);
uint64_t archive_hash(struct archive *ar);
void archive_release_if_unused(struct archive *ar);

/* modules.c: each committed image, as dl_iterate_phdr lists it */
void modules_publish(const struct link *ld);
void modules_name(const struct link *ld, const char *path);
const char *modules_path(const struct link *ld); /* NULL: no file */
void modules_forget(const struct link *ld);

/* dso.c */
struct dso *dso_new(const char *path, bool as_needed);
/* Libraries the last failed load needed loaded as the process started,
 * as LD_PRELOAD lists them (start hotld again with them preloaded), or
 * NULL: a sanitizer's runtime, which must be the first library (first),
 * or a library whose thread-local variables the program's code reaches
 * at fixed offsets from the thread pointer (initial exec), which only a
 * library loaded at the start has. */
void dso_preload_at_start(const char *path, bool first);
const char *dso_libraries_to_preload(void);
void *dso_lookup(struct dso *dso, const char *name, bool open_as_needed);
/* Does the library itself define name, where dlsym would find it? Found
 * through its hash table, for what costs no dlsym: DSO_DEFINES (*addr:
 * where), DSO_LACKS (dlsym would find no entry of its own), DSO_ASK
 * (only dlsym can tell: an IFUNC, a versioned name, several versions,
 * a definition hidden for the program's). */
enum dso_own { DSO_DEFINES, DSO_LACKS, DSO_ASK };
enum dso_own dso_own_definition(struct dso *d, struct library_key *key, void **addr);
bool dso_holds(struct dso *d, const void *p);
bool is_code_address(uintptr_t addr);
void *dso_interpose(const char *name, void *p);

/* symtab.c */
int symtab_add_object(struct link *ld, struct object *obj);
struct symbol *symtab_get(struct link *ld, const char *name);
void symbol_take_definition(struct symbol *g, const struct symbol *l);

/* resolve.c */
int link_resolve(struct link *ld);

/* layout.c */
#define CODE_PADDING 8
#define DATA_GAP 8
int link_layout(struct link *ld);
uint64_t padding_after(const struct section *s);
int segment_prot(enum segment seg);
void segment_pages(const struct image *im, enum segment seg, uintptr_t *start, uintptr_t *end);
int link_bind_linker_symbols(struct link *ld);
bool is_linker_defined(const char *name);

/* memory.c */
uintptr_t region_alloc(size_t *size, bool low, bool huge);
size_t region_room(bool low);
int region_protect(uintptr_t addr, size_t size, int prot);
void region_prefault(uintptr_t addr, size_t size);
void region_release(uintptr_t addr, size_t size);
void region_span(bool low, uintptr_t *lo, uintptr_t *hi);
void image_release(struct image *im);
/* Once a reload knows which storage nothing uses (every variable there
 * kept elsewhere): the data segment ends before the pages at its end that
 * hold only such storage (what the debugger is told)... */
uintptr_t image_mark_unused(struct link *ld);
/* ...and after the commit those pages are given back, and the next image
 * is laid out there. */
void image_trim_unused(struct link *ld);
uintptr_t rehearsal_alloc(size_t size);

/* relocate.c */
/* Which relocations a pass applies: a link's are applied in three (the
 * thread-local ones need the TLS block loaded, references to an IFUNC
 * the resolver run). */
enum reloc_pass { RELOC_PLAIN, RELOC_TLS, RELOC_IFUNC };
int relocate_section(struct link *ld, struct section *sec, enum reloc_pass pass);
/* Symbols whose addresses a reload changed, with the addresses they had. */
struct moved_set {
    struct symbol **syms;
    uintptr_t *was;
    size_t n;
};
bool moved_set_has(const struct moved_set *m, const struct symbol *s, uintptr_t *was);
/* In a live section, apply again only the relocations that reach a moved
 * symbol: every other field may hold what the program wrote there since
 * (a pointer it changed), and keeps it. In writable data, a field that
 * reaches one is relocated again only if it still holds what the
 * relocation made of the old address. A field at an offset leave() names
 * (if given) is left as it is. Reaches neither the dynamic linker
 * nor malloc for symbols a link defines, so it can run with the
 * program's threads parked. */
int relocate_references(struct link *ld, struct section *sec, const struct moved_set *m,
                        bool (*leave)(const struct section *sec, uint64_t offset));
/* Does the loaded section sec read a GOT slot of s now: a GOT-relative
 * relocation the link did not relax, or a thread-local one (taken as
 * reading, relaxed or not)? */
bool section_reads_got_of(const struct section *sec, const struct symbol *s);

/* got.c */
void add_got(struct link *ld, struct symbol *sym, enum got_kind kind);
uint64_t got_value(const struct link *ld, const struct got_entry *e);
/* Where a call through s's stub goes. */
uint64_t stub_target(const struct symbol *s);
void write_got_and_stubs(struct link *ld);

/* tls_relocate.c */
void tls_check_sequences(struct object *obj);
void tls_allocate_got(struct link *ld, const struct section *sec, size_t i, struct symbol *s);
int relocate_tls(struct link *ld, struct section *sec, size_t *i);

/* tls.c */
struct tls_place {
    size_t modid;               /* the module (DTPMOD) */
    uint64_t dtpoff;            /* offset within its block (DTPOFF) */
    int64_t tpoff;              /* offset from the thread pointer (TPOFF) */
    bool is_static;             /* at the same tpoff in every thread */
};
int tls_publish(struct link *ld);
void tls_unpublish(struct link *ld);
int tls_locate(uintptr_t addr, struct tls_place *out);
void tls_own_block(const struct link *ld, struct tls_place *out);
/* The link's block as a PT_TLS segment shows it: the address of its
 * initialization image (0 if it has no block), its size and alignment. */
uintptr_t tls_own_segment(const struct link *ld, struct tls_place *place, uint64_t *size, uint64_t *align);
uintptr_t tls_section_address(const struct section *s);
int tls_first_module(struct tls_place *out);
size_t tls_room_wanted(void);   /* static TLS the last failed load needed */

/* ifunc.c */
bool is_own_ifunc(const struct link *ld, const struct symbol *s);
int ifunc_resolve(struct link *ld); /* 1 if resolvers ran, 0 if none, -1 */

/* binds.c: places of a section whose variables live elsewhere */
void add_bind(struct section *sec, uint64_t start, uint64_t end, int64_t delta);
/* The byte offsets within its target section that relocation r (in
 * section from) may reach, relative to its symbol: exactly one, unless the
 * instruction around a RIP-relative displacement cannot be decoded. */
size_t reloc_target_offsets(const struct section *from, const Elf64_Rela *r, int64_t out[4]);
/* The delta of the bind of sec that covers offset off, if any. */
bool bind_delta_at(const struct section *sec, int64_t off, int64_t *delta);
/* The delta for relocation r of section from, which reaches target
 * through its section symbol; false if no bind covers what it reaches. */
bool bind_delta_of_reloc(const struct section *from, const Elf64_Rela *r, const struct section *target,
                         int64_t *delta);

/* objdwarf.c: its DWARF (dwarf/typeinfo.h), read on first use and kept
 * while its bytes are; NULL without -g. Owned by the object. */
struct debug_info;
struct debug_info *object_dwarf(struct object *obj);
void object_dwarf_free(struct object *obj);
/* In a forked process: what it inherited is read again when asked for. */
void link_forget_dwarf(struct link *ld);
/* A split object's .dwo file is rewritten in place when it is rebuilt:
 * the DWARF of every split object of ld is read now, while its .dwo is
 * still the one it was built with, so that the first reload that replaces
 * it has its types. */
void link_read_split_dwarf(struct link *ld);

/* functions.c */
const struct func *object_functions(struct object *obj, size_t *n);
const struct func *object_function(struct object *obj, const char *name);
/* obj's function that is f (of another version): the same id. */
const struct func *object_function_like(struct object *obj, const struct func *f);
void object_functions_free(struct object *obj);
/* How obj itself binds its symbol i (the live entry may say otherwise). */
uint8_t object_binding(const struct object *obj, size_t i);

/* places.c: the index of obj's named variable or function that holds
 * offset `at` of its section shndx (the one that starts last at or before
 * it); 0 if none does. */
size_t object_symbol_holding(struct object *obj, size_t shndx, uint64_t at);
void object_places_free(struct object *obj);

/* relaorder.c: an object's relocations by section, in offset order, each
 * section's sorted when first asked. A zeroed one is empty; asked about
 * another object's section, it starts again for that object. */
struct rela_order {
    const struct object *obj;
    const Elf64_Rela ***by_section;
};
/* Those of sec's relocations that patch [from, to), n of them. */
const Elf64_Rela *const *relas_within(struct rela_order *o, const struct section *sec, uint64_t from,
                                      uint64_t to, size_t *n);
void rela_order_free(struct rela_order *o);

/* comdat.c */
int comdat_select(struct link *ld, struct object *obj);

/* ehframe.c */
bool section_is_unwind_table(const struct section *s);
/* Register the link's tables with libgcc; sort_unwind_tables sorts every
 * table registered, before any unwinding that must not allocate. */
void register_eh_frames(struct link *ld);
void deregister_eh_frames(struct link *ld);
void sort_unwind_tables(void);

/* ehframehdr.c */
size_t eh_frame_hdr_size(const struct link *ld);
void write_eh_frame_hdr(struct link *ld);

/* initfini.c */
void collect_init_fini(struct link *ld);
void run_init(const struct image *im, int argc, char **argv, char **envp);
/* The constructors of the objects of ld that take says yes to, in the
 * order run_init would run them: a malloc'd list in *fns, and how many. */
size_t init_functions_of(const struct link *ld, bool (*take)(const struct object *obj, void *ctx), void *ctx,
                         uintptr_t **fns);
void run_fini(const struct image *im);

/* link.c: a link's records */
struct link *link_new(const struct link_options *opts);
void link_free(struct link *ld);
void link_trim(struct link *ld);
void object_retire(struct object *obj);
int link_add_object(struct link *ld, struct object *obj);
/* Every member each archive's symbol index names, as if each were needed
 * (what `size libz.a` shows; the fuzz target's link); stops at the first
 * that cannot be added. */
int link_add_all_members(struct link *ld);
/* The objects of ld as they are now (by_name), sorted by name; to free. */
struct object **link_current_objects(const struct link *ld, size_t *n);

/* exports.c: the program's dynamic symbols, published to ld.so */
/* Publish what ld exports (again after each reload: addresses change,
 * names come and go), then interpose.c's binding of libraries to it. A
 * reload names its link (changed): only what that defines can be new. */
int exports_publish(struct link *ld, const struct link *changed);
/* A stand-in for name, which a library refers to as data before the
 * program is laid out; exports_publish gives it the program's address. */
int exports_stand_in(const char *name);
bool exports_is_object(uintptr_t base);  /* an exports object's l_addr */
bool exports_has_entry(const char *name); /* published, defined or not */
/* interpose.c */
void interpose_note_startup(void);
int interpose_on_libraries(void);
/* A library loaded by a link or by the program, which binds to the
 * program's definitions: neither one the process started with (hotld's
 * own, or preloaded) nor an exports object. */
bool interpose_is_program_library(const struct dl_phdr_info *info);
/* The definition of name in the library handle that the program's hid */
void *interpose_hidden(void *handle, const char *name);
/* Is this library entry one hidden for the program's definition? */
bool interpose_hid(const Elf64_Sym *entry);
size_t exports_count(void);
bool exports_has(const char *name); /* exported now */
/* fn(name, ctx) for each name exported now, in no particular order */
void exports_each(void (*fn)(const char *name, void *ctx), void *ctx);
/* name as the exports' mapped string table holds it, for the process's
 * life (exports objects are never closed); NULL if not exported now. */
const char *exports_name(const char *name);
/* dynrefs.c: a loaded library's dynamic symbols and relocations, from its
 * dynamic section (ld.so's tables, mapped). */
struct library_tables library_tables(const Elf64_Dyn *dynamic, uintptr_t base);
/* fn(name, its symbol entry, relocation, ctx) for each relocation against
 * a symbol, defined there or not */
typedef void library_ref_fn(const char *name, const Elf64_Sym *s, const Elf64_Rela *r, void *ctx);
void library_each_reference(const Elf64_Dyn *dynamic, uintptr_t base, library_ref_fn *fn, void *ctx);
/* fn(name, its entry (in the library's read-only pages), ctx) for each
 * global or weak, default-visibility definition */
typedef void library_def_fn(const char *name, Elf64_Sym *s, void *ctx);
void library_each_definition(const Elf64_Dyn *dynamic, uintptr_t base, library_def_fn *fn, void *ctx);
struct library_key library_key(const char *name);
/* fn for each entry called key's name, found through the hash table as
 * ld.so finds it (defined or not; none in a library without one) */
void library_each_named(const struct library_tables *t, struct library_key *key, library_def_fn *fn, void *ctx);
/* How many entries its .dynsym has (0 without a hash table to say) */
size_t library_symbol_count(const struct library_tables *t);
/* A global or weak, default-visibility definition: one ld.so binds to. */
bool library_is_visible_definition(const Elf64_Sym *s);
/* Not a hidden version (name@V, where name@@V is the default) */
bool library_is_default_version(const struct library_tables *t, const Elf64_Sym *s);
const Elf64_Dyn *library_dynamic(const struct dl_phdr_info *info);
/* The protection of the library's page at addr (PROT_READ in RELRO), and
 * a write to a page of that protection, which it keeps. */
int library_page_prot(const struct dl_phdr_info *info, uintptr_t addr);
int library_write(void *at, const void *bytes, size_t n, int prot);
/* dynlist.c: --dynamic-list FILE */
int dynamic_list_read(struct link_options *o, const char *path);

/* passes.c: the pipeline */
int link_load(struct link *ld);     /* all the passes below, in order */
int link_build(struct link *ld);    /* read, then resolve and lay out */
int link_read(struct link *ld);
int link_resolve_and_lay_out(struct link *ld);
/* Relocate into the image, whose pages stay writable until link_protect
 * (a reload rewrites some code of its own in between: reload/funcaddr.c). */
int link_relocate(struct link *ld);
int link_protect(struct link *ld);  /* each segment's protection */
void link_publish(struct link *ld); /* unwind tables, constructor lists */
void link_unpublish(struct link *ld);

#endif
