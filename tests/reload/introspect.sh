#!/usr/bin/env bash
# The program looks itself up through hotld.h: hotld_lookup finds a
# global, a file static, a thread-local variable (the calling thread's
# copy) and a function of another object at the addresses the program
# itself sees, and NULL for a name that does not exist; hotld_symbols
# lists every function and variable with its size, kind, object and
# version, and after a reload of mod.o its mod_value is version 1. Linked
# without hotld (gcc), the same program gets the no-ops' answers.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_introspect() {
    build main.o introspect/main.c
    build mod1.o introspect/mod.c -DVER=1
    build mod2.o introspect/mod.c -DVER=2
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    query
    check lookups "1 1 1 1 1" "$(qv lookups) $(qv lookups "$QT" 2) $(qv lookups "$QT" 3) $(qv lookups "$QT" 4) $(qv lookups "$QT" 5)" \
        "global, file static, thread-local, function, missing"
    check symbols-v0 "1 1 0 mod.o 0" \
        "$(qv mod_value) $(qv mod_value "$QT" 2) $(qv mod_value "$QT" 3) $(qv mod_value "$QT" 4) $(qv mod_value "$QT" 5)" \
        "mod_value: seen, has a size, kind, object, version"
    check listed "1 1" "$(qv listed) $(qv listed "$QT" 2)" "listed > 5, stopped count = full count"
    use mod2.o mod.o
    reload
    expect_reloaded reload mod.o
    query
    check symbols-v1 "2 1" "$(qv value) $(qv mod_value "$QT" 5)" "value and mod_value's version"
    check lookups-after "1 1 1 1 1" "$(qv lookups) $(qv lookups "$QT" 2) $(qv lookups "$QT" 3) $(qv lookups "$QT" 4) $(qv lookups "$QT" 5)" \
        "lookups after the reload"
    session_stop
    if (cd "$W" && gcc main.o mod1.o -o linked) 2>"$W/link.log"; then
        local out; out=$(cd "$W" && printf 'q x\n' | ./linked)
        check linked-no-ops "x lookups 0 0 0 0 1|x mod_value 0 0 0 - 0|x listed 0 1|" \
            "$(printf '%s\n' "$out" | grep -v -e ready -e 'x end' -e '^x value' | tr '\n' '|')" "answers when linked without hotld"
    else
        not_ok "$P/linked-no-ops" "$(head -c 300 "$W/link.log")"
    fi
}

for_variants test_introspect gcc clang gcc-asan
