#!/usr/bin/env bash
# A forked process takes part in reloads (issue 25): the program forks a
# worker that keeps calling work(); a reload of work.o names the worker
# in its report, as --status does. Once the worker is gone, neither says
# anything of it. (tests/reload/processes.sh checks what the workers run.)
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_forked() {
    build main.o forked/main.c && build work1.o forked/work.c -DVER=1 && build work2.o forked/work.c -DVER=2
    builds_ok || return
    use work1.o work.o
    session_start --session "$SNAME" main.o work.o || return
    query
    local worker
    worker=$(qv worker)
    check first 1 "$(qv work)" "work() before the reload"
    use work2.o work.o
    reload
    if [ "$R_RC" = 0 ] && [[ $R_OUT == *"reloaded work.o"* ]] &&
        [[ $R_OUT == *"reloaded in 2 processes: "*" (this one), $worker"* ]] && [ -z "$R_ERR" ]; then
        ok "$P/report-names-the-worker"
    else
        not_ok "$P/report-names-the-worker" "worker $worker; $(client_said)"
    fi
    query
    check reloaded 2 "$(qv work)" "work() in the first process"
    client "$W" --session "$SNAME" --status
    case $R_OUT in *"processes: "*"(this one), $worker"*) ok "$P/status-names-the-worker" ;;
        *) not_ok "$P/status-names-the-worker" "$R_OUT" ;; esac
    kill -KILL "$worker" 2>/dev/null
    use work1.o work.o
    reload
    case $R_OUT$R_ERR in *processes*) not_ok "$P/gone-worker-unnamed" "$R_OUT $R_ERR" ;;
        *) ok "$P/gone-worker-unnamed" ;; esac
    session_stop
}

# A command that waits behind the worker's session is told why, from the
# worker's own state: here a call, waiting for hotld_poll(), which the
# worker never calls. The worker used to write its state into the first
# process's file (its descriptor, inherited at the fork), so the command
# was told nothing.
test_worker_busy() {
    build main-poll.o forked/main.c -DPOLL && build work1.o forked/work.c -DVER=1
    builds_ok || return
    use work1.o work.o
    session_start --session "$SNAME" --reload-timeout 2500 main-poll.o work.o || return
    query
    local worker
    worker=$(qv worker)
    client "$W" --session "$SNAME" --pid "$worker" --call 'work()'
    local want="hotld: waiting for the session (pid $worker): it is waiting for the program to call hotld_poll(), for 1"
    case $R_ERR in *"$want"*) ok "$P/waiting-command-told-why" ;;
        *) not_ok "$P/waiting-command-told-why" "expected '$want' on stderr; $(client_said)" ;; esac
    case $R_RC$R_ERR in 1*"did not call hotld_poll() within 2500 ms"*) ok "$P/call-withdrawn" ;;
        *) not_ok "$P/call-withdrawn" "$(client_said)" ;; esac
    session_stop
}

# A fork waits until hotld's own threads are at a quiet point: a lock
# one of them held at the fork (ASan's allocator's, libelf's, stdio's)
# would stay held in the child for ever, and hang its hotld thread. gdb
# stops the control thread in the middle of a request, then lets only
# the program's thread run for a while: the program forks in a loop, and
# no fork may return while the control thread stays stopped, but for one
# that was past the gate when gdb stopped the program. Before the
# gate, the program went on forking (139 forks in those 2 s); a worker of
# nginx under the ASan build hung so, in CI.
test_fork_waits() {
    build forkloop.o forked/forkloop.c
    builds_ok || return
    cat >"$W/stop.gdb" <<'GDB'
set pagination off
set confirm off
handle SIGINT stop print nopass
break message_recv if $_thread != 1
run
delete
shell date +%s.%N > stopped-at
set scheduler-locking on
thread 1
python gdb.execute("shell (sleep 2; kill -INT %d) &" % gdb.selected_inferior().pid)
continue
shell date +%s.%N > continued-at
set scheduler-locking off
continue
GDB
    rm -f "$W/done" "$W/forks.log" "$W/stopped-at" "$W/continued-at"
    hot_cmd timeout -s KILL 120 gdb -q -batch -x stop.gdb --args "$HOT" --session "$SNAME" forkloop.o
    ( cd "$W" && exec "${RL_CMD[@]}" ) </dev/null >"$W/gdb.out" 2>&1 &
    local gdb_pid=$! stop go
    RL_PIDS+=("$gdb_pid")
    if ! wait_for '^ready$' "$W/gdb.out" || ! wait_for . "$W/forks.log"; then
        touch "$W/done"; wait "$gdb_pid"
        not_ok "$P/fork-waits" "the program did not start forking under gdb: $(tail -n 5 "$W/gdb.out" | tr '\n' ' ')"
        return
    fi
    client "$W" --session "$SNAME" --status # gdb stops the control thread in it
    slurp stop "$W/stopped-at"; slurp go "$W/continued-at"
    local i # until a fork returns after the control thread went on
    for ((i = 0; i < RL_WAIT * 10; i++)); do
        awk -v b="${go:-0}" '$1 > b { after = 1 } END { exit !after }' "$W/forks.log" && break
        nap 0.1
    done
    touch "$W/done"
    wait "$gdb_pid"
    local during after
    read -r during after < <(awk -v a="${stop:-0}" -v b="${go:-0}" '$1 > a && $1 < b { d++ } $1 > b { n++ }
        END { print d + 0, n + 0 }' "$W/forks.log")
    if [ -n "$stop" ] && [ -n "$go" ] && [ "$R_RC" = 0 ] && [ "$during" -le 1 ] && [ "$after" -gt 0 ]; then
        ok "$P/fork-waits"
    else
        not_ok "$P/fork-waits" "control thread stopped from ${stop:-never} to ${go:-never}: $during forks returned meanwhile, $after after; status: $(client_said); gdb: $(grep -v Detaching "$W/gdb.out" | tail -n 4 | tr '\n' ' ')"
    fi
}

for_variants test_forked gcc clang-O2 gcc-asan
RL_SCRIPT=fork-waits for_variants test_fork_waits gcc clang-O2 gcc-asan
RL_SCRIPT=forked-busy for_variants test_worker_busy gcc gcc-asan
