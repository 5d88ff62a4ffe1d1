#!/usr/bin/env bash
# Semantics 5: eight reloads in a row in one run (two versions alternating,
# then new versions), with a counter that keeps counting and the addresses
# of the counter and of mod_tick the same every time. The command includes
# -lm and "-- ARGS", so each reload command repeats those too.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

SEQUENCE="2 1 2 1 3 4 5 6"      # mod.c's version for each reload

test_repeat() {
    local v
    build main.o repeat/main.c
    build mod.o repeat/mod.c -DVER=1
    for v in 1 $SEQUENCE; do build "mod$v.o" repeat/mod.c -DVER="$v"; done
    builds_ok || return

    # The command has a library and program arguments too: the reload
    # command is all of it again.
    session_start --session "$SNAME" main.o mod.o -lm -- alpha "beta gamma" || return
    check program-args "args 2 alpha|beta gamma" "$(grep -m1 '^args ' "$S_OUT")" "argument line"
    query
    local q0=$QT n=1 reload_bad="" ver_bad="" count_bad="" addr_bad=""
    check v1 "1 1" "$(qv ver) $(qv count)" "version and count"
    for v in $SEQUENCE; do
        n=$((n + 1))
        use "mod$v.o" mod.o
        reload
        if [ "$R_RC" -ne 0 ] || ! parse_report "$R_OUT" || [ "$RP_OBJS" != mod.o ]; then
            reload_bad="$reload_bad [reload $((n - 1)) to version $v: $(client_said)]"
        fi
        query
        [ "$(qv ver)" = "$v" ] || ver_bad="$ver_bad reload $((n - 1)): '$(qv ver)' (expected $v);"
        [ "$(qv count)" = "$n" ] || count_bad="$count_bad reload $((n - 1)): '$(qv count)' (expected $n);"
        [ "$(qv addr_counter)" = "$(qv addr_counter "$q0")" ] &&
            [ "$(qv addr_tick)" = "$(qv addr_tick "$q0")" ] ||
            addr_bad="$addr_bad reload $((n - 1)): counter $(qv addr_counter) tick $(qv addr_tick);"
    done
    local before="(before: counter $(qv addr_counter "$q0") tick $(qv addr_tick "$q0"))"
    session_reap
    if [ -z "$reload_bad" ]; then ok "$P/eight-reloads-reported"; else not_ok "$P/eight-reloads-reported" "${reload_bad# }"; fi
    if [ -z "$ver_bad" ]; then ok "$P/eight-reloads-applied"; else not_ok "$P/eight-reloads-applied" "version after${ver_bad}; $(session_state)"; fi
    if [ -z "$count_bad" ]; then ok "$P/counter-keeps-counting"; else not_ok "$P/counter-keeps-counting" "count after${count_bad}"; fi
    if [ -z "$addr_bad" ]; then ok "$P/addresses-stable"; else not_ok "$P/addresses-stable" "addresses after${addr_bad} $before"; fi

    session_stop
}

for_variants test_repeat
