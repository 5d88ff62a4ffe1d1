#!/usr/bin/env bash
# Every process of the program reloads (issue 25): a master forks N
# workers (2, then 16) that call work() from the reloaded object in a
# loop, as a pre-fork server's do.
#   - A reload reaches all of them: each worker's next calls return the
#     new value, and the report names every process.
#   - total, which each process counts from its own seed, is widened:
#     it migrates in each process, keeping that process's own value.
#   - --pid asks a worker about itself: its own total, not the first
#     process's; without --pid, the first process answers.
#   - A worker with a thread that blocks every signal and runs loaded
#     code (it cannot be parked) refuses the reload: no process changes,
#     and the error names that worker. Once it stops, reloads go on.
#   - With --rollback, a version that crashes in one worker is rolled back
#     in every process, all or none: each runs the version before, and the
#     rollback's report names them all. The next reload reaches them all.
# gcc -O2 under the ASan build: work()'s first instruction is longer than
# the 5 bytes a redirect writes (no instruction starts inside them).
# Expected values are C's: work() returns VER, worker I's total starts at
# I * 1000000 and grows by one per call.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# settle N: query until every worker has looped twice since the last
# query, so its value is what its newest calls returned (a minute at
# most: a worker that just recovered from a crash may not run for a
# while on a loaded machine).
settle() {
    local n=$1 i before=() until=$((SECONDS + 60))
    for ((i = 0; i < n; i++)); do before[i]=$(qv "w$i" "" 3); done
    while [ "$SECONDS" -lt "$until" ]; do
        query
        for ((i = 0; i < n; i++)); do
            [ "$(qv "w$i" "" 3)" -gt $((${before[i]:-0} + 2)) ] || break
        done
        [ "$i" -eq "$n" ] && return 0
        nap 0.02
    done
    return 1
}

# values N: "FIRST W0 W1 ..." from the last query
values() {
    local i out
    out=$(qv first)
    for ((i = 0; i < $1; i++)); do out="$out $(qv "w$i")"; done
    echo "$out"
}

# own_totals N: every worker's total within its own seed's range
own_totals() {
    local i t
    for ((i = 0; i < $1; i++)); do
        t=$(qv "w$i" "" 2)
        [ -n "$t" ] && [ "$t" -gt $((i * 1000000)) ] && [ "$t" -lt $(((i + 1) * 1000000)) ] || return 1
    done
}

pids() {
    local i out=""
    for ((i = 0; i < $1; i++)); do out="$out $(qv "w$i" "" 4)"; done
    echo "$out"
}

test_processes() {
    local n=$1 lang=() i want
    case $V in clang-O2) lang=(-x c++) ;; esac
    QT=none
    build main.o processes/main.c -g "${lang[@]}" -pthread
    for i in 1 2 3; do build "work$i.o" processes/work.c -g "${lang[@]}" -DVER=$i; done
    builds_ok || return
    use work1.o work.o
    session_start --session "$SNAME" --reload-timeout 500 main.o work.o -lpthread -- "$n" || return
    settle "$n" || { not_ok "$P/workers-run" "the workers do not loop; $(session_state)"; return; }
    check first "1$(printf ' 1%.0s' $(seq "$n"))" "$(values "$n")" "work() in the first process and each worker"
    local workers; workers=$(pids "$n")
    use work2.o work.o
    reload
    local named=1
    for i in $workers; do [[ $R_OUT == *"reloaded in $((n + 1)) processes: "*"$i"* ]] || named=0; done
    if [ "$R_RC" = 0 ] && [ "$named" = 1 ]; then ok "$P/report-names-every-process"
    else not_ok "$P/report-names-every-process" "workers:$workers; $(client_said)"; fi
    settle "$n" || { not_ok "$P/workers-go-on" "$(session_state)"; return; }
    check every-process-runs-new-code "2$(printf ' 2%.0s' $(seq "$n"))" "$(values "$n")" "work() after the reload"
    client "$W" --session "$SNAME" --status
    named=1
    for i in $workers; do [[ $R_OUT == *"processes: "*"$i"* ]] || named=0; done
    if [ "$named" = 1 ]; then ok "$P/status-lists-processes"; else not_ok "$P/status-lists-processes" "$R_OUT"; fi
    use work3.o work.o
    reload
    settle "$n"
    if [ "$R_RC" = 0 ] && own_totals "$n" && [ "$(values "$n")" = "3$(printf ' 3%.0s' $(seq "$n"))" ]; then
        ok "$P/migrated-per-process"
    else
        not_ok "$P/migrated-per-process" "values $(values "$n"), totals $(for ((i = 0; i < n; i++)); do printf '%s ' "$(qv "w$i" "" 2)"; done); $(client_said)"
    fi
    [ "$n" -gt 2 ] && { session_stop; return; }
    local pid1 mine first
    pid1=$(qv w1 "" 4)
    client "$W" --session "$SNAME" --pid "$pid1" --print total
    mine=$(printf '%s' "$R_OUT" | grep -oE '[0-9]+' | tail -n 1)
    client "$W" --session "$SNAME" --print total
    first=$(printf '%s' "$R_OUT" | grep -oE '[0-9]+' | tail -n 1)
    if [ -n "$mine" ] && [ "$mine" -gt 1000000 ] && [ "$mine" -lt 2000000 ] && [ -n "$first" ] && [ "$first" -lt 1000000 ]; then
        ok "$P/pid-asks-that-process"
    else
        not_ok "$P/pid-asks-that-process" "worker 1 ($pid1) says '$mine', the first process '$first'; $(client_said)"
    fi
    local bad why=""
    for bad in "--pid abc --status" "--pid 7 main.o" "--pid 999999 --status"; do
        # shellcheck disable=SC2086
        client "$W" --session "$SNAME" $bad
        [ "$R_RC" != 0 ] && [ "$(nlines "$R_ERR")" = 1 ] && [[ $R_ERR == *"--pid"* ]] || why="$why [$bad: $(client_said)]"
    done
    if [ -z "$why" ]; then ok "$P/pid-errors"; else not_ok "$P/pid-errors" "$why"; fi
    local blocker; blocker=$(qv w1 "" 4)
    send "block 1"
    sleep 0.2
    use work2.o work.o
    reload
    settle "$n"
    if [ "$R_RC" != 0 ] && [[ $R_ERR == *"process $blocker"* ]] && [[ $R_ERR == *"no process changed"* ]] &&
        [ "$(values "$n")" = "3$(printf ' 3%.0s' $(seq "$n"))" ]; then
        ok "$P/blocked-worker-refuses-for-all"
    else
        not_ok "$P/blocked-worker-refuses-for-all" "blocker $blocker; values $(values "$n"); $(client_said)"
    fi
    send "unblock 1"
    sleep 0.2
    reload
    settle "$n"
    check reloads-after-unblock "2$(printf ' 2%.0s' $(seq "$n"))" "$(values "$n")" "work() once the blocking thread ended"
    session_stop
}

test_rollback() {
    local i
    QT=none
    build main.o processes/main.c -g -pthread
    for i in 1 2 4; do build "work$i.o" processes/work.c -g -DVER=$i; done
    builds_ok || return
    use work1.o work.o
    session_start --session "$SNAME" --rollback main.o work.o -lpthread -- 2 || return
    settle 2 || { not_ok "$P/workers-run" "the workers do not loop; $(session_state)"; return; }
    local workers; workers=$(pids 2)
    use work2.o work.o
    reload
    settle 2
    check before-the-crash "2 2 2" "$(values 2)" "work() after the first reload"
    use work4.o work.o
    reload
    wait_for "rolled back" "$S_ERR" 10
    settle 2
    local named=1
    for i in $workers; do has_line "rolled back.* in 3 processes: .*$i" "$S_ERR" || named=0; done
    if [ "$(values 2)" = "2 2 2" ] && [ "$named" = 1 ]; then ok "$P/rolled-back-everywhere"
    else not_ok "$P/rolled-back-everywhere" "values $(values 2) (expected 2 2 2); workers:$workers; $(tail -c 600 "$S_ERR" | tr '\n' '|')"; fi
    use work1.o work.o
    reload
    settle 2
    check reloads-after-rollback "1 1 1" "$(values 2)" "work() after the next reload"
    session_stop
}

# A worker that became nobody (run as root only) takes part too: it
# accepts its first process's connection, and gets the objects it may
# not read opened by that process.
test_dropped() {
    QT=none
    build main.o processes/main.c -g -pthread && build work1.o processes/work.c -g -DVER=1 &&
        build work2.o processes/work.c -g -DVER=2
    builds_ok || return
    use work1.o work.o
    session_start --session "$SNAME" main.o work.o -lpthread -- 2 drop || return
    settle 2 || { not_ok "$P/workers-run" "$(session_state)"; return; }
    local nobody; nobody=$(qv w1 "" 4)
    [ "$(stat -c %u "/proc/$nobody")" = 65534 ] || { not_ok "$P/worker-is-nobody" "worker $nobody"; return; }
    use work2.o work.o
    reload
    settle 2
    if [ "$R_RC" = 0 ] && [[ $R_OUT == *"reloaded in 3 processes"*"$nobody"* ]] && [ "$(values 2)" = "2 2 2" ]; then
        ok "$P/unprivileged-worker-reloads"
    else
        not_ok "$P/unprivileged-worker-reloads" "values $(values 2); $(client_said)"
    fi
    session_stop
}

# A worker that cannot answer (stopped here; in a CI run, one whose hotld
# thread was stuck) fails the reload within the time it is given, naming
# it, and no process changes. The first process used to wait for its
# greeting for ever, its threads parked. Once it runs again, reloads go
# on.
test_stopped() {
    QT=none
    build main.o processes/main.c -g -pthread && build work1.o processes/work.c -g -DVER=1 &&
        build work2.o processes/work.c -g -DVER=2
    builds_ok || return
    use work1.o work.o
    session_start --session "$SNAME" --reload-timeout 500 main.o work.o -lpthread -- 2 || return
    settle 2 || { not_ok "$P/workers-run" "$(session_state)"; return; }
    local stopped; stopped=$(qv w1 "" 4)
    kill -STOP "$stopped"
    use work2.o work.o
    reload
    kill -CONT "$stopped"
    expect_failed stopped-worker-fails "process $stopped, forked from the program, cannot apply it: .*; no process changed"
    settle 2
    check none-changed "1 1 1" "$(values 2)" "work() after the failed reload"
    reload
    settle 2
    check reloads-once-running "0 2 2 2" "$R_RC $(values 2)" "exit status and work() after the next reload"
    session_stop
}

test_two() { test_processes 2; }
test_sixteen() { test_processes 16; }
for_variants test_two gcc clang-O2 gcc-asan gcc-O2-asan
RL_SCRIPT=processes-rollback for_variants test_rollback gcc clang
RL_SCRIPT=processes16 for_variants test_sixteen gcc
RL_SCRIPT=processes-stopped for_variants test_stopped gcc
[ "$(id -u)" = 0 ] && RL_SCRIPT=processes-nobody for_variants test_dropped gcc gcc-asan
