#!/usr/bin/env bash
# Which constructors a reload runs. A replaced object's constructors set
# its kept variables, so they never run again: when a reload also adds an
# object, only the added object's run (they all ran: name.o's string,
# grown by the program, was constructed again, "start++" became "start",
# and its constructor counted a second run, while the report said "1
# variables kept"). A replaced object whose constructors set only
# variables new in this version (cache.o's version 2: a map and a string,
# where version 1 had none) has them run, before the commit, so that its
# new code finds them constructed (they were left zero-filled: the map's
# first insert died of SIGSEGV). Such a constructor that crashes fails
# the reload, naming its object, and leaves the program as it was (it
# killed the program); an added object's that crashes is a warning, as
# the reload is applied by then. The answers after the reloads are those
# of the program the compiler links from the last versions, given the same
# commands.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_constructors() {
    build_cxx main.o constructors/main.cpp -g
    build_cxx name1.o constructors/name.cpp -g -DVER=1
    build_cxx name2.o constructors/name.cpp -g -DVER=2
    build_cxx extra.o constructors/extra.cpp -g
    build_cxx cache1.o constructors/cache.cpp -g -DVER=1
    build_cxx cache2.o constructors/cache.cpp -g -DVER=2
    build_cxx cache3.o constructors/cache.cpp -g -DVER=3
    build_cxx crashing.o constructors/extra.cpp -g -DCRASH
    builds_ok || return
    CXX=${CC/gcc/g++} CXX=${CXX/clang/clang++}
    local want; want=$(LINKED_HISTORY=$'g\ng\n' linked_answer linked main.o name2.o extra.o cache2.o)
    use name1.o name.o; use cache1.o cache.o
    session_start --session "$SNAME" main.o name.o cache.o -lstdc++ || return
    send g; send g
    query
    check before "start++ 1 none -5" "$(qv name) $(qv runs) $(qv extra) $(qv cached)" "answer"
    use name2.o name.o
    client "$S_DIR" main.o name.o cache.o extra.o -lstdc++ --session "$SNAME"
    case $R_OUT in "hotld: reloaded name.o, new extra.o: "*) ok "$P/added-and-replaced" ;;
        *) not_ok "$P/added-and-replaced" "$(client_said)" ;; esac
    query
    check kept-not-constructed-again "start++ 1" "$(qv name) $(qv runs)" "name and constructor runs"
    check added-constructed "extra, constructed" "$(qv extra) $(qv extra "$QT" 2)" "extra"
    use cache3.o cache.o
    client "$S_DIR" main.o name.o cache.o extra.o -lstdc++ --session "$SNAME"
    expect_failed crashing-constructor-fails "a constructor of cache\.o crashed \(Segmentation fault at 0x[0-9a-f]+"
    query
    check crashing-constructor-untouched "start++ 1 -5" "$(qv name) $(qv runs) $(qv cached)" "answer"
    use cache2.o cache.o
    client "$S_DIR" main.o name.o cache.o extra.o -lstdc++ --session "$SNAME"
    expect_reloaded new-variables-constructed cache.o
    query
    check as-linked "$want" "$(answers "$S_OUT" "$QT")" "answer"
    client "$S_DIR" main.o name.o cache.o extra.o crashing.o -lstdc++ --session "$SNAME"
    case $R_RC/$R_OUT/$R_ERR in
        "0/hotld: reloaded new crashing.o: "*"/hotld: warning: a constructor of crashing.o crashed (Segmentation fault at "*"what it set may be half made")
            ok "$P/added-crashing-said" ;;
        *) not_ok "$P/added-crashing-said" "$(client_said)" ;;
    esac
    query
    check added-crashing-goes-on "$want" "$(answers "$S_OUT" "$QT")" "answer"
    session_stop
}

for_variants test_constructors gcc gcc-O2 clang-O2 gcc-asan
