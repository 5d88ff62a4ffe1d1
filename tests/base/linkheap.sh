#!/usr/bin/env bash
# The first link's heap (base/linkheap.c), through util.h's allocator and
# hotld's own objects: zeroed blocks, realloc copying in and out of it,
# frees that reuse nothing, two threads allocating at once, and every
# block counted among hotld's own (base/owned.h), while open and after,
# so that a reload's pointer scan leaves the link's records alone; and
# under ulimit -v the heap is not opened, so that the images' regions can
# still be reserved.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
base_check linkheap

# Under a limit on the address space the images' regions get all of it:
# the heap is not opened, and a program starts as when linked.
cat >prog.c <<'C'
#include <stdio.h>
int main(void) { puts("started"); return 3; }
C
gcc -c prog.c -o prog.o && gcc prog.o -o prog
run_both linkheap/under-ulimit-v "./prog" "(ulimit -v 1300000; \"$HOTLD\" prog.o)"
