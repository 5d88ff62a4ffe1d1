#!/usr/bin/env bash
# main's own loop runs old code for ever. A reload of main.o reports that
# the loop keeps its old code, naming the function and its thread. A later
# reload that migrates a variable the old loop reads relocates the old
# loop's code too: the loop then reads the migrated copy, not a frozen one.
# In C and C++. Then the loop one call below an unchanged main: run(),
# called once, is named in the same way. Then a thread's function calls
# round_once() in a loop: a round_once() that loops for ever itself is
# named too (it was not: a callee of a loop was taken to return soon),
# and one whose loop ends is not.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

steps() { local i; for ((i = 0; i < $1; i++)); do send step; done; }

test_loops() {
    local lang
    for lang in c c++; do
        build main1-$lang.o loops/main.c -g -x $lang -DVER=1
        build main2-$lang.o loops/main.c -g -x $lang -DVER=2
        build mod1-$lang.o loops/mod.c -g -x $lang -DVER=1
        build mod2-$lang.o loops/mod.c -g -x $lang -DVER=2
    done
    builds_ok || return
    for lang in c c++; do
        use main1-$lang.o main.o
        use mod1-$lang.o mod.o
        session_start --session "$SNAME" main.o mod.o || return
        steps 3
        query
        check $lang/before "3 1" "$(qv calls) $(qv loop)"
        use main2-$lang.o main.o
        reload
        expect_reloaded $lang/reload-main main.o warnings
        check $lang/says-loop-keeps-old-code 1 \
            "$(printf '%s\n' "$R_ERR" | grep -cE "^hotld: warning: 'main' \([^)]+\.[ch]:[0-9]+\) .*old code.*thread [0-9]+")" \
            "warning naming main, its line (of main.c, or of rt.h inlined) and thread"
        steps 1
        query
        check $lang/loop-runs-old-code "4 1" "$(qv calls) $(qv loop)"
        use mod2-$lang.o mod.o
        reload
        expect_reloaded $lang/reload-mod mod.o
        check $lang/migrated 1 "$RP_VMIGRATED" "migrated count"
        steps 2
        query
        check $lang/old-loop-reads-migrated "6 1" "$(qv calls) $(qv loop)"
        session_stop
    done
    test_loop_in_callee
    test_loop_below_loop
}

# below_loop NAME WANT FLAG...: reload round_once() (loops/round.c, its
# first version built with FLAGs) while a thread runs it; WANT: how many
# warnings name it.
below_loop() {
    local name=$1 want=$2; shift 2
    build main-spin.o removed/main.c -DNO_WEAK && build inner1.o loops/round.c -g -DVER=1 "$@" &&
        build inner2.o loops/round.c -g -DVER=2
    builds_ok || return
    use inner1.o inner.o
    session_start --session "$SNAME-$name" main-spin.o inner.o -lpthread || return
    use inner2.o inner.o
    reload
    expect_reloaded $name/reload inner.o warnings
    check $name/told "$want" \
        "$(printf '%s\n' "$R_ERR" | grep -cE "^hotld: warning: 'round_once' \([^)]+\.c:[0-9]+\) .*old code.*thread [0-9]+")" \
        "warnings naming round_once, below spin()'s loop"
    query
    check $name/tick 2 "$(qv tick)" "tick() of version 2, while spin() runs on (the answer waits for it)"
    session_stop
}

test_loop_below_loop() {
    below_loop forever-below-loop 1 -DFOREVER
    below_loop ends-below-loop 0
}

test_loop_in_callee() {
    build start.o loops/start.c -g
    build run1.o loops/main.c -g -DVER=1 -DLOOP_IN_RUN
    build run2.o loops/main.c -g -DVER=2 -DLOOP_IN_RUN
    builds_ok || return
    use run1.o main.o
    use mod1-c.o mod.o
    session_start --session "$SNAME-run" start.o main.o mod.o || return
    use run2.o main.o
    reload
    expect_reloaded run/reload-main main.o warnings
    check run/says-loop-keeps-old-code 1 \
        "$(printf '%s\n' "$R_ERR" | grep -cE "^hotld: warning: 'run' \([^)]+\.[ch]:[0-9]+\) .*old code.*thread [0-9]+")" \
        "warning naming run, called by an unchanged main"
    steps 1
    query
    check run/loop-runs-old-code "1 1" "$(qv calls) $(qv loop)"
    session_stop
}

for_variants test_loops $RL_VARIANTS gcc-asan
