#!/usr/bin/env bash
# LLDB reads the same JIT interface: `lldb -- hotld OBJS` breaks by name
# and file:line in hot-loaded code, with frames and variables, for objects
# built by gcc and clang; and after a reload made from outside, the same
# breakpoint hits in the new code.
. "$(dirname "$0")/lib.bash"

lldb_session() { # CC
    local cc=$1
    enter_build "lldb-$cc" "lldb/$cc/build" "$cc" -O0 loop.c scale.c || return
    echo one >one.txt
    timeout 60 lldb-14 -b -o 'breakpoint set -n scale' -o 'breakpoint set -f scale.c -l 6' \
        -o "process launch -i one.txt -- --session lldb-$cc-$$ loop.o scale.o" -o bt -o 'frame variable' \
        -o continue -o continue -- "$HOTLD" >out.txt 2>&1
    has "lldb/$cc/break-by-name" 'stop reason = breakpoint 1\.1' out.txt
    has "lldb/$cc/backtrace" 'frame #1: 0x[0-9a-f]+ JIT\(0x[0-9a-f]+\)`main at loop\.c:14' out.txt
    has "lldb/$cc/variables" '^\(int\) v = 1' out.txt
    has "lldb/$cc/break-file-line" 'stop reason = breakpoint 2\.1' out.txt
    has "lldb/$cc/at-line" '`scale\(v=1, by=2\) at scale\.c:6' out.txt
    has "lldb/$cc/exits" 'exited with status = 0' out.txt
    cd "$TMP"
}

lldb_reload_session() { # CC
    local cc=$1
    enter_build "lldb-reload-$cc" "lldb/$cc/reload-build" "$cc" -O0 loop.c scale.c || return
    local session="lldb-reload-$cc-$$"
    ( timeout 60 lldb-14 -b -o 'breakpoint set -f scale.c -l 6' \
        -o "process launch -i input -- --session $session loop.o scale.o" -o continue \
        -o 'frame variable' -o continue -- "$HOTLD" >out.txt 2>&1 ) &
    local lldbpid=$!
    reload_from_outside "$session" "$cc -g -O0" scale.c 's/int product = v \* by;/int product = v * by * 100;/' \
        'scaled 2' 'scaled 400' loop.o scale.o
    wait $lldbpid
    has "lldb/$cc/reload-applied" 'reloaded scale.o' reload.txt
    has "lldb/$cc/reload-hits-new-code" '`scale\(v=2, by=2\) at scale\.c:6' out.txt
    has "lldb/$cc/reload-new-line" '^-> 6 .*v \* by \* 100;' out.txt
    has "lldb/$cc/reload-exits" 'exited with status = 0' out.txt
    cd "$TMP"
}

for cc in gcc clang; do
    lldb_session "$cc"
    lldb_reload_session "$cc"
done
