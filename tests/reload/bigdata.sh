#!/usr/bin/env bash
# An object with a kept 200 MiB array, reloaded ten times with new code:
# every reload goes through and the array keeps its value. A new version's
# storage that nothing uses (the kept array stays where it was) gives its
# address space back, and so does a failed reload's image: the image
# region (1 GiB) is not used up after a few reloads.
# An array of twelve million structs whose layout changes would need a copy
# plan of an entry per element and field (dwarf/typematch.c): it goes to
# --on-conflict with the reason, and abort leaves the program as it was
# (a crafted array type of 2^40 elements took the plan for ever).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_bigdata() {
    local v
    build main.o bigdata/main.c -g
    for v in $(seq 1 10); do build mod$v.o bigdata/mod.c -g -DVER=$v; done
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    send touch
    local bad=""
    for v in $(seq 2 10); do
        use mod$v.o mod.o
        reload
        [ "$R_RC" -eq 0 ] || bad="$bad reload $v: $(client_said);"
        if [ "$v" = 5 ]; then # a failed reload gives its image back too
            printf 'garbage' >"$W/mod.o"
            reload
            use mod$v.o mod.o
        fi
        send touch
    done
    check all-reloads "" "$bad" "failed reloads"
    query
    check kept-and-current "10 20" "$(qv version) $(qv touched)" "version, both ends touched ten times"
    session_stop
}

test_too_many_elements() {
    local v
    build main.o bigdata/main.c -g
    for v in 1 2; do build cells$v.o bigdata/cells.c -g -DVER=$v; done
    builds_ok || return
    use cells1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    send touch
    use cells2.o mod.o
    client "$S_DIR" --on-conflict=abort "${S_ARGS[@]}"
    expect_failed too-many-elements-refused "cells.*12582912 elements whose layout changed: too many to migrate one by one"
    send touch
    query
    check too-many-elements-untouched "1 4" "$(qv version) $(qv touched)" "version, both ends touched twice"
    session_stop
}

for_variants test_bigdata gcc clang-O2 gcc-asan
for_variants test_too_many_elements gcc clang-O2
