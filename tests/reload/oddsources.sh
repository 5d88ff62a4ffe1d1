#!/usr/bin/env bash
# Sources that are not files. An object's DWARF names the file it was
# compiled from, and hotld copies each version's sources for the debugger
# (gdb/snapshot.c). main.o, compiled from /dev/stdin, names the program's
# own stdin there; buffer.o, compiled from a named pipe, names a pipe no
# one writes any more. Only regular files are copied: every query sent on
# the program's stdin reaches the program, and the pipe holds up neither
# the reload (served, buffer.o's new code answers) nor the program's exit.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_oddsources() {
    local flags=("${CFL[@]}" -g -I"$RL_SRC" -I"$RL_SRC/flexible")
    mkdir -p "$W/pipe" && rm -f "$W/pipe/buffer.c" && mkfifo "$W/pipe/buffer.c"
    cat "$RL_SRC/flexible/buffer.c" >"$W/pipe/buffer.c" &
    if ! "$CC" "${flags[@]}" -x c -c /dev/stdin -o "$W/main.o" <"$RL_SRC/flexible/main.c" >"$W/cc.log" 2>&1 ||
        ! (cd "$W/pipe" && "$CC" "${flags[@]}" -DVER=1 -x c -c buffer.c -o ../buffer1.o) >>"$W/cc.log" 2>&1; then
        RL_BUILD_ERRORS="; $(head -c 300 "$W/cc.log" | tr '\n' ' ')"
    fi
    wait
    build buffer2.o flexible/buffer.c -g -DVER=2
    builds_ok || return
    use buffer1.o buffer.o
    session_start --session "$SNAME" main.o buffer.o || return
    local i answered=0
    for i in 1 2 3 4 5; do query && [ "$(qv used)" = 5 ] && answered=$((answered + 1)); done
    check stdin-is-the-programs 5 "$answered" "queries answered out of 5"
    use buffer2.o buffer.o
    reload
    expect_reloaded reload-served buffer.o
    query
    check reloaded 10 "$(qv used)" "buffer_used after the reload"
    session_stop
}

for_variants test_oddsources gcc clang-O2 gcc-asan
