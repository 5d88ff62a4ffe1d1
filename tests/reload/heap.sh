#!/usr/bin/env bash
# Pointers into a migrated variable kept where no relocation reaches them:
# heap blocks (one into the middle of an element), a local variable of
# main, a thread-local variable. mod.o's players gain fields and change
# their order, so they migrate; each pointer must then point at the same
# player (and field) in the new storage, as the report counts, and scores
# made through them land in the players the program uses. The oracle is
# the program linked by the compiler from the new version, sent the same
# commands. The same with reloads at hotld_poll(), in main's thread.
# --rewrite-pointers=data and =none leave the heap alone, and say so by
# their counts.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

build_heap() {
    build main.o heap/main.c -g ${HEAP_POLL:+-DPOLL}
    build mod1.o heap/mod.c -g -DVER=1
    build mod2.o heap/mod.c -g -DVER=2
    builds_ok
}

test_heap() {
    build_heap || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    send hit
    query
    check before "1 1 1 1 1 1 2 11 2" "$(for k in heap-0 heap-1 heap-2 inside stack tls score-0 score-1 score-2; do qv $k; done | xargs)" \
        "every pointer at its player, scores counted through them"
    use mod2.o mod.o
    reload
    expect_reloaded reload mod.o
    check counted "yes" "$([ "$RP_VMIGRATED" = 1 ] && [ "$RP_POINTERS_OUT" -ge 8 ] && echo yes)" \
        "players migrated, at least 8 pointers rewritten outside the image (6 in heap blocks, main's local, the TLS variable): $(printf '%s' "$R_OUT" | head -1)"
    send hit
    query
    local want
    want=$(LINKED_HISTORY=$'hit\nhit\n' linked_answer linked2 main.o mod2.o)
    check same-as-linked "$want" "$(answers "$S_OUT" "$QT")" "after hit, reload, hit: as the linked program after two hits"
    session_stop
}

# The switch: only the program's data, or nothing, is searched.
test_heap_switch() {
    local reach=$1 out=$2
    build_heap || return
    use mod1.o mod.o
    session_start --session "$SNAME-$reach" --rewrite-pointers="$reach" main.o mod.o || return
    use mod2.o mod.o
    reload
    expect_reloaded "reload-$reach" mod.o
    query
    check "$reach-leaves-heap" "0 $out" "$(qv heap-0) $RP_POINTERS_OUT" \
        "heap block still at the old storage, none rewritten outside the image"
    session_stop
}

for_variants test_heap gcc clang-O2 gcc-asan
# Reloads run in main's thread, at hotld_poll(): main's frame, above
# hotld's, is searched; hotld's own frames below it are not.
test_heap_poll() { HEAP_POLL=1 test_heap; }
test_heap_data() { test_heap_switch data 0; }
test_heap_none() { test_heap_switch none 0; }

for_variants test_heap_poll gcc-O2 clang
for_variants test_heap_data gcc
for_variants test_heap_none gcc
