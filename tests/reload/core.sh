#!/usr/bin/env bash
# A core file of a program that crashed under hotld shows its frames in
# gdb (issue 26): gdb reads the JIT interface's images from the core's
# memory. `gdb -batch -ex bt PROGRAM CORE` names the same functions at
# the same lines as for the program linked by the compiler (the oracle).
# The kernel writes the core where its core_pattern is a plain file name;
# where it hands cores to a program (a pipe), gdb's own
# generate-core-file makes it at the crash.
# A crash after a reload made with no debugger attached: the first
# generation's debug image, left stale by the reload, is made again before
# the core is written, so the core names the replaced version work#0
# apart from the crashing work (reload/debugswap.c).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

GDB=(timeout 120 gdb -nx -batch)

# frames OUT: "FUNCTION FILE:LINE" of each frame of bt's output
frames() { sed -nE 's/^#[0-9]+ +(0x[0-9a-f]+ in )?([^ ]+) \(.*\) at ([^ ]+:[0-9]+)$/\2 \3/p' "$1" | tr '\n' ';'; }

# crash_core DIR CMD...: run CMD in DIR until it crashes; the core's path
crash_core() {
    local dir=$1; shift
    rm -f "$dir"/core*
    if case $(cat /proc/sys/kernel/core_pattern) in core*) true ;; *) false ;; esac; then
        (cd "$dir" && ulimit -c unlimited && exec "$@") >/dev/null 2>&1
        ls "$dir"/core* 2>/dev/null | head -n 1
    else
        (cd "$dir" && "${GDB[@]}" -ex 'handle SIG40 nostop noprint pass' -ex run \
            -ex "generate-core-file $dir/core.gdb" --args "$@") >/dev/null 2>&1
        ls "$dir"/core.gdb 2>/dev/null
    fi
}

test_core() {
    local lang=() cxx=$CC
    case $V in *-cxx) lang=(-x c++); cxx=${CC/clang/clang++}; [ "$cxx" = gcc ] && cxx=g++ ;; esac
    build boom.o tools/boom.c -g "${lang[@]}" "${CFL[@]}"
    builds_ok || return
    (cd "$W" && "$cxx" boom.o -o linked) >"$W/link.log" 2>&1 ||
        { not_ok "$P/linked" "$(head -c 300 "$W/link.log")"; return; }
    local core
    core=$(crash_core "$W" ./linked)
    [ -n "$core" ] || { not_ok "$P/linked-core" "the linked program left no core"; return; }
    "${GDB[@]}" -ex bt "$W/linked" "$core" >"$W/linked.bt" 2>&1
    core=$(crash_core "$W" "$HOT" boom.o)
    [ -n "$core" ] || { not_ok "$P/core" "the program under hotld left no core"; return; }
    "${GDB[@]}" -ex bt "$HOT" "$core" >"$W/hot.bt" 2>&1
    local want got
    want=$(frames "$W/linked.bt") got=$(frames "$W/hot.bt")
    if [ -n "$want" ] && [ "${got#"$want"}" != "$got" ]; then ok "$P/bt"
    else not_ok "$P/bt" "frames [$got], linked [$want]; $(grep '^#' "$W/hot.bt" | head -n 4 | tr '\n' '|')"; fi
}

test_core_after_reload() {
    build main.o tools/crashlater.c -g -DPART=1 && build work1.o tools/crashlater.c -g -DPART=2 -DVER=1 &&
        build work2.o tools/crashlater.c -g -DPART=2 -DVER=2
    builds_ok || return
    case $(cat /proc/sys/kernel/core_pattern) in
    core*) ;;
    *) echo "# skipped: cores go to a program here ($(cat /proc/sys/kernel/core_pattern)); gdb's own would see the images made for it"
       ok "$P/skipped-core-pattern"; return ;;
    esac
    rm -f "$W"/core*
    use work1.o work.o
    ulimit -c unlimited
    session_start --session "$SNAME" main.o work.o || return
    use work2.o work.o
    reload
    [ "$R_RC" = 0 ] || { not_ok "$P/reloaded" "$(client_said)"; return; }
    send boom
    local tries
    for ((tries = 0; tries < 100; tries++)); do session_alive || break; nap 0.1; done
    local core; core=$(ls "$W"/core* 2>/dev/null | head -n 1)
    [ -n "$core" ] || { not_ok "$P/core-after-reload" "no core; $(session_state)"; return; }
    "${GDB[@]}" -ex bt -ex "print 'work#0'" "$HOT" "$core" >"$W/reloaded.bt" 2>&1
    if grep -qE '^#0 +(0x[0-9a-f]+ in )?work \(p=0x0\) at .*crashlater.c:[0-9]+' "$W/reloaded.bt" &&
        grep -qE '^\$[0-9]+ = \{int \(const int \*\)\} 0x[0-9a-f]+ <work#0>' "$W/reloaded.bt"; then
        ok "$P/core-after-reload"
    else
        not_ok "$P/core-after-reload" "$(grep -E '^(#|\$|No symbol)' "$W/reloaded.bt" | head -n 5 | tr '\n' '|')"
    fi
}

for_variants test_core gcc clang-O2 gcc-cxx
RL_SCRIPT=core-reload for_variants test_core_after_reload gcc clang
