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

for_variants test_forked gcc clang-O2 gcc-asan
