#!/usr/bin/env bash
# Semantics 7 (include/hotld.h): a program that calls hotld_poll() from its
# main loop and registers hotld_on_reload(callback, ctx): the callback runs
# once per applied reload, with ctx, and sees hotld_generation() already
# counting that reload; a reload with nothing to do or a failed reload
# runs no callback and counts nothing. The same program linked normally
# (no hotld) compiles, links and runs, with every call a no-op.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# poll_state: STATE is "gen calls wrong_ctx ver | gen_seen..." from one
# query. (Not called in $(...): query must advance the tag counter here.)
poll_state() {
    query
    STATE="$(qv gen) $(qv calls) $(qv wrong_ctx) $(qv ver) |$(awk -v t="$QT" '$1 == t && $2 == "gen_seen" { $1 = $2 = ""; sub(/^ +/, " "); print; exit }' "$S_OUT")"
    STATE=${STATE% }
}

# settled EXPECTED: poll_state equals EXPECTED (the callback may run a
# moment after the reload command returns, at the program's next poll).
settled() { poll_state; [ "$STATE" = "$1" ]; }

expect_state() {
    local name=$1 want=$2
    if retry 3 settled "$want"; then ok "$P/$name"; else
        session_reap
        not_ok "$P/$name" "'gen calls wrong_ctx ver | gen_seen' is '$STATE', expected '$want'; $(session_state)"
    fi
}

test_poll() {
    local v
    [ -e "$HOTLD_ROOT/include/hotld.h" ] || not_ok "$P/header" "$HOTLD_ROOT/include/hotld.h does not exist"
    build main.o poll/main.c
    for v in 1 2 3; do build "mod$v.o" poll/mod.c -g -DVER=$v; done
    build mod-undef.o poll/mod.c -DVER=4 -DBROKEN
    builds_ok || return
    use mod1.o mod.o

    # Linked normally: hotld_* are no-ops, hotld_generation() is 0.
    if "$CC" "${CFL[@]}" -o "$W/native" "$W/main.o" "$W/mod1.o" >"$W/native.log" 2>&1; then
        printf 'q n1\nquit\n' | timeout -s KILL 10 "$W/native" >"$W/native.out" 2>"$W/native.err"
        local rc=$? got
        got=$(awk '$1 == "n1" && $2 != "end" { $1 = ""; printf "%s;", $0 }' "$W/native.out")
        if [ $rc -eq 0 ] && [ "$got" = " gen 0; calls 0; wrong_ctx 0; ver 1; gen_seen;" ]; then
            ok "$P/native-link-no-op"
        else
            not_ok "$P/native-link-no-op" "exit $rc, answer '$got', expected ' gen 0; calls 0; wrong_ctx 0; ver 1; gen_seen;'; stderr: $(head -c 200 "$W/native.err")"
        fi
    else
        not_ok "$P/native-link-no-op" "$CC ${CFL[*]} main.o mod.o failed: $(head -c 300 "$W/native.log" | tr '\n' ' ')"
    fi

    session_start --session "$SNAME" --reload-timeout 500 main.o mod.o || return
    expect_state initial "0 0 0 1 |"

    # A job the program has taken at its hotld_poll() is waited for to its
    # end, though it outlasts --reload-timeout, and answered truthfully.
    client "$W" --session "$SNAME" --call 'mod_slow(1500)'
    check call-outlasts-timeout "mod_slow(1500) = 1500" "$R_OUT" "the answer to a call that takes 1.5 s ($(client_said))"
    expect_state still-polled "0 0 0 1 |"

    use mod2.o mod.o
    reload
    expect_reloaded reload1 "mod.o"
    expect_state callback-once-generation-1 "1 1 0 2 | 1"

    use mod3.o mod.o
    reload
    expect_reloaded reload2 "mod.o"
    expect_state callback-once-generation-2 "2 2 0 3 | 1 2"

    # A reload that applies nothing must not run the callback (given 0.1 s
    # to run, at the program's next polls) nor count a generation.
    local before
    poll_state; before=$STATE
    reload
    expect_nothing nothing-to-reload 2
    sleep 0.1; poll_state
    check no-callback-on-nothing-to-reload "$before" "$STATE" "'gen calls wrong_ctx ver | gen_seen'"
    before=$STATE
    use mod-undef.o mod.o
    reload
    expect_failed failed-reload "hotld_test_no_such_function"
    sleep 0.1; poll_state
    check no-callback-on-failed-reload "$before" "$STATE" "'gen calls wrong_ctx ver | gen_seen'"

    session_stop
}

for_variants test_poll $RL_VARIANTS gcc-asan
