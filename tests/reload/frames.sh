#!/usr/bin/env bash
# Semantics 3: a frame already executing old code finishes in the old code.
# mod_run (version 1) is blocked reading stdin when mod.o is reloaded; it
# must keep running its version-1 loop (its call to the changed mod_helper
# goes to the new code), and the next call of mod_run runs version 2.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# line_of REGEX: the last line of the session's stdout matching REGEX.
line_of() { grep -E -- "$1" "$S_OUT" | tail -n 1; }

test_frames() {
    build main.o frames/main.c
    build mod.o frames/mod.c -DVER=1
    build mod2.o frames/mod.c -DVER=2
    builds_ok || return

    session_start --session "$SNAME" main.o mod.o || return
    send run
    wait_for '^run [0-9]+ start$' "$S_OUT"
    check old-run-started "run 1 start" "$(line_of '^run [0-9]+ start$')" "line"

    use mod2.o mod.o
    reload                     # mod_run v1 is blocked in fgets right now
    expect_reloaded reload-while-blocked-in-old-frame "mod.o"

    send first
    wait_for '^run [0-9]+ line first ' "$S_OUT"
    local l; l=$(line_of '^run [0-9]+ line first ')
    check old-frame-keeps-old-code "run 1" "${l% line*}" "version of the running loop"
    check old-frame-calls-new-helper "helper 2" "${l##* line first }" "mod_helper() from the old loop"
    send stop
    wait_for '^run [0-9]+ end$' "$S_OUT"
    check old-frame-finishes-old "run 1 end" "$(line_of '^run [0-9]+ end$')" "line"

    send run
    wait_for '^run 2 start$' "$S_OUT"
    check next-call-runs-new "run 2 start" "$(line_of '^run [0-9]+ start$')" "line"
    send again
    wait_for '^run [0-9]+ line again ' "$S_OUT"
    check new-frame-new-code "run 2 line again helper 2" "$(line_of '^run [0-9]+ line again ')" "line"
    send stop
    wait_for '^run 2 end$' "$S_OUT"

    session_stop
}

for_variants test_frames
