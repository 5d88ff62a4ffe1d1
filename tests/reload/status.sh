#!/usr/bin/env bash
# Semantics 8 (--status, and the default session key): a session started
# without --session is keyed by the canonical current directory, so
# "hotld --status" and the reload command work from a symlink to that
# directory. --status prints one line per object, with its generation:
# after mod.o is reloaded, mod.o's line changes and the others do not.
# Without a running session, --status exits 1 with an error.
# A command that names the session (--session) is a reload of that program
# even without its arguments; with other arguments it fails, and does not
# start a second copy of the program.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

OBJS="main.o mod.o other.o"

# line_for OBJ TEXT: the lines of TEXT that mention OBJ as a word.
line_for() { printf '%s\n' "$2" | grep -E "(^|[^[:alnum:]_.])${1//./\\.}([^[:alnum:]_]|$)"; }

# expect_status NAME: the last client command was a good --status: exit 0,
# each object on exactly one line, with a number (its generation).
expect_status() {
    local name=$1 o why="" l
    if [ "$R_RC" -ne 0 ]; then why="exit status $R_RC"; else
        for o in $OBJS; do
            l=$(line_for "$o" "$R_OUT")
            if [ "$(nlines "$l")" -ne 1 ]; then why="$why $o is on $(nlines "$l") lines;"
            elif ! printf '%s\n' "$l" | grep -q '[0-9]'; then why="$why $o's line has no generation;"
            fi
        done
    fi
    if [ -z "$why" ]; then ok "$P/$name"; else not_ok "$P/$name" "${why# }; $(client_said)"; fi
}

test_status() {
    build main.o failure/main.c
    build mod.o failure/mod.c -DVER=1
    build other.o failure/other.c -DVER=1
    build mod2.o failure/mod.c -DVER=2
    builds_ok || return
    ln -s "$W" "$W.link"

    client "$W" --status
    if [ "$R_RC" -eq 1 ] && printf '%s\n' "$R_ERR" | grep -q 'error'; then ok "$P/no-session-status-fails"; else
        not_ok "$P/no-session-status-fails" "expected exit 1 and an error before the session starts; $(client_said)"
    fi

    session_start $OBJS || return
    client "$W" --status
    expect_status status
    local first=$R_OUT
    client "$W.link" --status
    if [ "$R_RC" -eq 0 ] && [ "$R_OUT" = "$first" ]; then ok "$P/status-from-symlinked-dir"; else
        not_ok "$P/status-from-symlinked-dir" "expected the same status as from $W; $(client_said)"
    fi
    client "$W" --status --session "$SNAME-none"
    if [ "$R_RC" -eq 1 ] && printf '%s\n' "$R_ERR" | grep -q 'error'; then ok "$P/status-other-session-fails"; else
        not_ok "$P/status-other-session-fails" "expected exit 1 and an error for a session name nobody runs; $(client_said)"
    fi

    use mod2.o mod.o
    reload "$W.link"            # the same command, from the symlinked directory
    expect_reloaded reload-from-symlinked-dir "mod.o"
    query
    check reload-applied "2 1" "$(qv mod) $(qv count)" "mod count (first query)"

    client "$W" --status
    expect_status status-after-reload
    if [ "$R_RC" -eq 0 ]; then
        local o changed=""
        for o in $OBJS; do
            [ "$(line_for "$o" "$first")" = "$(line_for "$o" "$R_OUT")" ] || changed="$changed $o"
        done
        check generation-of-reloaded-object-only "mod.o" "${changed# }" "objects whose status line changed"
    else
        not_ok "$P/generation-of-reloaded-object-only" "no status; $(client_said)"
    fi

    session_stop
    test_named_session
}

test_named_session() {
    build mod.o failure/mod.c -DVER=1
    session_start --session "$SNAME-named" $OBJS -- one two || return
    use mod2.o mod.o
    client "$W" --session "$SNAME-named" $OBJS
    expect_reloaded named-session-reload-without-arguments "mod.o"
    client "$W" --session "$SNAME-named" $OBJS -- three
    if [ "$R_RC" -eq 1 ] && printf '%s\n' "$R_ERR" | grep -q "session '$SNAME-named' runs another program" &&
       [ "$(nlines "$R_ERR")" -eq 1 ]; then
        ok "$P/named-session-other-arguments-fail"
    else
        not_ok "$P/named-session-other-arguments-fail" "expected one error line and exit 1; $(client_said)"
    fi
    session_stop
}

for_variants test_status
