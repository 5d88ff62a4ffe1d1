#!/usr/bin/env bash
# Faults during a reload leave the program as it was, or cleanly applied,
# never half-applied:
#  - an out-of-memory mmap for the new image (injected: HOTLD_FAIL_MAP=2)
#    fails the reload with one error line; the next one works;
#  - DWARF unreadable (injected: HOTLD_FAIL_LIBDWARF=1, as if libdwarf
#    were missing): the program runs, and a reload that needs types fails
#    cleanly, naming the library;
#  - the reloading command killed while the session waits for its answer
#    (--on-conflict=ask), after longer than the socket's usual 5-second
#    limit (a person may take their time): the reload is abandoned, the
#    program untouched, and the session serves the next command;
#  - two commands reloading at the same moment: both end well and the
#    program runs the new code once;
#  - the object rewritten (alternately whole and truncated) while reloads
#    read it: each reload applies a whole version or fails cleanly;
#  - reloads while a thread forks and execs in a loop: every reload works
#    and every child exits normally;
#  - a child whose thread blocks every signal while a reload runs (the
#    signal that parks threads stays pending), then execs a program that
#    unblocks them: the program exits 0 (no signal of hotld's survives
#    the exec).
# The truncated-object and undefined-symbol cases are in failure.sh.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_oom() {
    HOT_ENV+=(HOTLD_FAIL_MAP=2)
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    use mod2.o mod.o
    reload
    expect_failed oom-fails "cannot map [0-9]+ bytes for the image: Cannot allocate memory"
    query; check oom-untouched 1 "$(qv version)" "version"
    reload
    expect_reloaded oom-next-works mod.o warnings
    query; check oom-then-applied 2 "$(qv version)" "version"
    session_stop
    unset 'HOT_ENV[${#HOT_ENV[@]}-1]'
}

# Without libdwarf (injected: HOTLD_FAIL_LIBDWARF=1, which makes hotld
# take it as unusable), the program starts and runs; a reload that
# needs the types of its variables fails, naming the library, and leaves
# the program as it was; the session warns of it once.
test_no_libdwarf() {
    HOT_ENV+=(HOTLD_FAIL_LIBDWARF=1)
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    query; check no-libdwarf-runs 1 "$(qv version)" "version"
    use mod2.o mod.o
    reload
    expect_failed no-libdwarf-fails "libdwarf: not loaded"
    reload
    expect_failed no-libdwarf-fails-again "libdwarf: not loaded"
    query; check no-libdwarf-untouched 1 "$(qv version)" "version"
    check no-libdwarf-warned-once 1 "$(grep -c 'warning: DWARF cannot be read without libdwarf' "$S_ERR")" "warnings"
    session_stop
    unset 'HOT_ENV[${#HOT_ENV[@]}-1]'
}

test_killed_client() {
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    use mod2.o mod.o
    mkfifo "$W/never"
    exec {hold}<>"$W/never"  # a writer that never writes: the question waits
    ( cd "$W" && exec env "${HOT_ENV[@]}" "$HOT" --on-conflict=ask "${S_ARGS[@]}" ) <"$W/never" \
        >"$W/asked.out" 2>"$W/asked.err" &
    local client=$!
    if wait_for 'your choice' "$W/asked.err" 10; then ok "$P/killed-client-asked"; else
        not_ok "$P/killed-client-asked" "no question: $(head -c 300 "$W/asked.err")"
    fi
    if [ "$V" = gcc ]; then # once: it takes six seconds
        sleep 6
        if kill -0 "$client" 2>/dev/null; then ok "$P/question-waits-for-a-person"; else
            not_ok "$P/question-waits-for-a-person" "the command ended before it was answered: $(tail -c 300 "$W/asked.err")"
        fi
    fi
    kill -KILL "$client"; wait "$client" 2>/dev/null
    exec {hold}>&-
    query; check killed-client-untouched 1 "$(qv version)" "version"
    reload
    expect_reloaded killed-client-next-works mod.o warnings
    query; check killed-client-then-applied 2 "$(qv version)" "version"
    session_stop
}

test_two_clients() {
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    use mod2.o mod.o
    local a b
    ( cd "$W" && exec env "${HOT_ENV[@]}" "$HOT" "${S_ARGS[@]}" ) </dev/null >"$W/a.out" 2>&1 & a=$!
    ( cd "$W" && exec env "${HOT_ENV[@]}" "$HOT" "${S_ARGS[@]}" ) </dev/null >"$W/b.out" 2>&1 & b=$!
    wait "$a"; local ra=$?
    wait "$b"; local rb=$?
    check two-clients-exit "0 0" "$ra $rb" "exit statuses"
    local reloaded; reloaded=$(cat "$W/a.out" "$W/b.out" | grep -c '^hotld: reloaded mod.o')
    local nothing; nothing=$(cat "$W/a.out" "$W/b.out" | grep -c '^hotld: nothing to reload')
    check two-clients-one-reload "1 1" "$reloaded $nothing" "reloads and no-ops"
    query; check two-clients-applied 2 "$(qv version)" "version"
    session_stop
}

test_rewritten_object() {
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    local size; size=$(stat -c %s "$W/mod2.o")
    head -c $((size / 2)) "$W/mod2.o" >"$W/mod-trunc.o"
    # the writer rewrites mod.o, whole or cut short, for as long as the
    # reloads go on (up to 400 times)
    ( for ((i = 0; i < 400; i++)); do cp "$W/mod2.o" "$W/mod.o.tmp"; mv "$W/mod.o.tmp" "$W/mod.o"
                                     cp "$W/mod-trunc.o" "$W/mod.o"; [ -e "$W/reloads-done" ] && break; done ) &
    local writer=$! i bad=0
    for ((i = 0; i < 20; i++)); do
        reload
        case $R_RC in 0 | 1) ;; *) bad=$((bad + 1)) ;; esac
        session_alive || break
    done
    touch "$W/reloads-done"
    wait "$writer"
    check rewritten-clean-outcomes 0 "$bad" "reloads that neither applied nor failed cleanly"
    local v; query; v=$(qv version)
    if [ "$v" = 1 ] || [ "$v" = 2 ]; then ok "$P/rewritten-whole-version"; else
        not_ok "$P/rewritten-whole-version" "version '$v'; $(session_state)"
    fi
    use mod2.o mod.o
    reload
    query; check rewritten-then-applied "0 2" "$R_RC $(qv version)" "exit status and version"
    session_stop
}

test_fork_exec() {
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    send fork
    local i failed=0
    for ((i = 1; i <= 30; i++)); do
        use "mod$((i % 2 + 1)).o" mod.o
        reload
        [ "$R_RC" -eq 0 ] || failed=$((failed + 1))
    done
    send stopfork
    wait_for '^stopped$' "$S_OUT" 20
    check fork-exec-reloads 0 "$failed" "failed reloads while forking"
    query
    local kids bad
    kids=$(qv children) bad=$(qv children "$QT" 2)
    if [ -n "$kids" ] && [ "$kids" -gt 0 ] && [ "$bad" = 0 ]; then ok "$P/fork-exec-children"; else
        not_ok "$P/fork-exec-children" "children '$kids', failed '$bad'; $(session_state)"
    fi
    session_stop
}

test_blocked_exec() {
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    rm -f "$W/go"
    send "blockedexec $W"
    sleep 0.2
    use mod2.o mod.o
    reload
    check blocked-exec-reload 0 "$R_RC" "exit status of the reload"
    touch "$W/go"
    if wait_for '^blockedexec ' "$S_OUT" 20; then
        check blocked-exec-child "blockedexec exit 0" "$(grep '^blockedexec ' "$S_OUT")" "the exec'd program"
    else
        not_ok "$P/blocked-exec-child" "the child did not end; $(session_state)"
    fi
    session_stop
}

test_faults() {
    build main.o faults/main.c
    build mod1.o faults/mod.c -g -DVER=1
    build mod2.o faults/mod.c -g -DVER=2
    "$CC" -o "$W/unblock" "$RL_SRC/faults/unblock.c" >"$W/unblock.log" 2>&1 ||
        RL_BUILD_ERRORS="$RL_BUILD_ERRORS; unblock.c: $(head -c 300 "$W/unblock.log")"
    builds_ok || return
    test_blocked_exec
    test_oom
    test_no_libdwarf
    test_killed_client
    test_two_clients
    test_rewritten_object
    test_fork_exec
}

for_variants test_faults gcc clang gcc-asan
