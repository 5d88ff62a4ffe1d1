#!/usr/bin/env bash
# valgrind names the program's frames with file and line (issue 26), as
# for the program linked by the compiler (the oracle): memcheck with
# --error-exitcode=9 on a heap overflow gives the same exit status, and
# the frames of the invalid write and of the block's allocation, down to
# main, read the same (FUNCTION (FILE:LINE)), with nothing of hotld's
# below main. A clean run is clean, also with --leak-check=full, which
# counts the thread-local block of a thread still running at exit as
# possibly lost: hotld's control thread ends before the program does (a
# project whose tests run under valgrind would fail them all). Then a
# reload under valgrind: the new version's frames are named too.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

if ! command -v valgrind >/dev/null; then
    "$HOTLD_ROOT/scripts/deps.sh" valgrind >/dev/null 2>&1
fi
command -v valgrind >/dev/null || { not_ok valgrind/installed "valgrind is not installed"; exit 1; }

VG=(valgrind -q --error-exitcode=9)

# frames LOG: the frames of memcheck's reports, addresses and pids cut
frames() { sed -nE 's/^==[0-9]+== +(at|by) 0x[0-9A-F]+: (.*)$/\1 \2/p' "$1"; }

test_memcheck() {
    local lang=() cxx=$CC mode
    case $V in *-cxx) lang=(-x c++); cxx=${CC/clang/clang++}; [ "$cxx" = gcc ] && cxx=g++ ;; esac
    build overflow.o tools/overflow.c -g "${lang[@]}" "${CFL[@]}"
    builds_ok || return
    (cd "$W" && "$cxx" overflow.o -o linked) >"$W/link.log" 2>&1 ||
        { not_ok "$P/linked" "$(head -c 300 "$W/link.log")"; return; }
    for mode in clean overflow; do
        (cd "$W" && "${VG[@]}" ./linked "$mode" >"linked-$mode.out" 2>"linked-$mode.err")
        local want=$?
        (cd "$W" && "${VG[@]}" "$HOT" overflow.o -- "$mode" >"hot-$mode.out" 2>"hot-$mode.err")
        local got=$? why=""
        [ "$got" = "$want" ] || why="exit status $got, linked $want"
        frames "$W/linked-$mode.err" >"$W/linked-$mode.frames"
        frames "$W/hot-$mode.err" >"$W/hot-$mode.frames"
        cmp -s "$W/linked-$mode.frames" "$W/hot-$mode.frames" ||
            why="$why; frames differ: $(diff "$W/linked-$mode.frames" "$W/hot-$mode.frames" | head -n 6 | tr '\n' '|')"
        if [ "$mode" = overflow ] && ! grep -qE 'spill(\(char\*, int\))? \(overflow.c:11\)' "$W/hot-$mode.frames"; then
            why="$why; the write is not named spill (overflow.c:11)"
        fi
        if [ -z "$why" ]; then ok "$P/$mode"; else not_ok "$P/$mode" "$why"; fi
    done
    (cd "$W" && "${VG[@]}" --leak-check=full "$HOT" overflow.o -- clean >hot-leaks.out 2>hot-leaks.err)
    local rc=$?
    if [ "$rc" = 0 ] && ! grep -q ' lost in loss record' "$W/hot-leaks.err"; then ok "$P/leak-check-clean"
    else not_ok "$P/leak-check-clean" "exit $rc: $(grep -A6 ' lost in loss record' "$W/hot-leaks.err" | head -n 8 | tr '\n' '|')"; fi
}

# A reload under valgrind: work() is reloaded (version 2 then writes past
# its block) and memcheck names the new version's frame.
test_reload() {
    QT=none
    build main.o tools/reloaded.c -g -DPART=1 && build work1.o tools/reloaded.c -g -DPART=2 -DVER=1 &&
        build work2.o tools/reloaded.c -g -DPART=2 -DVER=2
    builds_ok || return
    use work1.o work.o
    printf '#!/bin/sh\nexec valgrind -q --error-exitcode=9 %s "$@"\n' "$HOT" >"$W/under-valgrind"
    chmod +x "$W/under-valgrind"
    local hot=$HOT
    HOT=$W/under-valgrind session_start --session "$SNAME" main.o work.o || return
    query
    check before 1 "$(qv work)" "version 1's work()"
    use work2.o work.o
    HOT=$hot reload
    [ "$R_RC" = 0 ] && ok "$P/reloaded" || not_ok "$P/reloaded" "$(client_said)"
    query
    check after 2 "$(qv work)" "version 2's work()"
    send quit
    wait "$S_PID"; S_RC=$?
    check exit-status 9 "$S_RC" "valgrind's --error-exitcode for the reloaded code's write"
    S_PID=""
    if grep -qE '(at|by) 0x[0-9A-F]+: work \(reloaded.c:[0-9]+\)' "$S_ERR"; then ok "$P/new-version-named"
    else not_ok "$P/new-version-named" "$(grep -A3 Invalid "$S_ERR" | head -n 4 | tr '\n' '|')"; fi
}

for_variants test_memcheck gcc clang gcc-cxx clang-O2
for_variants test_reload gcc
