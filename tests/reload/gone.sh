#!/usr/bin/env bash
# A session that goes away before it takes a command's request (it is
# exiting, or killed) leaves the command with no session, not an error:
# the command runs the program itself, as it would a moment later. Here
# the session is stopped, the command connects and waits, and the session
# is killed: the queued connection is reset without the session's
# greeting, and the command starts the program.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_gone() {
    build main.o selfsym/main.c && build tick.o selfsym/tick.c -DVER=1
    builds_ok || return
    session_start --session "$SNAME" main.o tick.o -lpthread -ldl || return
    kill -STOP "$S_PID"
    client "$W" --session "$SNAME" main.o tick.o -lpthread -ldl &
    local cmd=$!
    sleep 0.5
    kill -KILL "$S_PID"
    kill -CONT "$S_PID" 2>/dev/null
    wait "$cmd"
    R_OUT=$(cat "$W/client.out") R_ERR=$(cat "$W/client.err")
    if grep -q '^ready$' "$W/client.out" && ! grep -q 'error' "$W/client.err"; then
        ok "$P/command-runs-the-program"
    else
        not_ok "$P/command-runs-the-program" "stdout: [$(head -c 200 "$W/client.out" | tr '\n' '|')]; stderr: [$(head -c 300 "$W/client.err" | tr '\n' '|')]"
    fi
    session_reap
}

for_variants test_gone gcc gcc-asan
