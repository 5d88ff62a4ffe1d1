#!/usr/bin/env bash
# C++ exceptions and backtrace() through reloaded code: the new version's
# .eh_frame is registered in-process, so a throw from it unwinds into the
# unchanged main, and backtrace() walks from it down to main.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_unwind() {
    build main.o unwind/main.cpp
    build work.o unwind/work.cpp -DVER=1
    build work2.o unwind/work.cpp -DVER=2
    builds_ok || return

    session_start --session "$SNAME" main.o work.o || return
    send run
    wait_for '^caught ' "$S_OUT"
    check throws-before "caught v1 deep" "$(grep '^caught ' "$S_OUT" | tail -n 1)" "line"

    use work2.o work.o
    reload
    expect_reloaded reload "work.o"
    send run
    wait_for '^caught v2' "$S_OUT"
    check throws-from-new-code "caught v2 deep" "$(grep '^caught ' "$S_OUT" | tail -n 1)" "line"

    session_stop
}

for_variants test_unwind
