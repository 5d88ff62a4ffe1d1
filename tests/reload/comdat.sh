#!/usr/bin/env bash
# Issue 16, defect 3: the kept copy of a COMDAT group moves between
# objects. An inline C++ function is used by a.o and b.o, and the link
# keeps a.o's copy; main.o took its address at start. Version 2 of a.cpp
# no longer uses it, so the kept copy is b.o's (with a new body); version
# 3 changes its body again in b.o; version 4 uses it in a.cpp again, and
# the copy moves back. After each reload the program answers as the
# g++-linked program of that version does: the address taken at start
# calls the newest body, and the report counts the function as changed,
# never as removed from one object and added to another. Both objects
# also define a weak function: the first in the command line's order wins,
# also when a reload links only the objects that changed.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# linked VERSION: the g++-linked program's answer.
linked() { linked_answer "linked$1" main.o "a$1.o" "b$1.o"; }

test_comdat() {
    local v want
    CXX=${CC/gcc/g++} CXX=${CXX/clang/clang++}
    for v in 1 2 3 4; do
        (cd "$W" && "$CXX" -g "${CFL[@]}" -I"$RL_SRC" -DVER=$v -c "$RL_SRC/comdat/a.cpp" -o "a$v.o" &&
            "$CXX" -g "${CFL[@]}" -I"$RL_SRC" -DVER=$v -c "$RL_SRC/comdat/b.cpp" -o "b$v.o") >>"$W/build.log" 2>&1 ||
            RL_BUILD_ERRORS="$RL_BUILD_ERRORS; $(head -c 300 "$W/build.log")"
    done
    (cd "$W" && "$CXX" -g "${CFL[@]}" -I"$RL_SRC" -c "$RL_SRC/comdat/main.cpp" -o main.o) >>"$W/build.log" 2>&1 ||
        RL_BUILD_ERRORS="$RL_BUILD_ERRORS; $(head -c 300 "$W/build.log")"
    builds_ok || return
    use a1.o a.o; use b1.o b.o
    session_start --session "$SNAME" main.o a.o b.o -lstdc++ || return
    query
    check v1-as-linked "$(linked 1)" "$(answers "$S_OUT" "$QT")" "answer"
    for v in 2 3 4; do
        use "a$v.o" a.o; use "b$v.o" b.o
        reload
        expect_reloaded "v$v-reloaded" "a.o b.o"
        case $R_OUT in *", 0 added, 0 removed;"*) ok "$P/v$v-nothing-added-or-removed" ;;
            *) not_ok "$P/v$v-nothing-added-or-removed" "the report: $R_OUT" ;; esac
        query
        check "v$v-as-linked" "$(linked $v)" "$(answers "$S_OUT" "$QT")" "answer"
    done
    session_stop
}

for_variants test_comdat gcc clang-O2 gcc-asan
