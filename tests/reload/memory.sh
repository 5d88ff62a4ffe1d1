#!/usr/bin/env bash
# What a reload maps: only the pages the reloaded object fills. code.o
# holds a little code and constants, and its .data and .bss are empty, as
# gcc emits them for such a file. Each reload of it used to map a page of
# writable data holding nothing, and fault it in, and to give the
# constants and the relocated data (its GOT) a page each. The program
# lists the segments of the image its newest code.o was loaded into
# (dl_iterate_phdr), and the pages they span: after a reload of code.o,
# the headers' page (which nothing touches), code, constants and
# relocated data, on three pages: no writable data, and one page for the
# constants and the relocated data. A version with a variable gets its
# data segment, on a page of its own. A C++ version of code alone (g++ and
# clang++ emit empty .data and .bss as well) maps three pages again.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_memory() {
    build main.o memory/main.c && build code1.o memory/code.c -DVER=1 &&
        build code2.o memory/code.c -DVER=2 && build code3.o memory/code.c -DVER=1 -DCOUNTED &&
        build_cxx code4.o memory/code.cc -DVER=3
    builds_ok || return
    use code1.o code.o
    session_start --session "$SNAME" main.o code.o || return
    query
    check first "version-1" "$(qv where)" "where()"
    use code2.o code.o
    reload
    expect_reloaded reloaded code.o
    query
    check code-only "version-2 R,RX,R,RW 3" "$(qv where) $(qv segments) $(qv pages)" \
        "where(), the segments of its image (R: headers, RX: code, R: constants, RW: relocated data) and their pages"
    use code3.o code.o
    reload
    expect_reloaded reloaded-with-variable code.o
    query
    check with-variable "version-1 R,RX,R,RW,RW 4" "$(qv where) $(qv segments) $(qv pages)" \
        "where(), the segments of its image (data as well) and their pages"
    use code4.o code.o
    reload
    expect_reloaded reloaded-cxx code.o
    query
    check cxx-code-only "version-3 R,RX,R,RW 3" "$(qv where) $(qv segments) $(qv pages)" \
        "where(), the segments of its image and their pages, the object C++"
    session_stop
}

# A start's image of 1 MiB or more goes on transparent huge pages
# (loader/memory.c: on a virtual machine each small page's first touch
# traps to the hypervisor): its mapping is advised for them (the flag
# "hg" in /proc/self/smaps). A smaller start's is not, nor is a reload's,
# whose memory follows the pages it fills (test_memory above).
test_huge() {
    build main.o memory/main.c && build code1.o memory/code.c -DVER=1 &&
        build code2.o memory/code.c -DVER=2 && build big.o memory/big.c
    builds_ok || return
    use code1.o code.o
    session_start --session "$SNAME" main.o code.o || return
    query
    check small-start-small-pages "version-1 no" "$(qv where) $(qv huge)" \
        "where(), and whether its image's mapping is advised for huge pages (a small start's)"
    session_stop
    session_start --session "$SNAME" main.o code.o big.o || return
    query
    check big-start-huge-pages "version-1 yes" "$(qv where) $(qv huge)" \
        "where(), and whether its image's mapping is advised for huge pages (1 MiB of constants)"
    use code2.o code.o
    reload
    expect_reloaded reloaded-after-big-start code.o
    query
    check reload-small-pages "version-2 no" "$(qv where) $(qv huge)" \
        "where(), and whether the reload's image is advised for huge pages"
    session_stop
}

for_variants test_memory gcc clang-O2 gcc-asan
for_variants test_huge gcc clang-O2

# A section aligned to 256 MiB leaves the image mostly a hole (a crafted
# object can ask for alignments up to 4 GiB). The link must fault in only
# the pages it writes: populating the whole written range took 260 MiB of
# memory for a 3-line program (found by fuzz_link, out of memory). It
# runs as gcc links it, in a few MiB.
test_hole() {
    local dir=$TMP/hole
    mkdir -p "$dir"
    printf 'const char msg[] = "hi";\nint x = 3;\nint main(void) { return msg[0] == 104 ? x : 1; }\n' >"$dir/hole.c"
    gcc -c "$dir/hole.c" -o "$dir/plain.o" &&
        python3 "$HOTLD_ROOT/tests/badinput/elfpatch.py" set "$dir/plain.o" "$dir/hole.o" \
            "shdr[.rodata].sh_addralign=0x10000000" &&
        gcc "$dir/hole.o" -o "$dir/linked" || { not_ok memory/hole/build "gcc or elfpatch failed"; return; }
    local want got rss
    "$dir/linked"; want=$?
    /usr/bin/time -f '%M' -o "$dir/rss" "$HOTLD" "$dir/hole.o" >/dev/null 2>&1; got=$?
    expect_eq memory/hole/runs-as-linked "$want" "$got"
    rss=$(tail -n 1 "$dir/rss")
    if [ "$rss" -lt $((64 * 1024)) ]; then ok memory/hole/small
    else not_ok memory/hole/small "hotld's peak RSS is $rss KiB for a program of a few bytes"; fi
}
test_hole
