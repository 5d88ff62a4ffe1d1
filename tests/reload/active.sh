#!/usr/bin/env bash
# A variable whose storage moves (here: migrated, its struct gained a
# field) is switched only when no thread runs, or has a frame in, old code
# that uses it. A worker runs mod_busy(), which increments the variable in
# the old version, while mod.o is reloaded: with time enough the reload
# waits for mod_busy to return, and not one increment is lost; with too
# little (--reload-timeout) it fails, naming the variable and the
# function, and the program goes on as it was; meanwhile a thread that
# sleeps in poll() is woken by the tries to park it a few times a second
# (tries every millisecond woke it over a hundred times). Objects built
# with -g.
# gcc-oldkernel: the kernel answers no questions about single mappings,
# and hotld finds the stacks' ends by reading all of them.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# busy MS: start mod_busy(MS) in a worker; waits for its "busy".
busy() {
    local before; before=$(grep -c '^busy$' "$S_OUT")
    send "busy $1"
    retry 5 eval '[ "$(grep -c "^busy\$" "$S_OUT")" -gt "$before" ]'
}

test_active() {
    build main.o active/main.c
    build mod1.o active/mod.c -g -DVER=1
    build mod2.o active/mod.c -g -DVER=2
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return

    # A second to park the threads, even on a machine loaded many times
    # over; mod_busy runs for four.
    busy 4000
    use mod2.o mod.o
    query
    local ticks=$(qv ticks)
    client "$S_DIR" --reload-timeout 1000 "${S_ARGS[@]}"
    expect_failed times-out "variable 'st' moves, but old code that uses it is still running: mod_busy \(version 0\) after 1000 ms"
    query
    check untouched 1 "$(qv version)" "version after the failed reload"
    # each try to park wakes the sleeping thread: 10 wakes a second of its
    # own, and the tries come at growing intervals, not every millisecond
    local woken=$(($(qv ticks) - ticks))
    if [ "$woken" -lt 60 ]; then ok "$P/sleepers-left-sleeping"; else
        not_ok "$P/sleepers-left-sleeping" "a thread that sleeps 100 ms at a time woke $woken times while the reload waited 1 s"
    fi

    wait_for '^done ' "$S_OUT" 10
    busy 800
    client "$S_DIR" --reload-timeout 5000 "${S_ARGS[@]}"
    expect_reloaded waits mod.o
    if [ "$R_MS" -ge 300 ]; then ok "$P/waited-for-old-code"; else
        not_ok "$P/waited-for-old-code" "the reload took $R_MS ms: it did not wait for mod_busy (800 ms)"
    fi
    retry 10 eval '[ "$(grep -c "^done " "$S_OUT")" -ge 2 ]'
    local made; made=$(grep '^done ' "$S_OUT" | awk '{ s += $2 } END { print s }')
    query
    check version-2 2 "$(qv version)" "version"
    check no-lost-update "$made" "$(qv count)" "count (the increments every mod_busy made)"
    session_stop
}

for_variants test_active $RL_VARIANTS gcc-asan gcc-oldkernel
