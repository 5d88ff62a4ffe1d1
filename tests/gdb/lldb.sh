#!/usr/bin/env bash
# LLDB reads the same JIT interface: `lldb -- hotld OBJS` breaks by name
# and file:line in hot-loaded code, with frames and variables, for objects
# built by gcc and clang; and after a reload made from outside, the same
# breakpoint hits in the new code.
. "$(dirname "$0")/../lib.sh"
SRC=$HOTLD_ROOT/tests/gdb/src

lldb_session() { # CC
    local cc=$1 d=$TMP/lldb-$1
    mkdir -p "$d" && cd "$d" || return
    cp "$SRC"/*.c .
    $cc -g -O0 -c loop.c scale.c 2>cc.log || { not_ok "lldb/$cc/build" "$(head -c 300 cc.log)"; return; }
    echo one >input
    timeout 60 lldb-14 -b -o 'breakpoint set -n scale' -o 'breakpoint set -f scale.c -l 6' \
        -o "process launch -i input -- --session lldb-$cc-$$ loop.o scale.o" -o bt -o 'frame variable' \
        -o continue -o continue -- "$HOTLD" >out.txt 2>&1
    local check
    for check in 'name:stop reason = breakpoint 1\.1' \
        'backtrace:frame #1: 0x[0-9a-f]+ JIT\(0x[0-9a-f]+\)`main at loop\.c:14' \
        'variables:^\(int\) v = 1' 'file-line:stop reason = breakpoint 2\.1' \
        'at-line:`scale\(v=1, by=2\) at scale\.c:6' 'exits:exited with status = 0'; do
        if grep -qE -- "${check#*:}" out.txt; then ok "lldb/$cc/${check%%:*}"; else
            not_ok "lldb/$cc/${check%%:*}" "no line matching '${check#*:}': $(grep -v '^ ' out.txt | tail -n 5 | tr '\n' '|')"
        fi
    done
    cd "$TMP"
}

wait_line() { # PATTERN: in out.txt, up to 15 s
    for _ in $(seq 150); do grep -q -- "$1" out.txt 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

lldb_reload_session() { # CC
    local cc=$1 d=$TMP/lldb-reload-$1
    mkdir -p "$d" && cd "$d" || return
    cp "$SRC"/*.c .
    $cc -g -O0 -c loop.c scale.c 2>cc.log || { not_ok "lldb/$cc/reload-build" "$(head -c 300 cc.log)"; return; }
    mkfifo input
    local session="lldb-reload-$cc-$$"
    ( timeout 60 lldb-14 -b -o 'breakpoint set -f scale.c -l 6' \
        -o "process launch -i input -- --session $session loop.o scale.o" -o continue \
        -o 'frame variable' -o continue -- "$HOTLD" >out.txt 2>&1 ) &
    local lldbpid=$!
    exec {fd}>input
    trap '' PIPE
    wait_line ready && echo one >&$fd
    wait_line 'scaled 2'
    sed -i 's/int product = v \* by;/int product = v * by * 100;/' scale.c
    $cc -g -O0 -c scale.c 2>>cc.log
    "$HOTLD" --session "$session" loop.o scale.o >reload.txt 2>&1
    echo two >&$fd
    wait_line 'scaled 400'
    exec {fd}>&-
    wait $lldbpid
    local check
    for check in 'reload-new-code:`scale\(v=2, by=2\) at scale\.c:6' \
        'reload-new-line:^-> 6 .*v \* by \* 100;' 'reload-exits:exited with status = 0'; do
        if grep -qE -- "${check#*:}" out.txt; then ok "lldb/$cc/${check%%:*}"; else
            not_ok "lldb/$cc/${check%%:*}" "no line matching '${check#*:}': $(grep -v '^ ' out.txt | tail -n 5 | tr '\n' '|')"
        fi
    done
    cd "$TMP"
}

for cc in gcc clang; do
    lldb_session "$cc"
    lldb_reload_session "$cc"
done
