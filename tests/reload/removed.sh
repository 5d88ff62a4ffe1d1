#!/usr/bin/env bash
# A reload that removes a global variable. counter.o defines `hits`, and a
# thread loops in its spin() counting there; the next version has no
# `hits`. The thread stays in the old spin(), as a frame inside replaced
# code does: its references to `hits` must still reach the old storage.
# The reload used to relocate them to 0 as well, as it does main.o's weak
# reference: with code built as PIE, that failed ("R_X86_64_PC32 against
# 'hits' out of range") and the reload was "applied but not whole"; built
# with -fPIC, the old version's GOT slot became 0 and the loop crashed.
# Checks, for both: the reload is whole, with no warning but that spin()
# keeps running its old code; tick() runs the
# new code; main.o's weak `hits` is gone (-1, as in the gcc-linked
# program of the new version); the report counts one variable removed
# (it counted none), and --status --vars names it; the old loop goes on;
# and putting the variable back is a new variable, 0.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# removal NAME [FLAG...]: the scenario, objects built with FLAGs.
removal() {
    local name=$1; shift
    build main.o removed/main.c "$@" && build counter1.o removed/counter.c -DVER=1 -DHITS "$@" &&
        build counter2.o removed/counter.c -DVER=2 "$@" && build counter3.o removed/counter.c -DVER=3 -DHITS "$@"
    builds_ok || return
    use counter2.o counter.o
    local linked
    linked=$(linked_answer linked main.o counter.o -lpthread)
    use counter1.o counter.o
    session_start --session "$SNAME" main.o counter.o -lpthread || return
    query
    check "$name-first" "1 yes" "$(qv tick) $([ "$(qv hits)" -gt 0 ] && echo yes)" "tick(), and hits counted"
    use counter2.o counter.o
    reload
    expect_reloaded "$name-removed" counter.o warnings
    parse_report "$R_OUT" && check "$name-counted" "0 1" "$RP_VNEW $RP_VREMOVED" "variables new, removed"
    client "$S_DIR" --status --vars --session "$SNAME"
    check "$name-listed" "hits removed counter.o" \
        "$(printf '%s\n' "$R_OUT" | awk '$2 == "removed" { n = split($3, p, "/"); print $1, $2, p[n] }')" \
        "--status --vars: the removed variable and its object"
    check "$name-only-warning" "hotld: warning: 'spin' keeps running its old code" \
        "$(printf '%s\n' "$R_ERR" | cut -d' ' -f1-8 | sort -u | tr '\n' ' ' | sed 's/ $//')" "what the reload warned of"
    query
    check "$name-after" "2 -1" "$(qv tick) $(qv hits)" "tick(), and the weak hits"
    check "$name-as-linked" "$linked" "tick 2;hits -1;" "the answer of the gcc-linked program of the new version"
    session_alive
    check "$name-old-loop-runs" 0 $? "the program still runs (the old loop counts in the old hits)"
    use counter3.o counter.o
    reload
    expect_reloaded "$name-back" counter.o
    parse_report "$R_OUT" && check "$name-back-counted" "1 0" "$RP_VNEW $RP_VREMOVED" "variables new, removed"
    query
    check "$name-back-new" "3 0" "$(qv tick) $(qv hits)" "tick(), and hits, new: the new spin() is not running"
    session_stop
}

# Built so that every reference reads a GOT slot (R_X86_64_GOTPCREL, what
# an assembler that marks none relaxable makes, -mrelax-relocations=no):
# the old spin() reads `hits` through its generation's slot.
NORELAX=(-fPIC -Wa,-mrelax-relocations=no)

# only_old_reads NAME FLAG...: main.o does not refer to `hits`, so the
# slot is the old spin()'s alone. It keeps the old storage in every later
# reload: a reload's pass over the GOTs of every generation used to write
# 0 there in the reload after the removal, and the loop crashed. When
# `hits` is back, the old spin() still has its old storage, as its
# relaxed references do in `removal`.
only_old_reads() {
    local name=$1; shift
    build main.o removed/main.c -DNO_WEAK "$@" && build counter1.o removed/counter.c -DVER=1 -DHITS "$@" &&
        build counter2.o removed/counter.c -DVER=2 "$@" && build counter4.o removed/counter.c -DVER=4 "$@" &&
        build counter3.o removed/counter.c -DVER=3 -DHITS "$@"
    builds_ok || return
    use counter1.o counter.o
    session_start --session "$SNAME" main.o counter.o -lpthread || return
    local v
    for v in 2 4 3; do
        use counter$v.o counter.o
        reload
        expect_reloaded "$name-$v" counter.o warnings
        query
        check "$name-$v-tick" "$v -2" "$(qv tick) $(qv hits)" "tick() of version $v, main.o without a reference to hits"
        session_alive
        check "$name-$v-old-loop-runs" 0 $? "the program still runs (the old loop counts in the old hits)"
    done
    session_stop
}

# shared_slot NAME FLAG...: main.o's weak reference and the old spin() read
# one slot. The old code may run on, so the slot keeps the old storage,
# and the report says that the weak reference still reaches the removed
# variable, until a version defines it again: then both read the new one
# (which starts at 1000000).
shared_slot() {
    local name=$1; shift
    build main.o removed/main.c "$@" && build counter1.o removed/counter.c -DVER=1 -DHITS "$@" &&
        build counter2.o removed/counter.c -DVER=2 "$@" && build counter4.o removed/counter.c -DVER=4 "$@" &&
        build counter3.o removed/counter.c -DVER=3 -DHITS -DHITS_START=1000000 "$@"
    builds_ok || return
    use counter1.o counter.o
    session_start --session "$SNAME" main.o counter.o -lpthread || return
    use counter2.o counter.o
    reload
    expect_reloaded "$name-removed" counter.o warnings
    check "$name-told" 1 "$(printf '%s\n' "$R_ERR" | grep -c "^hotld: warning: main.o: its weak reference to 'hits' still reaches the removed definition")" \
        "the warning that main.o's weak reference still sees the old storage"
    query
    check "$name-held" "2 yes" "$(qv tick) $([ "$(qv hits)" -gt 0 ] && echo yes)" "tick(), and the old hits, still counting"
    use counter4.o counter.o
    reload
    expect_reloaded "$name-again" counter.o warnings
    query
    check "$name-still-held" "4 yes" "$(qv tick) $([ "$(qv hits)" -gt 0 ] && echo yes)" "a later reload leaves the slot"
    use counter3.o counter.o
    reload
    expect_reloaded "$name-back" counter.o warnings
    query
    check "$name-back-new" "3 yes" "$(qv tick) $([ "$(qv hits)" -ge 1000000 ] && echo yes)" "main.o reads the new hits"
    session_alive
    check "$name-old-loop-runs" 0 $? "the program still runs"
    session_stop
}

# removed_function NAME FLAG...: a thread stays in a reload's code (the
# second version of round_once(), loops/round.c), which calls helper(), a
# function of the first version. The next reload removes helper() and takes the call out
# of round_once(): the thread keeps running its old code, which must
# still reach the old helper(), whose code stays mapped.
removed_function() {
    local name=$1; shift
    build main.o removed/main.c -DNO_WEAK "$@" && build caller1.o loops/round.c -DVER=1 "$@" &&
        build caller2.o loops/round.c -DVER=2 -DFOREVER -DCALLS_HELPER "$@" &&
        build caller3.o loops/round.c -DVER=3 "$@" &&
        build helper1.o removed/helper.c -DVER=1 -DHELPER "$@" && build helper3.o removed/helper.c -DVER=3 "$@"
    builds_ok || return
    use caller1.o caller.o
    use helper1.o helper.o
    session_start --session "$SNAME" main.o caller.o helper.o -lpthread || return
    use caller2.o caller.o
    reload
    expect_reloaded "$name-calls" caller.o warnings
    query
    check "$name-calls-tick" 2 "$(qv tick)" "tick() of version 2, its loop calling helper()"
    use caller3.o caller.o
    use helper3.o helper.o
    reload
    expect_reloaded "$name-removed" "caller.o helper.o" warnings
    parse_report "$R_OUT" && check "$name-counted" yes "$([ "$RP_FREMOVED" -ge 1 ] && echo yes)" \
        "functions removed, helper() among them (gcc counts a part of round_once() too)"
    query
    check "$name-after" 3 "$(qv tick)" "tick() of version 3, while the old loop runs on (the answer waits for it)"
    session_alive
    check "$name-old-loop-runs" 0 $? "the program still runs: the old loop calls the old helper()"
    session_stop
}

test_removed() {
    removed_function function-pie
    removed_function function-pic -fPIC
    removal pie
    removal pic -fPIC
    only_old_reads norelax-only-old "${NORELAX[@]}"
    shared_slot norelax-shared "${NORELAX[@]}"
    # a thread-local `hits`: as PIE, and with -fPIC (general dynamic: through GOT slots)
    only_old_reads tls-pie -DTHREAD_LOCAL=__thread
    only_old_reads tls-pic -DTHREAD_LOCAL=__thread -fPIC
}

for_variants test_removed gcc clang-O2 gcc-asan
