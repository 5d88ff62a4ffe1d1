#!/usr/bin/env bash
# The reload report counts a function as changed when only a string
# literal it returns changed: its bytes are the same, the string its
# relocation reaches is not. Rebuilding with the same literal reloads
# nothing.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_report() {
    build main.o report/main.c
    build greeting.o report/greeting.c '-DGREETING="hello"'
    build greeting2.o report/greeting.c '-DGREETING="world"'
    builds_ok || return

    session_start --session "$SNAME" main.o greeting.o || return
    send go
    wait_for '^says ' "$S_OUT"
    check before "says hello" "$(grep '^says ' "$S_OUT" | tail -n 1)" "line"

    use greeting2.o greeting.o
    reload
    expect_reloaded reload "greeting.o"
    if parse_report "$R_OUT"; then
        check literal-change-counts "1 changed, 0 added, 0 removed" \
            "$RP_FCHANGED changed, $RP_FADDED added, $RP_FREMOVED removed" "report counts"
    fi
    send go
    wait_for '^says world' "$S_OUT"
    check after "says world" "$(grep '^says ' "$S_OUT" | tail -n 1)" "line"

    session_stop
}

for_variants test_report
