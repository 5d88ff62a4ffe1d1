#!/usr/bin/env bash
# Issue 16, C++ classes: a Square made at start lives on the heap while
# its class changes (src/vtables/). Version 2 swaps two virtual methods
# (and changes one): the object made earlier must call them as the new
# code numbers them, as in the g++-linked program of that version; the
# report (-v) says the vtable was rewritten. Going back and forth keeps it so.
# Version 5 adds a virtual method after the others: the vtable grows at
# its end, so the early object is moved to the new table (the pointer scan
# follows its vptr) and calls the new method as linked; the report says
# so. Back to version 2, the table shrinks to what the early object's
# holds: nothing to do. Without the heap's pointers followed
# (--rewrite-pointers=data) the grown table is a conflict as below.
# Version 3 adds a virtual method, so the vtable grows and cannot be
# rewritten where the early object points: --on-conflict=abort fails the
# reload naming the class, with the program untouched; the default off a
# terminal reloads with a warning that names the class. Version 4 adds a
# data member to Square, whose object on the heap keeps the old layout:
# --on-conflict=abort fails naming it, program untouched; the default
# reloads with a warning naming it.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# linked VERSION: the answer of the program linked by the compiler.
linked() { linked_answer "linked$1" main.o "shapes$1.o" "describe$1.o"; }

cxx() { # OUT SOURCE FLAGS...
    local out=$1 src=$2; shift 2
    (cd "$W" && "$CXX" -g "${CFL[@]}" -I"$RL_SRC" "$@" -c "$RL_SRC/vtables/$src" -o "$out") >>"$W/build.log" 2>&1 ||
        RL_BUILD_ERRORS="$RL_BUILD_ERRORS; $CXX $src: $(tail -c 300 "$W/build.log")"
}

# to VERSION NAME: reload it (-v: the report lists rewritten vtables);
# the early square answers as linked.
to() {
    use "shapes$1.o" shapes.o; use "describe$1.o" describe.o
    client "$S_DIR" -v "${S_ARGS[@]}"
    expect_reloaded "$2-reloaded" "shapes.o describe.o"
    query
    check "$2-as-linked" "$(linked "$1")" "$(answers "$S_OUT" "$QT")" "answer"
}

test_vtables() {
    local v
    CXX=${CC/gcc/g++} CXX=${CXX/clang/clang++}
    for v in 1 2 3 4 5; do cxx "shapes$v.o" shapes.cpp -DVER=$v; cxx "describe$v.o" describe.cpp -DVER=$v; done
    cxx main.o main.cpp
    builds_ok || return
    use shapes1.o shapes.o; use describe1.o describe.o
    session_start --session "$SNAME" main.o shapes.o describe.o -lstdc++ || return
    query
    check v1-as-linked "$(linked 1)" "$(answers "$S_OUT" "$QT")" "answer"
    to 2 swapped
    if printf '%s\n' "$R_OUT" | grep -q "^hotld: rewrote the vtable of 'Square' of .*shapes\.o: its methods changed slots"; then
        ok "$P/swapped-told"
    else
        not_ok "$P/swapped-told" "no line 'rewrote the vtable of 'Square'' in the report: $R_OUT"
    fi
    to 1 back
    to 2 again
    use shapes5.o shapes.o; use describe5.o describe.o
    client "$S_DIR" --rewrite-pointers=data --on-conflict=abort "${S_ARGS[@]}"
    expect_failed appended-unfollowed-aborts "class '(Shape|Square)' of .*shapes\.o: its vtable changed size \(6 -> 7 entries\).*reload aborted"
    to 5 appended
    if printf '%s\n' "$R_OUT" | grep -q "^hotld: moved to the new vtable of 'Square' of .*shapes\.o: the objects made earlier, as it grew at its end from 6 to 7 entries"; then
        ok "$P/appended-told"
    else
        not_ok "$P/appended-told" "no line 'moved to the new vtable of 'Square'' in the report: $R_OUT"
    fi
    to 2 shrunk
    [ -z "$R_ERR" ] && ok "$P/shrunk-quiet" || not_ok "$P/shrunk-quiet" "a warning: $R_ERR"
    use shapes3.o shapes.o; use describe3.o describe.o
    client "$S_DIR" --on-conflict=abort "${S_ARGS[@]}"
    expect_failed grown-aborts "class '(Shape|Square)' of .*shapes\.o: its vtable changed size \(6 -> 7 entries\).*reload aborted"
    query
    check grown-untouched "$(linked 2)" "$(answers "$S_OUT" "$QT")" "answer"
    reload
    expect_reloaded grown-reloaded "shapes.o describe.o" warnings
    if printf '%s\n' "$R_ERR" | grep -q "^hotld: warning: class 'Square' of .*shapes\.o: its vtable changed size (6 -> 7 entries).*reloaded anyway"; then
        ok "$P/grown-warned"
    else
        not_ok "$P/grown-warned" "no warning naming class 'Square': $(client_said)"
    fi
    use shapes4.o shapes.o
    client "$S_DIR" --on-conflict=abort "${S_ARGS[@]}"
    expect_failed member-aborts "struct 'Square' of .*shapes\.o: its layout changed \(16 bytes, fields moved\).*reload aborted"
    query
    check member-untouched "$(linked 3)" "$(answers "$S_OUT" "$QT")" "answer"
    reload
    expect_reloaded member-reloaded shapes.o warnings
    if printf '%s\n' "$R_ERR" | grep -q "^hotld: warning: struct 'Square' of .*shapes\.o: its layout changed (16 bytes, fields moved).*reloaded anyway"; then
        ok "$P/member-warned"
    else
        not_ok "$P/member-warned" "no warning naming struct 'Square': $(client_said)"
    fi
    session_stop
}

for_variants test_vtables gcc gcc-O2 clang-O2 gcc-asan
