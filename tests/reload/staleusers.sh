#!/usr/bin/env bash
# A reload replaces a C function whose parameters changed (calc.h gave
# scale() a second one), but caller.o, which calls it, was not rebuilt:
# its calls still pass one argument, and nothing else would say so (a C
# symbol's name does not change with its type; C++'s does, and the reload
# fails on the missing definition). Likewise a global struct migrated to
# a layout with a field in front (tally): caller.o reads it at the old
# offsets. The reload warns of each, naming the caller. With the caller
# rebuilt too, it says nothing, nor of offset(), whose body only changed,
# nor of stats, which gained a field at its end. Objects built with -g.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

WARNINGS="hotld: warning: calc.o: 'scale' is now 'int (int, int)', was 'int (int)', and caller.o calls it as it was: rebuild caller.o, or its calls pass what the old declaration said
hotld: warning: calc.o: 'tally' changed type (first added), and caller.o uses it as it was: rebuild caller.o, or its reads and writes go to the old layout"

# reload_with CALLER: a session of caller1.o and calc1.o, reloaded with
# CALLER and calc2.o; the reload's warnings in R_ERR.
reload_with() {
    use caller1.o caller.o
    use calc1.o calc.o
    session_start --session "$SNAME" main.o caller.o calc.o || return 1
    ask_version before "scale 42 offset 101 tally 40 hits 2"
    use "$1" caller.o
    use calc2.o calc.o
    reload
}

# ask_version NAME LINE: the program's answer to a query is LINE.
ask_version() {
    query
    check "$1" "$2" "scale ${RL_ANSWER[scale]:-}" "answer"
}

test_signatures() {
    build main.o staleusers/main.c -g
    build caller1.o staleusers/caller.c -g -DVER=1
    build caller2.o staleusers/caller.c -g -DVER=2
    build calc1.o staleusers/calc.c -g -DVER=1
    build calc2.o staleusers/calc.c -g -DVER=2
    builds_ok || return

    reload_with caller1.o || return
    expect_reloaded stale-caller "calc.o" warnings
    # (the stacks may hold stale copies of the variables' addresses: a
    # warning of words left alone may come too)
    check stale-caller-warned "$WARNINGS" "$(grep 'as it was' <<<"$R_ERR" | sort)" "the reload's warnings"
    session_stop

    reload_with caller2.o || return
    expect_reloaded caller-rebuilt "calc.o caller.o" warnings
    check caller-rebuilt-not-warned "" "$(grep 'as it was' <<<"$R_ERR")" "warnings of users left as built"
    ask_version after "scale 42 offset 201 tally 40 hits 2"
    session_stop
}

for_variants test_signatures $RL_VARIANTS gcc-asan
