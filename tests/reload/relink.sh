#!/usr/bin/env bash
# Semantics 1: only changed inputs are re-linked. Three objects; rebuilding
# b.o reloads b.o alone; nothing changed, an mtime-only change (touch) and
# a rebuild giving identical bytes reload nothing; rebuilding a.o and b.o
# reloads both in one report.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_relink() {
    build main.o relink/main.c
    build a.o relink/a.c -DVER=1
    build b.o relink/b.c -DVER=1
    build b2.o relink/b.c -DVER=2
    build a2.o relink/a.c -DVER=2
    build b3.o relink/b.c -DVER=3
    builds_ok || return

    session_start --session "$SNAME" main.o a.o b.o || return
    query
    check v1-a "1000" "$(qv a)"
    check v1-b "100" "$(qv b)"

    use b2.o b.o
    reload
    expect_reloaded only-changed-object "b.o"
    if parse_report "$R_OUT"; then
        # b.c version 2: b_value changed, b_extra added; b_bonus new, no
        # variable changed size.
        local counts="$RP_FCHANGED changed, $RP_FADDED added, $RP_FREMOVED removed; $RP_VRESET reset, $RP_VNEW new"
        check report-counts "1 changed, 1 added, 0 removed; 0 reset, 1 new" "$counts" "report counts"
    else
        not_ok "$P/report-counts" "no report line; $(client_said)"
    fi
    query
    check new-b-applied "7101" "$(qv b)" "b (7000 + state 101)"
    check unchanged-a-state "1001" "$(qv a)" "a (version 1, state 1)"

    reload
    expect_nothing nothing-changed 3

    touch "$W/a.o" "$W/main.o"
    touch -d '1 hour ago' "$W/b.o"
    reload
    expect_nothing mtime-only-change 3

    # The same source compiled again: a new file with the same bytes.
    cp "$W/a.o" "$W/a1.o"
    rm -f "$W/a.o"
    build a.o relink/a.c -DVER=1
    if cmp -s "$W/a.o" "$W/a1.o"; then
        reload
        expect_nothing identical-rebuild 3
    else
        not_ok "$P/identical-rebuild" "setup: recompiling a.c gave different bytes"
    fi

    use a2.o a.o
    use b3.o b.o
    reload
    expect_reloaded two-objects "a.o b.o"
    query
    check two-objects-a "2002" "$(qv a)" "a (2000 + state 2)"
    check two-objects-b "8102" "$(qv b)" "b (8000 + state 102)"

    session_stop
}

for_variants test_relink
