#!/usr/bin/env bash
# An unchanged struct that ends in a flexible array member is not a layout
# change: CPython's _dictkeysobject (char dk_indices[]) was reported
# "its layout changed" on every reload of bltinmodule.o, which asks the
# user on a terminal and fails the reload with --on-conflict=abort.
# buffer.o's edit changes a function only: the reload, under abort, must
# succeed with no warning, and the heap object made before it keeps its
# value.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_flexible() {
    build main.o flexible/main.c -g && build buffer1.o flexible/buffer.c -g -DVER=1 &&
        build buffer2.o flexible/buffer.c -g -DVER=2
    builds_ok || return
    use buffer1.o buffer.o
    session_start --session "$SNAME" --on-conflict=abort main.o buffer.o || return
    query
    check first 5 "$(qv used)" "buffer_used"
    use buffer2.o buffer.o
    reload
    expect_reloaded unchanged-struct-no-conflict buffer.o
    query
    check reloaded 10 "$(qv used)" "buffer_used after the reload"
    session_stop
}

for_variants test_flexible gcc clang-O2 gcc-asan
