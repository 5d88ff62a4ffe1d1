#!/usr/bin/env bash
# The program names its own code while reloads run (issue 24): a thread
# asks dladdr for tick()'s name without pause while tick.o is reloaded
# ten times. Every answer names it, as in the linked -rdynamic program:
# none may come back without a name because a reload was under way.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_selfsym() {
    build main.o selfsym/main.c && build tick1.o selfsym/tick.c -DVER=1 && build tick2.o selfsym/tick.c -DVER=2
    builds_ok || return
    use tick1.o tick.o
    session_start --session "$SNAME" -rdynamic main.o tick.o -lpthread -ldl || return
    query
    check named-at-start "0 tick 1" "$(qv unnamed) $(qv name) $(qv tick)" "unnamed answers, the name, tick()"
    local i v
    for i in 1 2 3 4 5 6 7 8 9 10; do
        v=$((i % 2 + 1))
        use "tick$v.o" tick.o
        reload
        [ "$R_RC" = 0 ] || break
    done
    expect_reloaded reloads tick.o
    query
    check named-while-reloading "0 tick 1" "$(qv unnamed) $(qv name) $(qv tick)" "unnamed answers, the name, tick()"
    session_stop
}

for_variants test_selfsym gcc clang-O2 gcc-asan
