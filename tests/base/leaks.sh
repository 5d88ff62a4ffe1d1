#!/usr/bin/env bash
# LeakSanitizer's entry points (base/leaks.c): looked up by name, none
# while no runtime is loaded, and found once one is, from any thread
# (a stand-in runtime that counts its calls).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
cat >standin.c <<'C'
#include <stddef.h>
int disables, enables;
const void *region;
size_t region_size;
void __lsan_disable(void) { __atomic_add_fetch(&disables, 1, __ATOMIC_SEQ_CST); }
void __lsan_enable(void) { __atomic_add_fetch(&enables, 1, __ATOMIC_SEQ_CST); }
void __lsan_register_root_region(const void *p, size_t n) { region = p; region_size = n; }
C
if gcc -shared -fPIC -o lsan_standin.so standin.c 2>standin.log; then
    base_check leaks -- "$TMP/lsan_standin.so"
else
    not_ok leaks/standin-build "$(head -c 300 standin.log)"
fi
