#!/usr/bin/env bash
# A return address inside the bytes a reload patches. clang -O2 compiles
# run(g) { g(); ... } to "push %rax; call *%rdi", so a thread waiting in g
# returns to run+3, in the middle of the jump a reload writes at run's
# entry. While a thread is there the reload waits, then fails after
# --reload-timeout naming run, and the program goes on untouched (the
# thread comes back into its old run and returns 1); once it has left,
# the reload goes through and run returns 2. gcc -O2 calls after a 4-byte
# "sub", past the five bytes: its reload goes through at once, and says
# that the waiting thread runs on in the old run. A function that is the
# same code in the new version lets its return addresses move (below).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# waiting_reload NAME: main.c and prologue/NAME.c's two versions (VER=1,
# 2) built, the session started with the first, a thread waiting in g,
# called from run; then the reload to the second (--reload-timeout 500).
# False if a step before the reload failed.
waiting_reload() {
    build main.o prologue/main.c
    build "${1}1.o" "prologue/$1.c" -DVER=1
    build "${1}2.o" "prologue/$1.c" -DVER=2
    builds_ok || return 1
    use "${1}1.o" mod.o
    session_start --session "$SNAME" main.o mod.o || return 1
    send enter
    wait_for '^entered$' "$S_OUT" || { not_ok "$P/entered" "no 'entered'; $(session_state)"; return 1; }
    use "${1}2.o" mod.o
    client "$S_DIR" --reload-timeout 500 "${S_ARGS[@]}"
}

test_prologue() {
    waiting_reload mod || return
    if [ "$CC" = clang ]; then
        expect_failed waits-for-return-address "for 500 ms .*first bytes of 'run'.*would return there"
        query
        check untouched 1 "$(qv run)" "what run returns after the failed reload"
        send leave
        wait_for '^left ' "$S_OUT" || { not_ok "$P/left" "no 'left'; $(session_state)"; return; }
        check old-frame-returns "left 1" "$(grep '^left ' "$S_OUT")" "what the waiting call of run returned"
        reload
    fi
    if [ "$CC" = clang ]; then
        expect_reloaded reloads mod.o
    else # the thread still waits inside the old run, which the report says
        expect_reloaded reloads mod.o warnings
        check says-old-frame 1 "$(printf '%s\n' "$R_ERR" | grep -c "^hotld: warning: 'run' .*keeps running its old code in thread")" \
            "the warning naming run, where the thread waits"
    fi
    query
    check new-code 2 "$(qv run)" "what run returns after the reload"
    send leave
    session_stop
}

# The same, but run is the same code in both versions (only version(),
# which it calls, changes): the reload goes through at once, the waiting
# thread's return address moves to the same place in the new run, which
# calls the new version (before, clang's reload waited, then failed
# naming run). With gcc the thread runs on in the old run, which is no
# old code: nothing is said of it.
test_same_code() {
    waiting_reload same || return
    expect_reloaded same-code-reloads mod.o
    query
    check same-code-new 2 "$(qv run)" "what run returns after the reload"
    send leave
    wait_for '^left ' "$S_OUT" || { not_ok "$P/left" "no 'left'; $(session_state)"; return; }
    check returns-into-new-code "left 2" "$(grep '^left ' "$S_OUT")" "what the waiting call of run returned"
    session_stop
}

for_variants test_prologue clang-O2 clang-O2-asan gcc-O2
for_variants test_same_code clang-O2 clang-O2-asan gcc-O2
