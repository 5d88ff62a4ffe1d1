#!/usr/bin/env bash
# Objects built with -fsanitize=address,undefined run under hotld with no
# hand work (issue 26): hotld adds the runtimes their references name,
# as gcc's driver does, and starts again with ASan's preloaded (it must
# be the process's first library). Against the program linked by the
# compiler with the same flags:
#   - planted.c clean, with a heap overflow, with a leak: the same exit
#     status; the overflow and the leak reported (100 bytes, not a block
#     of hotld's, and not the block only a global of the image points to);
#     the program's LD_PRELOAD is its own again once it runs; the
#     reports' frames in the program name the same functions and lines;
#   - race.c under ThreadSanitizer: the same exit status, the race's
#     frames named the same;
#   - a reload under ASan that migrates a variable, in a program that
#     forks a worker: values kept, no report, exit status 0.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

SAN=(-fsanitize=address,undefined -fno-omit-frame-pointer)

# program_frames LOG: the report's frames in planted.c, as "FUNCTION
# planted.c:LINE" (the overflow and its allocation, the leak's allocation)
program_frames() {
    sed -nE 's/^ +#[0-9]+ 0x[0-9a-f]+ in ([^ ]+) [^ ]*(planted\.c:[0-9]+).*/\1 \2/p' "$1" | tr '\n' ';'
}

test_planted() {
    local lang=() cxx=$CC mode
    case $V in *-cxx) lang=(-x c++); cxx=${CC/clang/clang++}; [ "$cxx" = gcc ] && cxx=g++ ;; esac
    build planted.o sanitizers/planted.c -g "${lang[@]}" "${SAN[@]}"
    builds_ok || return
    (cd "$W" && "$cxx" "${SAN[@]}" planted.o -o linked) >"$W/link.log" 2>&1 ||
        { not_ok "$P/linked" "$(head -c 300 "$W/link.log")"; return; }
    for mode in clean overflow leak; do
        (cd "$W" && ./linked "$mode" >"linked-$mode.out" 2>"linked-$mode.err")
        local want=$?
        (cd "$W" && "$HOT" planted.o -- "$mode" >"hot-$mode.out" 2>"hot-$mode.err")
        local got=$?
        local why=""
        [ "$got" = "$want" ] || why="exit status $got, linked $want"
        case $mode in
            clean) grep -q Sanitizer "$W/hot-$mode.err" && why="$why; a report on a clean run"
                cmp -s "$W/hot-$mode.out" "$W/linked-$mode.out" || why="$why; stdout $(cat "$W/hot-$mode.out")" ;;
            overflow) grep -q 'ERROR: AddressSanitizer: heap-buffer-overflow' "$W/hot-$mode.err" || why="$why; no overflow report" ;;
            leak) grep -q 'SUMMARY: AddressSanitizer: 100 byte(s) leaked in 1 allocation(s)' "$W/hot-$mode.err" ||
                why="$why; not the one leak of 100 bytes" ;;
        esac
        local want_frames got_frames
        want_frames=$(program_frames "$W/linked-$mode.err") got_frames=$(program_frames "$W/hot-$mode.err")
        [ "$got_frames" = "$want_frames" ] ||
            why="$why; the report's frames in planted.c are [$got_frames], linked [$want_frames]"
        if [ -z "$why" ]; then ok "$P/$mode"; else not_ok "$P/$mode" "$why; $(head -c 300 "$W/hot-$mode.err" | tr '\n' '|')"; fi
    done
}

# A race under ThreadSanitizer: the linked build's exit status (66), and
# the report's frames in race.c (as "FUNCTION race.c:LINE", each once).
test_race() {
    build race.o sanitizers/race.c -g -fsanitize=thread
    builds_ok || return
    (cd "$W" && "$CC" -fsanitize=thread race.o -o linked-race) >"$W/link.log" 2>&1 ||
        { not_ok "$P/linked" "$(head -c 300 "$W/link.log")"; return; }
    (cd "$W" && ./linked-race >linked-race.out 2>linked-race.err)
    local want=$?
    (cd "$W" && "$HOT" race.o >hot-race.out 2>hot-race.err)
    local got=$? why=""
    [ "$got" = "$want" ] || why="exit status $got, linked $want"
    grep -q 'WARNING: ThreadSanitizer: data race' "$W/hot-race.err" || why="$why; no race reported"
    local want_frames got_frames
    want_frames=$(race_frames "$W/linked-race.err") got_frames=$(race_frames "$W/hot-race.err")
    [ -n "$want_frames" ] && [ "$got_frames" = "$want_frames" ] ||
        why="$why; frames in race.c [$got_frames], linked [$want_frames]"
    if [ -z "$why" ]; then ok "$P/race"; else not_ok "$P/race" "$why; $(head -c 300 "$W/hot-race.err" | tr '\n' '|')"; fi
}

race_frames() {
    sed -nE 's/^ +#[0-9]+ ([^ ]+) [^ ]*(race\.c:[0-9]+)[: ].*/\1 \2/p' "$1" | sort -u | tr '\n' ';'
}

test_reload() {
    QT=none
    build main.o processes/main.c -g "${SAN[@]}" -pthread
    build work1.o processes/work.c -g "${SAN[@]}" -DVER=1 && build work3.o processes/work.c -g "${SAN[@]}" -DVER=3
    builds_ok || return
    use work1.o work.o
    session_start --session "$SNAME" main.o work.o -lpthread -- 1 || return
    query
    check first "1 1" "$(qv first) $(qv w0)" "work() in the first process and the worker"
    use work3.o work.o
    reload
    [ "$R_RC" = 0 ] && ok "$P/reloaded" || not_ok "$P/reloaded" "$(client_said)"
    sleep 0.1
    query
    local total; total=$(qv w0 "" 2)
    if [ "$(qv first)" = 3 ] && [ -n "$total" ] && [ "$total" -gt 0 ] && [ "$total" -lt 1000000 ]; then
        ok "$P/migrated"
    else
        not_ok "$P/migrated" "first $(qv first), worker total '$total'"
    fi
    session_stop
    if grep -q Sanitizer "$S_ERR"; then not_ok "$P/no-report" "$(head -c 400 "$S_ERR" | tr '\n' '|')"; else ok "$P/no-report"; fi
}

for_variants test_planted gcc clang gcc-cxx clang-cxx
for_variants test_race gcc clang
for_variants test_reload gcc
