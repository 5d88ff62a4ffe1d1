#!/usr/bin/env bash
# What a reload maps: only the segments the reloaded object fills. code.o
# holds code and constants, and its .data and .bss are empty, as a
# compiler emits them for such a file; each reload of it used to map, and
# fault in, a page of writable data holding nothing. The program lists
# the segments of the image its newest code.o was loaded into
# (dl_iterate_phdr): after a reload of code.o alone, the headers' page,
# code, constants and relocated data (its GOT); no writable data. A
# version with a variable gets its data segment.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_memory() {
    build main.o memory/main.c && build code1.o memory/code.c -DVER=1 &&
        build code2.o memory/code.c -DVER=2 && build code3.o memory/code.c -DVER=1 -DCOUNTED
    builds_ok || return
    use code1.o code.o
    session_start --session "$SNAME" main.o code.o || return
    query
    check first "version-1" "$(qv where)" "where()"
    use code2.o code.o
    reload
    expect_reloaded reloaded code.o
    query
    check code-only "version-2 R,RX,R,RW" "$(qv where) $(qv segments)" \
        "where(), and the segments of its image (R: headers, RX: code, R: constants, RW: relocated data)"
    use code3.o code.o
    reload
    expect_reloaded reloaded-with-variable code.o
    query
    check with-variable "version-1 R,RX,R,RW,RW" "$(qv where) $(qv segments)" \
        "where(), and the segments of its image: data as well"
    session_stop
}

for_variants test_memory gcc clang-O2 gcc-asan
