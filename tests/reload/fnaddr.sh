#!/usr/bin/env bash
# One function, one address (issue 20, case 7), across reloads: keep.o
# and other.o are built -fno-pie, so their 32-bit absolute references to
# puts make its stub the function's address, as GNU ld makes the PLT
# entry for a -no-pie executable; main.o (-fPIC) and pie.o take puts's
# address through the GOT. Every address of puts the program compares, taken
# before or after a reload of other.o and pie.o, is the same, as in the
# program gcc links with -no-pie.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

versions() {
    local v
    for v in 1 2; do
        build "other$v.o" fnaddr/other.c -fno-pie -DVER=$v && build "pie$v.o" fnaddr/pie.c -fPIE -DVER=$v
    done
}

test_fnaddr() {
    build main.o fnaddr/main.c -fPIC && build keep.o fnaddr/keep.c -fno-pie
    versions
    builds_ok || return
    use other1.o other.o; use pie1.o pie.o
    session_start --session "$SNAME" main.o keep.o other.o pie.o || return
    query
    check first-as-linked "$(linked_answer linked1 main.o keep.o other1.o pie1.o -no-pie)" \
        "$(answers "$S_OUT" "$QT")" "answer"
    use other2.o other.o; use pie2.o pie.o
    reload
    expect_reloaded reload "other.o pie.o"
    query
    check reloaded-as-linked "$(linked_answer linked2 main.o keep.o other2.o pie2.o -no-pie)" \
        "$(answers "$S_OUT" "$QT")" "answer"
    session_stop
}

for_variants test_fnaddr gcc gcc-O2 clang-O2 gcc-asan
