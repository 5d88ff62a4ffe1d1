#!/usr/bin/env bash
# C++ state in COMDAT groups keeps its values across a reload: a static
# inside an inline function, an inline variable and a class template's
# static member (src/inlinevars/), which every object that includes the
# header emits, and the link keeps one copy of; and a weak definition. bump.o, edited, adds VER
# to each; main.o, never rebuilt, counts with "b". After a reload of
# bump.o, the state goes on from where it was, plus version 2's bump:
# the program's copy stays the one it was (main.o's, first on the command
# line), or, with bump.o first, bump.o's old copy's values go to its new
# one; and with bump.o first but its first version not using the state
# (no copies of the groups), the copies of main.o, which stays, are the
# ones its new version uses. (Every reload of bump.o used to give the
# program fresh copies, at their initial values, counted as "3 new"; the
# weak one too.) The linked program of
# version 1 is the oracle for the start.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

state() { echo "$(qv state "$QT" 1) $(qv state "$QT" 2) $(qv state "$QT" 3) $(qv state "$QT" 4)"; }

# order NAME OBJ...: a session of OBJ..., "b" and a query, a reload of
# bump.o version 2, a query, a reload back to version 1 (brought back), a query.
order() {
    local name=$1; shift
    use bump1.o bump.o
    session_start --session "$SNAME-$name" "$@" -lstdc++ || return
    send b
    query
    check "$name/start-as-linked" "$(LINKED_HISTORY=$'b\n' linked_answer linked main.o bump1.o | sed -n 's/^state \(.*\);bumped.*/\1/p')" \
        "$(state)" "state"
    use bump2.o bump.o
    reload
    expect_reloaded "$name/reloaded" bump.o
    case $R_OUT in *" 0 new, "*) ok "$P/$name/nothing-new" ;; *) not_ok "$P/$name/nothing-new" "$R_OUT" ;; esac
    query
    check "$name/state-goes-on" "4 13 108 1010" "$(state)" "state (2 11 106 1008 and version 2's bump)"
    check "$name/new-code" 2 "$(qv bumped)" "bump()"
    use bump1.o bump.o
    reload
    expect_reloaded "$name/back" bump.o
    query
    check "$name/state-still-goes-on" "5 14 109 1011" "$(state)" "state (and version 1's bump)"
    session_stop
}

test_inlinevars() {
    CXX=${CC/gcc/g++} CXX=${CXX/clang/clang++}
    build_cxx main.o inlinevars/main.cpp -g -std=c++17
    build_cxx bump1.o inlinevars/bump.cpp -g -std=c++17 -DVER=1
    build_cxx bump2.o inlinevars/bump.cpp -g -std=c++17 -DVER=2
    build_cxx bump0.o inlinevars/bump.cpp -g -std=c++17 -DVER=0
    builds_ok || return
    order main-first main.o bump.o
    order bump-first bump.o main.o
    first_user
}

# bump.o first, its version 0 without copies of the groups: the program's
# are main.o's, after it on the command line, and stay so.
first_user() {
    use bump0.o bump.o
    session_start --session "$SNAME-first-user" bump.o main.o -lstdc++ || return
    send b
    query
    check first-user/start "1 10 105 1007" "$(state)" "state"
    use bump2.o bump.o
    reload
    expect_reloaded first-user/reloaded bump.o
    query
    check first-user/state-goes-on "3 12 107 1009" "$(state)" "state (1 10 105 1007 and version 2's bump)"
    session_stop
}

for_variants test_inlinevars gcc gcc-O2 clang clang-O2 gcc-asan
