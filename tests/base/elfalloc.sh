#!/usr/bin/env bash
# libelf's allocations in hotld (base/elfalloc.c, through build/libelf.a):
# from the open link heap, then from malloc, always hotld's own blocks
# (tests/base/elfalloc_check.c), reading an object as readelf does.
. "$(dirname "$0")/../lib.sh"
cd "$TMP"
if ! gcc -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$HOTLD_ROOT/base" "$HOTLD_ROOT/tests/base/elfalloc_check.c" \
        "$HOTLD_ROOT"/build/base/*.o "$HOTLD_ROOT/build/libelf.a" -lz -lpthread -ldl -liberty \
        -o elfalloc_check 2>build.log; then
    not_ok "elfalloc/build" "$(head -c 300 build.log)"
    exit 0
fi
printf 'int f(void) { return 1; }\nint v = 2;\n' >obj.c
gcc -c -g obj.c -o obj.o
nsecs=$(readelf -h obj.o | awk '/Number of section headers/ { print $NF }')
./elfalloc_check obj.o "$nsecs"
status=$?
[ $status -eq 0 ] || [ $status -eq 1 ] || not_ok "elfalloc/exit" "the check ended with status $status"
