#!/usr/bin/env bash
# Two static functions of the same name, from two files linked into one
# object (ld -r), as in a unity or partially linked build. Functions are
# matched by file and name, not name alone: after a reload each old entry
# (reached here through pointers the program saved) goes to its own file's
# new version, not to the first function of that name. A version built
# from renamed copies of the sources (generated, or moved) is matched all
# the same: by name and rank, not by source file name.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_twins() {
    local v
    build main.o twins/main.c -g
    for v in 1 2; do
        build a$v.o twins/a.c -g -DVER=$v
        build b$v.o twins/b.c -g -DVER=$v
        ld -r -o "$W/mod$v.o" "$W/a$v.o" "$W/b$v.o" 2>>"$W/ld.log" ||
            RL_BUILD_ERRORS="$RL_BUILD_ERRORS; ld -r: $(head -c 300 "$W/ld.log")"
    done
    cp "$RL_SRC/twins/a.c" "$W/a_copy.c" && cp "$RL_SRC/twins/b.c" "$W/b_copy.c"
    "$CC" "${CFL[@]}" -g -I"$RL_SRC" -DVER=3 -c "$W/a_copy.c" -o "$W/a3.o" 2>>"$W/ld.log" &&
        "$CC" "${CFL[@]}" -g -I"$RL_SRC" -DVER=3 -c "$W/b_copy.c" -o "$W/b3.o" 2>>"$W/ld.log" &&
        ld -r -o "$W/mod3.o" "$W/a3.o" "$W/b3.o" 2>>"$W/ld.log" ||
        RL_BUILD_ERRORS="$RL_BUILD_ERRORS; renamed copies: $(head -c 300 "$W/ld.log")"
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    query
    check before "11 21" "$(qv a) $(qv b)" "helpers"
    use mod2.o mod.o
    reload
    expect_reloaded reload mod.o
    query
    check each-its-own "12 22" "$(qv a) $(qv b)" "helpers through pointers saved before the reload"
    use mod3.o mod.o
    reload
    expect_reloaded reload-renamed-sources mod.o
    query
    check renamed-sources "13 23" "$(qv a) $(qv b)" "helpers built from renamed sources"
    session_stop
}

for_variants test_twins $RL_VARIANTS gcc-asan
