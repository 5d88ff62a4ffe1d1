#!/usr/bin/env bash
# A C++ function-local static object and its guard variable share one
# fate. Version 2 changes the object's member from int to float, which
# cannot follow; with --on-conflict=reset the object starts again, and
# its guard must start again too, so that the first call constructs it, as
# in the program linked by the compiler from version 2. (Kept, the guard
# would say "constructed" over zeroed storage: the tally would read 0.)
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

cxx() { # OUT SOURCE FLAGS...
    local out=$1 src=$2; shift 2
    (cd "$W" && "$CXX" -g "${CFL[@]}" -I"$RL_SRC" "$@" -c "$RL_SRC/guards/$src" -o "$out") >>"$W/build.log" 2>&1 ||
        RL_BUILD_ERRORS="$RL_BUILD_ERRORS; $CXX $src: $(tail -c 300 "$W/build.log")"
}

test_guards() {
    CXX=${CC/gcc/g++} CXX=${CXX/clang/clang++}
    cxx main.o main.cpp
    cxx statics1.o statics.cpp -DVER=1
    cxx statics2.o statics.cpp -DVER=2
    builds_ok || return
    use statics1.o statics.o
    session_start --session "$SNAME" main.o statics.o -lstdc++ || return
    send hit
    query
    check before 43 "$(qv tally)" "constructed (42), hit once"
    use statics2.o statics.o
    client "$S_DIR" --on-conflict=reset "${S_ARGS[@]}"
    expect_reloaded reset statics.o warnings
    query
    check constructed-again "$(linked_answer linked2 main.o statics2.o -lstdc++)" "$(answers "$S_OUT" "$QT")" \
        "the tally as the linked version 2 starts"
    session_stop
}

for_variants test_guards gcc clang-O2 gcc-asan
