#!/usr/bin/env bash
# A global variable moved to another object keeps its value: it is the
# same variable of the program, as a global function moved between objects
# is the same function. tick.o defines `hits` and counts in it; then it
# moves to store.o (both reloaded), then into a new object, more.o, added
# to the command line. Before, each move made `hits` a new variable: the
# count started again at 0, the report saying only "1 new". Now it is
# kept, with and without -g; and in C++, game::hits moved from tick.cc's
# object to store.cc's.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# move NAME [FLAG...]: the scenario, objects built with FLAGs.
move() {
    local name=$1; shift
    build main.o moved/main.c "$@" && build tick1.o moved/tick.c -DVER=1 -DHERE "$@" &&
        build tick2.o moved/tick.c -DVER=2 "$@" && build tick3.o moved/tick.c -DVER=3 "$@" &&
        build store1.o moved/store.c -DVER=1 "$@" && build store2.o moved/store.c -DVER=2 -DHITS "$@" &&
        build store3.o moved/store.c -DVER=3 "$@" && build more.o moved/store.c -DVER=4 -DHITS "$@" \
        -Dstore_version=more_version
    builds_ok || return
    use tick1.o tick.o
    use store1.o store.o
    session_start --session "$SNAME" main.o tick.o store.o || return
    query && query && query
    check "$name-first" 1003 "$(qv tick)" "tick() after three calls"
    use tick2.o tick.o
    use store2.o store.o
    reload
    expect_reloaded "$name-to-store" "tick.o store.o"
    parse_report "$R_OUT" && check "$name-to-store-kept" "1 0 0" "$RP_VKEPT $RP_VNEW $RP_VREMOVED" "variables kept, new, removed"
    query
    check "$name-to-store-counts-on" 2004 "$(qv tick)" "tick(), the count kept"
    use tick3.o tick.o
    use store3.o store.o
    client "$S_DIR" --session "$SNAME" main.o tick.o store.o more.o
    check "$name-to-new-object" "0 tick.o, store.o, new more.o" \
        "$R_RC $(printf '%s\n' "$R_OUT" | sed -n 's/^hotld: reloaded \([^:]*\):.*/\1/p')$R_ERR" \
        "exit status, objects reloaded and stderr"
    parse_report "$R_OUT" && check "$name-to-new-object-kept" "1 0 0" "$RP_VKEPT $RP_VNEW $RP_VREMOVED" "variables kept, new, removed"
    query
    check "$name-to-new-object-counts-on" 3005 "$(qv tick)" "tick(), the count kept"
    session_stop
}

# move_cxx: game::hits moves between C++ objects, built with -g.
move_cxx() {
    build_cxx tick1.o moved/tick.cc -g -DVER=1 -DHERE && build_cxx tick2.o moved/tick.cc -g -DVER=2 &&
        build_cxx store1.o moved/store.cc -g -DVER=1 && build_cxx store2.o moved/store.cc -g -DVER=2 -DHITS
    builds_ok || return
    use tick1.o tick.o
    use store1.o store.o
    session_start --session "$SNAME" main.o tick.o store.o || return
    query && query
    check cxx-first 1002 "$(qv tick)" "tick() after two calls"
    use tick2.o tick.o
    use store2.o store.o
    reload
    expect_reloaded cxx-to-store "tick.o store.o"
    parse_report "$R_OUT" && check cxx-to-store-kept "1 0 0" "$RP_VKEPT $RP_VNEW $RP_VREMOVED" "variables kept, new, removed"
    query
    check cxx-to-store-counts-on 2003 "$(qv tick)" "tick(), the count kept"
    session_stop
}

test_moved() {
    move dwarf -g
    move plain
    move_cxx
}

for_variants test_moved gcc clang-O2 gcc-asan
