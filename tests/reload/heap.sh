#!/usr/bin/env bash
# Pointers into a migrated variable kept where no relocation reaches them:
# heap blocks (one into the middle of an element), a local variable of
# main, a thread-local variable. mod.o's players gain fields and change
# their order, so they migrate; each pointer must then point at the same
# player (and field) in the new storage, as the report counts, and scores
# made through them land in the players the program uses. The oracle is
# the program linked by the compiler from the new version, sent the same
# commands; the struct whose layout changed is named in a warning (or, with
# --on-conflict=abort, fails the reload). The same with reloads at
# hotld_poll(), in main's thread.
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
    expect_reloaded reload mod.o warnings
    check class-told "1" "$(printf '%s\n' "$R_ERR" | grep -c "^hotld: warning: struct 'player' of mod.o: its layout changed (8 -> 32 bytes), .*reloaded anyway")" \
        "one warning names the struct whose objects may keep the old layout"
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
    expect_reloaded "reload-$reach" mod.o warnings
    query
    check "$reach-leaves-heap" "0 $out" "$(qv heap-0) $RP_POINTERS_OUT" \
        "heap block still at the old storage, none rewritten outside the image"
    session_stop
}

for_variants test_heap gcc clang-O2 gcc-asan
# A struct whose layout changed may have objects the reload cannot see
# (made by malloc, on a stack): --on-conflict=abort refuses the reload,
# naming it, and the program runs on as it was.
test_heap_abort() {
    build_heap || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    send hit
    use mod2.o mod.o
    client "$S_DIR" --on-conflict=abort "${S_ARGS[@]}"
    expect_failed abort-names-struct "struct 'player' of mod.o: its layout changed \(8 -> 32 bytes\), .*reload aborted"
    send hit
    query
    check unchanged "1 1 4 22 4" "$(for k in heap-0 inside score-0 score-1 score-2; do qv $k; done | xargs)" \
        "the old version runs on, every pointer where it was"
    session_stop
}

# Reloads run in main's thread, at hotld_poll(): main's frame, above
# hotld's, is searched; hotld's own frames below it are not.
test_heap_poll() { HEAP_POLL=1 test_heap; }
test_heap_data() { test_heap_switch data 0; }
test_heap_none() { test_heap_switch none 0; }

for_variants test_heap_abort gcc
for_variants test_heap_poll clang-O2
for_variants test_heap_data gcc
for_variants test_heap_none gcc
