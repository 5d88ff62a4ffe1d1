/* libFuzzer target for the object and archive readers: the bytes are
 * classified like a command-line file, then every archive member named by
 * the symbol index is extracted and added to the link, which runs the same
 * checks a real link runs before relocating. Never dlopens: inputs that
 * are not ELF or ar are rejected up front. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linker.h"
#include "util.h"

static void add_all_members(struct link *ld)
{
    for (size_t a = 0; a < ld->narchives; a++) {
        struct archive *ar = ld->archives[a];
        for (size_t i = 0; i < ar->index.cap; i++) {
            uintptr_t off = (uintptr_t)ar->index.slots[i].value;
            bool fresh;
            struct object *obj;
            if (!ar->index.slots[i].key)
                continue;
            obj = archive_extract(ar, off - 1, &fresh);
            if (obj && fresh)
                link_add_object(ld, obj);
            clear_error();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct link_options opts = {.entry = "main"};
    if (size < 4 || (memcmp(data, "\x7f" "ELF", 4) && (size < 8 || memcmp(data, "!<arch>\n", 8))))
        return 0;
    if (size >= 18 && !memcmp(data, "\x7f" "ELF", 4) && data[16] == ET_DYN)
        return 0; /* shared libraries are dlopened, not parsed by us */
    elf_version(EV_CURRENT);
    struct link *ld = link_new(&opts);
    struct file_data f = {.bytes = xmalloc(size + 1), .size = size};
    memcpy(f.bytes, data, size);
    f.bytes[size] = 0; /* as read_file leaves it */
    link_add_file(ld, "fuzz.o", f, false);
    clear_error();
    add_all_members(ld);
    link_free(ld);
    return 0;
}
