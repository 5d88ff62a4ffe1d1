#!/usr/bin/env bash
# A session that goes away before it takes a command's request (it is
# exiting, or killed) leaves the command with no session, not an error:
# the command runs the program itself, as it would a moment later. Here
# the session is stopped, the command connects and waits, and the session
# is killed: the queued connection is reset without the session's
# greeting, and the command starts the program. And a session that greets
# the command and exits before answering: the same for a command that
# names no session; one that names it says the session exited.
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

# A session that greets the command and then exits without answering
# (the program ended just as the command connected; here a stand-in that
# does exactly that, at this directory's socket): the command runs the
# program, with nothing on stderr. Named (--session), it says the session
# exited, and exits 1.
test_gone_after_greeting() {
    build main.o selfsym/main.c && build tick.o selfsym/tick.c -DVER=1
    builds_ok || return
    local dir=$W/greeted sock
    mkdir -p "$dir"
    sock=$(cd "$dir" && "$HOT" --status 2>&1 | sed -n 's/.*no session is running for //p')
    [ -n "$sock" ] || { not_ok "$P/socket-path" "hotld --status named no socket"; return; }
    local sp
    stand_in() { # SOCKET LOG: in the background (sp), once listening: accept once, greet, vanish
        rm -f "$1"
        python3 -c 'import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
print("listening", flush=True)
c, _ = s.accept(); c.send(b"H"); os.unlink(sys.argv[1]); c.close(); s.close()' "$1" >"$2" &
        sp=$!
        wait_for listening "$2"
    }
    stand_in "$sock" "$dir/stand-in.out"
    (cd "$dir" && echo quit | "$HOT" "$W/main.o" "$W/tick.o" -lpthread -ldl >"$dir/out" 2>"$dir/err")
    local rc=$?
    wait "$sp"
    if [ $rc = 0 ] && grep -q '^ready$' "$dir/out" && [ ! -s "$dir/err" ]; then ok "$P/greeted-then-gone-runs"
    else not_ok "$P/greeted-then-gone-runs" "exit $rc; stdout [$(head -c 100 "$dir/out")]; stderr [$(head -c 300 "$dir/err")]"; fi
    # The same when the command's own link fails: its one line is the
    # link's error. It was the closed socket's ("control socket: write
    # failed: Broken pipe"), seen in a busy run of the suite.
    printf 'void hotld_test_undefined(void);\nint main(void) { hotld_test_undefined(); }\n' >"$W/undef.c"
    "$CC" -c "$W/undef.c" -o "$W/undef.o"
    stand_in "$sock" "$dir/stand-in3.out"
    (cd "$dir" && "$HOT" "$W/undef.o" </dev/null >"$dir/out3" 2>"$dir/err3")
    rc=$?
    wait "$sp"
    if [ $rc = 1 ] && [ "$(wc -l <"$dir/err3")" = 1 ] && grep -q "undefined reference to .hotld_test_undefined'" "$dir/err3"
    then ok "$P/greeted-then-gone-link-error"
    else not_ok "$P/greeted-then-gone-link-error" "exit $rc; stderr [$(head -c 300 "$dir/err3")]"; fi
    local named=$W/named.sock
    stand_in "$named" "$dir/stand-in2.out"
    (cd "$dir" && "$HOT" --session "$named" "$W/main.o" "$W/tick.o" -lpthread -ldl </dev/null >"$dir/out2" 2>"$dir/err2")
    rc=$?
    wait "$sp"
    if [ $rc = 1 ] && grep -q 'the session exited before it answered' "$dir/err2"; then ok "$P/named-gone-says-so"
    else not_ok "$P/named-gone-says-so" "exit $rc; stderr [$(head -c 300 "$dir/err2")]"; fi
}

# What killed sessions leave in the socket directory goes: a session
# started later removes a socket nothing is bound to, and the file that
# said what kept it busy, once they are a minute old; a socket made a
# moment ago, and a live session's (however old), stay. Before, they
# stayed for ever: a machine that had run the suite a few times had 874
# of them, read at every session's start.
test_stale_sockets() {
    build main.o selfsym/main.c && build tick.o selfsym/tick.c -DVER=1
    builds_ok || return
    local run=$W/run dir
    mkdir -p "$run" && chmod 700 "$run"
    local HOT_ENV=("${HOT_ENV[@]}" XDG_RUNTIME_DIR="$run")
    session_start --session "$SNAME-live" main.o tick.o -lpthread -ldl || return
    dir=$run/hotld-$(id -u)
    abandoned() { # SOCKET: bound, then left behind
        python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$1"
    }
    abandoned "$dir/killed.sock" && echo 'reload' >"$dir/killed.sock.busy" && abandoned "$dir/just-killed.sock"
    touch -d '2 minutes ago' "$dir/killed.sock" "$dir/killed.sock.busy" "$dir/$SNAME-live.sock"
    local live=$S_PID live_fd=$S_FD
    S_PID="" S_FD=""
    session_start --session "$SNAME-new" main.o tick.o -lpthread -ldl || return
    for _ in $(seq 100); do [ -e "$dir/killed.sock" ] || break; nap 0.05; done
    local left
    left=$(cd "$dir" && ls -1 | grep -E 'sock' | sort | tr '
' ' ')
    local want
    want=$(printf '%s\n' just-killed.sock "$SNAME-live.sock" "$SNAME-new.sock" | sort | tr '\n' ' ')
    check stale-removed "$want" "$left" "what the socket directory holds"
    session_stop
    S_PID=$live S_FD=$live_fd
    client "$W" --session "$SNAME-live" --status
    check old-live-session-answers 0 "$R_RC" "--status of the session whose socket is two minutes old"
    session_stop
}

for_variants test_gone gcc gcc-asan
for_variants test_gone_after_greeting gcc gcc-asan
for_variants test_stale_sockets gcc
