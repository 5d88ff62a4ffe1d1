#!/usr/bin/env bash
# Variables whose types change carry their values by DWARF type (objects
# built with -g): a struct array whose elements gain fields keeps every
# element's values, with the new field at its initializer; swapped fields
# follow their names; integers widen, float becomes double; a narrowing
# re-initializes the variable with a warning that says why; an unchanged
# variable keeps its storage. The report counts the migrations and names
# what changed. gcc (DW_OP_addr) and clang (DW_OP_addrx), -O0 and -O2, and
# the ASan+UBSan build (gcc-asan).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# state [TAG]: the program's answer as one line.
state() {
    local t=${1:-$QT}
    awk -v t="$t" '$1 == t && $2 != "end" { $1 = ""; sub(/^ /, ""); printf "%s|", $0 }' "$S_OUT"
}

test_migrate() {
    build main.o migrate/main.c
    build game1.o migrate/game.c -g -DVER=1
    build game2.o migrate/game.c -g -DVER=2
    builds_ok || return
    use game1.o game.o
    session_start --session "$SNAME" main.o game.o || return
    send play; send play
    query
    check v1-state "p0 ann 2 2 -1|p1 bob 4 2 -1|p2 cid 6 2 -1|pair 21 42|scalars 2 2 9 6|version 1|" \
        "$(state)" "state"

    use game2.o game.o
    reload
    expect_reloaded reload game.o warnings
    if parse_report "$R_OUT"; then
        check report-counts "1 kept, 4 migrated, 1 reset, 0 new" \
            "$RP_VKEPT kept, $RP_VMIGRATED migrated, $RP_VRESET reset, $RP_VNEW new" "variable counts"
    fi
    local lines; lines=$(printf '%s\n' "$R_OUT" | grep '^hotld: migrated ' | sed 's/ of [^:]*:/:/' | sort | tr '\n' '|')
    check migration-lines "hotld: migrated 'pair': layout changed|hotld: migrated 'players': [].id added, [].hp added|hotld: migrated 'ratio': float to double|hotld: migrated 'rounds': widened|" \
        "$lines" "migration lines"
    if printf '%s\n' "$R_ERR" | grep -q "^hotld: warning: variable 'narrowed' of .*: value narrowed from 4 to 2 bytes (may lose data): re-initialized$"; then
        ok "$P/narrowing-warning"
    else
        not_ok "$P/narrowing-warning" "no warning about 'narrowed'; $(client_said)"
    fi

    query
    check v2-state "p0 ann 2 2 100|p1 bob 4 2 100|p2 cid 6 2 100|pair 21 42|scalars 2 2 0 6|version 2|" \
        "$(state)" "state"
    send play
    query
    check v2-plays-on "p0 ann 3 3 100|p1 bob 6 3 100|p2 cid 9 3 100|pair 31 62|scalars 3 4 1 9|version 2|" \
        "$(state)" "state"
    session_stop
}

for_variants test_migrate $RL_VARIANTS gcc-asan
