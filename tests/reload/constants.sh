#!/usr/bin/env bash
# A reload gives an edited constant table its new value in new storage
# (constants are not state). A variable the reload keeps that points into
# the old table (cur = &defaults, level = &levels[1]) must then lead to
# the new one too: else the program sees the edit through the code and
# not through its own pointers, two versions of one table at once. The
# pointers are rewritten, and a table that did not change is left alone.
# A struct with a pointer (.data.rel.ro) and an int array (.rodata).
# A table whose size changed takes only the pointers to its start: one
# into it (level) keeps the old table, and the reload says so.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# answer_is NAME LINE: the program's answer to a query is LINE.
answer_is() {
    query
    check "$1" "$2" "cur ${RL_ANSWER[cur]:-}" "answer"
}

test_constants() {
    build main.o constants/main.c
    build mod1.o constants/mod.c -DVER=1
    build mod2.o constants/mod.c -DVER=2
    build mod3.o constants/mod.c -DVER=3
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    answer_is before "cur 10 one fixed 5 same level 2 | direct 10 one level 2"
    use mod2.o mod.o
    reload
    expect_reloaded reload mod.o
    # cur and level; the stacks may hold copies of them from earlier calls
    local all memory
    read -r all memory < <(sed -n 's/.*; \([0-9]*\) pointers\{0,1\} rewritten, \([0-9]*\) on the heap.*/\1 \2/p' <<<"$R_OUT")
    check rewritten-in-data 2 "$((${all:-0} - ${memory:-0}))" "pointers rewritten in the program's data"
    answer_is after "cur 20 two fixed 5 same level 8 | direct 20 two level 8"
    use mod3.o mod.o
    reload
    expect_reloaded resized mod.o warnings
    check resized-warned "hotld: warning: mod.o: 'level' keeps its running value, though its initializer changed" \
        "$(sed 's/: a reload keeps.*//' <<<"$R_ERR")" "warning"
    answer_is resized "cur 20 two fixed 5 same level 8 | direct 20 two level 5"
    session_stop
}

for_variants test_constants $RL_VARIANTS gcc-asan
