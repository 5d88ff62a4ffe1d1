#!/usr/bin/env bash
# Crashes of reloaded code (src/crash/): the program runs mod.o's update
# under hotld_protect(). With --rollback, a version that follows a NULL
# pointer (SIGSEGV), one that divides by zero (SIGFPE), one that aborts
# (SIGABRT), one that executes ud2 (SIGILL) and one that reads a page its
# file lost (SIGBUS) are each reported with a symbolized backtrace
# (function, file:line, object, version) and rolled back: hotld_protect
# returns the signal, the previous code runs again, the state the program
# built stays, and mod.o's own data is put back as it was at the reload.
# The same command with the bad file unchanged does not bring it back.
# Outside hotld_protect(), the crashed call into the new code is abandoned
# instead: after the same rollback it returns 0 to its caller, and the
# program goes on. Without --rollback, a crash of reloaded code is
# reported the same way and kills the program with the signal; a crash of
# code no reload brought kills it without a word from hotld, as the linked
# program would die.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# step NAME EXPECTED: one protected update, and what hotld_protect
# returned.
step() {
    local n; n=$(grep -c '^step returned' "$S_OUT")
    send step
    for _ in $(seq 200); do has_line '^step returned' "$S_OUT" $((n + 1)) && break; nap 0.05; done
    check "$1" "step returned $2" "$(grep '^step returned' "$S_OUT" | tail -n 1)" "hotld_protect's result"
}

# report NAME HEADER-REGEX FRAME-REGEX...: the session's stderr has the
# crash line and every frame line.
report() {
    local name=$1 header=$2 missing=""; shift 2
    for _ in $(seq 100); do has_line "$header" "$S_ERR" && break; nap 0.05; done
    grep -qE -- "$header" "$S_ERR" || missing="header /$header/"
    local re
    for re in "$@"; do has_line "$re" "$S_ERR" || missing="$missing frame /$re/"; done
    if [ -z "$missing" ]; then ok "$P/$name"; else not_ok "$P/$name" "no $missing; stderr: $(tail -c 600 "$S_ERR" | tr '\n' '|')"; fi
}

FRAME_NEXT='^  #[0-9]+ 0x[0-9a-f]+ next(\+0x[0-9a-f]+)? at .*/crash/mod\.c:[0-9]+ \(mod\.o, version '
# main, or at -O2 what gcc inlined into it from rt.h or hotld.h
FRAME_MAIN='^  #[0-9]+ 0x[0-9a-f]+ main\+0x[0-9a-f]+ at .*/(crash/main\.c|rt\.h|hotld\.h):[0-9]+ \(main\.o, version 0\)$'

# dies NAME SIGNAL: the session ended with that signal.
dies() {
    for _ in $(seq 200); do session_alive || break; nap 0.05; done
    session_reap
    check "$1" "$((128 + $2))" "${S_RC:-running}" "the program's exit status"
    S_PID=""
}

test_rollback() {
    session_start --session "$SNAME" --rollback main.o mod.o || return
    step v1-runs 0
    step v1-runs-again 0
    use mod2.o mod.o
    reload
    expect_reloaded reload-v2 mod.o
    step segv-returns-signal 11
    report segv-report '^hotld: SIGSEGV \(address 0x0\) in next of mod\.o, version 1: rolling back to the previous version$' \
        "${FRAME_NEXT}1\\)\$" '^  #[0-9]+ 0x[0-9a-f]+ update\+0x[0-9a-f]+ at .*/crash/mod\.c:[0-9]+ \(mod\.o, version 1\)$' \
        "$FRAME_MAIN" '^hotld: reloaded mod\.o: '
    query
    check rolled-back "1 2" "$(qv version) $(qv state)" "version and state after the rollback"
    # version 2 counted its update before it crashed: 3, put back to 2
    check data-put-back 2 "$(qv calls)" "mod.o's count of updates after the rollback"
    step old-code-runs 0
    query
    check state-goes-on "3 3" "$(qv state) $(qv calls)" "state and count"
    reload
    check bad-file-not-reapplied "hotld: nothing to reload (2 inputs unchanged)" "$R_OUT" "the same command's report"
    use mod3.o mod.o
    reload
    step fpe-returns-signal 8
    report fpe-report '^hotld: SIGFPE \(integer division by zero\) in next of mod\.o, version 3: rolling back' "${FRAME_NEXT}3\\)\$"
    # The first rollback loaded version 1's bytes as version 2; this one
    # brings version 2 back instead of loading them a third time.
    report fpe-rollback-reuses '^hotld: mod\.o: version 2 again \(its code was still loaded\)$'
    use mod4.o mod.o
    reload
    step abort-returns-signal 6
    report abort-report '^hotld: SIGABRT \(abort\) in next of mod\.o, version 4: rolling back' \
        '^  #[0-9]+ 0x[0-9a-f]+ abort\+0x[0-9a-f]+ \(libc\.so\.6\)$' "${FRAME_NEXT}4\\)\$"
    use mod5.o mod.o
    reload
    step ill-returns-signal 4
    report ill-report '^hotld: SIGILL in next of mod\.o, version 5: rolling back' "${FRAME_NEXT}5\\)\$"
    use mod6.o mod.o
    reload
    step bus-returns-signal 7
    report bus-report '^hotld: SIGBUS \(address 0x[0-9a-f]+\) in next of mod\.o, version 6: rolling back' "${FRAME_NEXT}6\\)\$"
    query
    check after-five-rollbacks "1 3 3" "$(qv version) $(qv state) $(qv calls)" "version, state and count"
    local lines; lines=$(wc -l <"$S_ERR")
    send own
    dies not-reloaded-code-kills 11
    check not-reloaded-code-silent "$lines" "$(wc -l <"$S_ERR")" "stderr's line count (a crash of code no reload brought is the program's own)"
}

test_unprotected() {
    use mod1.o mod.o
    session_start --session "$SNAME" --rollback main.o mod.o || return
    send raw
    send raw
    use mod2.o mod.o
    reload
    send raw
    # no hotld_protect: the call into the new code is abandoned, returning
    # 0 to its caller in main.o, and the program goes on with the old code
    report unprotected-report '^hotld: SIGSEGV \(address 0x0\) in next of mod\.o, version 1: rolling back to the previous version; update returns 0 to [a-z_]+$' \
        "${FRAME_NEXT}1\\)\$" "$FRAME_MAIN"
    query
    check unprotected-goes-on "1 2 2" "$(qv version) $(qv state) $(qv calls)" "version, state and count after the rollback"
    send raw
    query
    check unprotected-old-code-runs "3 3" "$(qv state) $(qv calls)" "state and count"
    use mod5.o mod.o
    reload
    send raw
    report unprotected-ill-report '^hotld: SIGILL in next of mod\.o, version 3: rolling back to the previous version; update returns 0 to [a-z_]+$'
    query
    check unprotected-ill-goes-on "1 3 3" "$(qv version) $(qv state) $(qv calls)" "version, state and count"
    session_stop
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    step no-rollback-v1 0
    step no-rollback-v1-again 0
    use mod2.o mod.o
    reload
    send step
    report no-rollback-report '^hotld: SIGSEGV \(address 0x0\) in next of mod\.o, version 1$' "${FRAME_NEXT}1\\)\$"
    dies no-rollback-kills 11
}

# A worker thread crashes in new code, four threads running it and no
# hotld_protect(): the thread's call returns 0, every thread goes on with
# the previous version.
test_threads() {
    use tmod1.o tmod.o
    session_start --session "$SNAME" --rollback tmain.o tmod.o || return
    query
    check threads-run "4 1" "$(qv alive) $(qv version)" "threads making calls, version"
    use tmod2.o tmod.o
    reload
    report threads-report '^hotld: SIGSEGV \(address 0x0\) in mod_step of tmod\.o, version 1: rolling back to the previous version; mod_step returns 0 to worker$'
    # Every thread goes on: the crashed one once its rollback is over,
    # which on a loaded machine (ASan, a parallel build) can take longer
    # than one query's 200 ms; a thread stuck for good fails after 20.
    local i
    for ((i = 0; i < 20; i++)); do query; [ "$(qv alive)" = 4 ] && break; done
    check threads-go-on "4 1" "$(qv alive) $(qv version)" "threads making calls, version"
    session_stop
}

# New code corrupts the heap: glibc aborts from inside malloc, which may
# hold an arena's lock, so nothing may allocate after it. The program dies
# as the gcc-linked one does, with glibc's message and a line from hotld,
# instead of waiting for ever in the report or the rollback.
test_heap() {
    "$CC" "${CFL[@]}" -pthread "$W/main.o" "$W/mod7.o" -o "$W/heap-linked" 2>>"$W/heap.log"
    (cd "$W" && printf 'step\n' | timeout 20 ./heap-linked >/dev/null 2>"$W/linked.err")
    local linked=$?
    use mod1.o mod.o
    session_start --session "$SNAME" --rollback main.o mod.o || return
    step heap-v1-runs 0
    use mod7.o mod.o
    reload
    send step
    dies heap-dies-like-linked "$((linked - 128))"
    report heap-report '^hotld: SIGABRT: the heap is corrupt \(double free or corruption \(!prev\)\), called from code of mod\.o, version 1: no backtrace, no rollback$'
    if grep -q '^double free or corruption (!prev)$' "$S_ERR" && grep -q '^double free or corruption (!prev)$' "$W/linked.err"; then
        ok "$P/heap-glibc-message"
    else
        not_ok "$P/heap-glibc-message" "glibc's message: hotld [$(head -c 200 "$S_ERR" | tr '\n' '|')], linked [$(head -c 200 "$W/linked.err" | tr '\n' '|')]"
    fi
}

# New code breaks the heap so that malloc faults inside, its arena locked:
# the report may not allocate (it would wait for that lock for ever), the
# crashed call is not abandoned (malloc's lock would stay held), and the
# program dies of the signal as the gcc-linked one does.
test_heap_fault() {
    "$CC" "${CFL[@]}" -pthread "$W/main.o" "$W/mod8.o" -o "$W/fault-linked" 2>>"$W/heap.log"
    (cd "$W" && printf 'step\n' | timeout 20 ./fault-linked >/dev/null 2>&1)
    local linked=$?
    use mod1.o mod.o
    session_start --session "$SNAME" --rollback main.o mod.o || return
    step fault-v1-runs 0
    use mod8.o mod.o
    reload
    send step
    dies heap-fault-dies-like-linked "$((linked - 128))"
    # the report is made without allocating: functions, no source lines
    report heap-fault-report '^hotld: SIGSEGV \(address 0x[0-9a-f]+\) in next of mod\.o, version 1: inside libc\.so\.6, which may hold its locks: no rollback$' \
        '^  #[0-9]+ 0x[0-9a-f]+ malloc\+0x[0-9a-f]+ \(libc\.so\.6\)$' \
        '^  #[0-9]+ 0x[0-9a-f]+ next\+0x[0-9a-f]+ \(mod\.o, version 1\)$' \
        '^  #[0-9]+ 0x[0-9a-f]+ main\+0x[0-9a-f]+ \(main\.o, version 0\)$' \
        '^hotld: \(no source lines: the crashed thread holds a lock that reading them needs\)$'
}

test_crash() {
    build main.o crash/main.c -g
    local v
    for v in 1 2 3 4 5 6 7 8; do build mod$v.o crash/mod.c -g -DVER=$v; done
    build tmain.o crash/threads_main.c -g -pthread
    for v in 1 2; do build tmod$v.o crash/threads_mod.c -g -DVER=$v; done
    builds_ok || return
    use mod1.o mod.o
    test_rollback
    test_unprotected
    test_threads
    # Under the ASan build of hotld, ASan's allocator serves the program
    # too: the double free is its finding, and glibc's malloc never runs.
    case $V in *-asan*) ;; *) test_heap; test_heap_fault ;; esac
}

for_variants test_crash gcc clang-O2 gcc-asan
