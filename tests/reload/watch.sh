#!/usr/bin/env bash
# Semantics 8 (--watch): "hotld --watch main.o mod.o" reloads by itself when
# mod.o changes: after "cp new.o mod.o", after recompiling mod.o in place,
# and after replacing it with mv; the report line goes to the session's
# stderr, and no half-written file is ever loaded (debounced: no error).
# Also run with the ASan+UBSan build of hotld (variant gcc-asan).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# at_version V: the program's mod.o is version V (one query).
at_version() { query && [ "$(qv ver)" = "$1" ]; }

# expect_auto NAME V: within 5 s the program runs mod.o version V.
expect_auto() {
    if retry 5 at_version "$2"; then ok "$P/$1"; else
        session_reap
        not_ok "$P/$1" "mod.o's version is '$(qv ver)' 5 s after the change, expected $2; $(session_state)"
    fi
}

test_watch() {
    build main.o repeat/main.c
    build mod.o repeat/mod.c -DVER=1
    build mod2.o repeat/mod.c -DVER=2
    builds_ok || return

    session_start --watch main.o mod.o || return
    query
    local q0=$QT
    client "$W" --status
    if [ "$R_RC" -eq 0 ] && printf '%s\n' "$R_OUT" | grep -q 'mod\.o'; then ok "$P/status-of-watch-session"; else
        not_ok "$P/status-of-watch-session" "expected exit 0 and mod.o listed; $(client_said)"
    fi

    cp "$W/mod2.o" "$W/mod.o"
    expect_auto reload-after-cp 2
    if wait_for '^hotld: reloaded mod\.o: ' "$S_ERR" 2; then ok "$P/report-on-session-stderr"; else
        not_ok "$P/report-on-session-stderr" "no 'hotld: reloaded mod.o: ...' line on the session's stderr: [$(head -c 300 "$S_ERR" | tr '\n' '|')]"
    fi

    "$CC" "${CFL[@]}" -I"$RL_SRC" -DVER=3 -c "$RL_SRC/repeat/mod.c" -o "$W/mod.o" 2>"$W/mod3.log" ||
        not_ok "$P/build-in-place" "$(head -c 300 "$W/mod3.log")"
    expect_auto reload-after-recompile-in-place 3

    build mod4.o repeat/mod.c -DVER=4
    mv "$W/mod4.o" "$W/mod.o"
    expect_auto reload-after-mv 4

    # Each query ticks the counter once: it counts this session's answers.
    query
    check state-kept "$(grep -cE '^q[0-9]+ end$' "$S_OUT") $(qv addr_counter "$q0")" \
        "$(qv count) $(qv addr_counter)" "count and &counter"
    if grep -q 'error' "$S_ERR"; then
        not_ok "$P/no-spurious-errors" "the session reported: $(grep -m 2 error "$S_ERR" | tr '\n' '|')"
    else ok "$P/no-spurious-errors"; fi

    session_stop
}

for_variants test_watch $RL_VARIANTS gcc-asan
