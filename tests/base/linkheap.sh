#!/usr/bin/env bash
# The first link's heap (base/linkheap.c), through util.h's allocator and
# hotld's own objects: zeroed blocks, realloc copying in and out of it,
# frees that reuse nothing, two threads allocating at once, and every
# block counted among hotld's own (base/owned.h), while open and after,
# so that a reload's pointer scan leaves the link's records alone.
. "$(dirname "$0")/../lib.sh"
cd "$TMP"
if ! gcc -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$HOTLD_ROOT/base" "$HOTLD_ROOT/tests/base/linkheap_check.c" \
        "$HOTLD_ROOT"/build/base/*.o -lpthread -ldl -liberty -o linkheap_check 2>build.log; then
    not_ok "linkheap/build" "$(head -c 300 build.log)"
    exit 0
fi
./linkheap_check
status=$?
[ $status -eq 0 ] || [ $status -eq 1 ] || not_ok "linkheap/exit" "the check ended with status $status"
