#!/usr/bin/env bash
# libelf's allocations in hotld (base/elfalloc.c, through build/libelf.a):
# from the open link heap, then from malloc, always hotld's own blocks
# (tests/base/elfalloc_check.c), reading an object as readelf does.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
printf 'int f(void) { return 1; }\nint v = 2;\n' >obj.c
gcc -c -g obj.c -o obj.o
nsecs=$(readelf -h obj.o | awk '/Number of section headers/ { print $NF }')
base_check elfalloc "$HOTLD_ROOT/build/libelf.a" -lz -- obj.o "$nsecs"
