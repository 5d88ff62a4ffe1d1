#!/usr/bin/env bash
# Semantics 6: a reload that fails (a new mod.o with an undefined symbol;
# a truncated mod.o) changes nothing: the program keeps running the old
# code with its state, and other.o, changed at the same time, is not
# applied either. The next good reload applies all accumulated changes.
# Also run with the ASan+UBSan build of hotld (variant gcc-asan).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_failure() {
    build main.o failure/main.c
    build mod.o failure/mod.c -DVER=1
    build other.o failure/other.c -DVER=1
    build mod2.o failure/mod.c -DVER=2
    build other2.o failure/other.c -DVER=2
    build mod-undef.o failure/mod.c -DVER=2 -DBROKEN
    builds_ok || return
    local size; size=$(stat -c %s "$W/mod2.o")
    head -c $((size / 2)) "$W/mod2.o" >"$W/mod-trunc.o"

    session_start --session "$SNAME" main.o mod.o other.o || return
    query
    local q0=$QT
    check v1 "1 1 1" "$(qv mod) $(qv other) $(qv count)" "mod other count"

    use other2.o other.o
    use mod-undef.o mod.o
    reload
    expect_failed undefined-symbol-fails "hotld_test_no_such_function"
    query
    check undefined-symbol-nothing-applied "1 1 2" "$(qv mod) $(qv other) $(qv count)" "mod other count"
    check undefined-symbol-address-kept "$(qv addr_counter "$q0")" "$(qv addr_counter)" "&counter"

    use mod-trunc.o mod.o
    reload
    expect_failed corrupt-object-fails "mod\.o"
    query
    check corrupt-object-nothing-applied "1 1 3" "$(qv mod) $(qv other) $(qv count)" "mod other count"

    use mod2.o mod.o
    reload
    expect_reloaded good-reload-applies-all "mod.o other.o"
    query
    check accumulated-changes-applied "2 2 4" "$(qv mod) $(qv other) $(qv count)" "mod other count"
    check address-kept-after-failures "$(qv addr_counter "$q0")" "$(qv addr_counter)" "&counter"

    reload
    expect_nothing nothing-left-to-reload 3

    session_stop
}

for_variants test_failure $RL_VARIANTS gcc-asan
