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

for_variants test_forked gcc clang-O2 gcc-asan
RL_SCRIPT=forked-busy for_variants test_worker_busy gcc gcc-asan
