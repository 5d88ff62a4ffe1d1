#!/usr/bin/env bash
# Asking the running program never harms it (src/asking/):
#   print: types that refer to themselves (a typedef'd pointer to its own
#     struct, a cyclic list), typedef chains, an incomplete type, a union,
#     bit-fields, a flexible array member, anonymous members, a function
#     pointer type naming its own struct, 17 levels of nesting, a large
#     array; chains of 200 hops through a cycle; nesting past the parser's
#     limit is one error line; then the query fuzzer (tests/fuzz/queries.py)
#     sends QUERY_FUZZ_COUNT (default 1500) generated expressions through
#     the REPL: every one gets an answer or one error line;
#   after all of it the program still answers, its state as it was.
# The C++ variant (clang-O2) compiles the same sources as C++; every
#     variant also prints C++ templates, references, a class with a vtable
#     and a namespace's variable from src/asking/cxx.cpp, loaded on its own.
#   calls that do not return (src/asking/calls.c): --call-timeout abandons
#     one, with one error line naming where; while another runs with no
#     limit, --status, --print and a reload that changes another function
#     of the same object answer; Ctrl-C (SIGINT) on the asking command
#     abandons it and says so; a call asleep in a system call is left
#     alone for its grace time, then abandoned with the caveat that it was
#     inside libc; afterwards calls reach the new code and the program's
#     state is as it was;
#   a busy session: --status sent while a reload waits for its user to
#     answer a question about a variable says after a second what the
#     session waits for, and answers once the question is answered;
#     --status sent to a session that gdb has stopped says so, and answers
#     once gdb has let go;
#   own crash handlers (src/asking/handler.c): a program that installs its
#     own with sigaction (SIGSEGV), signal (SIGFPE) and sigset (SIGILL)
#     reads them back as it set them; its handlers of the real-time signals
#     hotld parks threads and interrupts calls with get the signals it
#     raises, and reloads still park its threads; with --rollback, a crash in reloaded
#     code rolls back and the program goes on; a crash in code no reload
#     brought reaches the program's handler, whose report and exit status
#     are the linked program's (the oracle: gcc's link of the same
#     objects, given the same commands).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# The program answers, with the state it started with; COMMANDS: how
# many commands it has seen (each query is one).
state_kept() {
    query
    check "$1" "1 2 10 5 1 $2" "$(qv state) $(qv state "$QT" 2) $(qv state "$QT" 3) $(qv state "$QT" 4) $(qv state "$QT" 5) $(qv commands)" \
        "list, ring, typedef chain, self pointer, commands seen"
}

print_checks() {
    ask typedef-self 'head = (struct node *) ADDR <n1>' --print head
    ask typedef-self-member 'head->v = 1' --print 'head->v'
    ask typedef-self-deref '*head = (struct node) {next = ADDR <n2>, v = 1}' --print '*head'
    ask cycle 'ring[0].next->next->next->v = 10' --print 'ring[0].next->next->next->v'
    local hops; hops=$(printf -- '->next%.0s' $(seq 199))
    ask cycle-200 "ring[0].next${hops}->v = 12" --print "ring[0].next${hops}->v"
    refuse too-deep '^hotld: error: expression nested too deeply at column [0-9]+ of .{1,100}$' \
        --print "ring[0]${hops}${hops}->v"
    refuse unary-tower '^hotld: error: expression nested too deeply' --print "$(printf -- '-%.0s' $(seq 300))chained"
    ask typedef-chain 'chained = 5' --print chained
    refuse incomplete '^hotld: error: cannot follow a struct opaque \*' --print '*hidden'
    ask union 'num = (union number) {i = 5, f = 7e-45}' --print num
    ask bitfields 'fl = (struct flags) {a = 3, b = -2, c = 1}' --print fl
    ask flexible 'flexp->data[2] = 9' --print 'flexp->data[2]'
    ask anonymous 'anon.a = 42' --print anon.a
    ask self-typedef 'mach = (struct machine) {on = ADDR, self = ADDR <mach>}' --print mach
    ask nesting-limit 'deep.in.in.in.in.in.in.in.in.in.in.in.in.in.in.in.in.leaf = 0' \
        --print deep.in.in.in.in.in.in.in.in.in.in.in.in.in.in.in.in.leaf
    client "$S_DIR" --session "$SNAME" --print deep
    check nesting-shown "1" "$(grep -c '{\.\.\.}' <<<"$R_OUT")" "deep's value, cut at the nesting limit"
    # runs of equal elements as gdb shows them: gdb on the linked program
    # is the oracle
    local want answer
    want=$(cd "$W" && $CC "${CFL[@]}" main.o data.o calls.o -o linked-print 2>/dev/null &&
        gdb -nx -batch -ex 'set max-value-size unlimited' -ex 'print big' -ex 'print mixed' ./linked-print 2>/dev/null | sed -E 's/^\$[0-9]+/X/' | tr '\n' '|')
    answer=$(for e in big mixed; do client "$S_DIR" --session "$SNAME" --print "$e"; echo "$R_OUT"; done | sed -E 's/^(big|mixed)/X/' | tr '\n' '|')
    check repeats "$want" "$answer" "big and mixed, as gdb prints them"
    state_kept state-after-prints 1
}

# (clang spells the vtable pointer _vptr$shape, gcc _vptr.shape)
cxx_checks() {
    local cxx=${CC/gcc/g++} answers
    cxx=${cxx/clang/clang++}
    "$cxx" "${CFL[@]}" -g -c "$RL_SRC/asking/cxx.cpp" -o "$W/cxx.o" || { not_ok "$P/cxx-build" "$cxx failed"; return; }
    answers=$(cd "$W" && for e in ibox 'ibox.self->self->value' dbox rr 'sp->id' '*sp' sq.side ns::inner; do
        env "${HOT_ENV[@]}" "$HOT" --print "$e" cxx.o -lstdc++ 2>&1; done | sed -E 's/0x[0-9a-f]+/ADDR/g; s/_vptr[.$]/_vptr./' | tr '\n' '|')
    check cxx-types "ibox = (struct box<int>) {value = 7, self = ADDR <ibox>}|ibox.self->self->value = 7|dbox = (struct box<double>) {value = 2.5, self = ADDR}|rr = (struct refs) {r = <int &>, b = <struct box<int> &>}|sp->id = 4|*sp = (struct shape) {_vptr.shape = ADDR <vtable for square+16>, id = 4}|sq.side = 1.5|ns::inner = 9|" \
        "$answers" "answers"
}

fuzz_checks() {
    local said
    said=$(cd "$S_DIR" && timeout -s KILL 600 env "${HOT_ENV[@]}" python3 "$HOTLD_ROOT/tests/fuzz/queries.py" \
        "${QUERY_FUZZ_COUNT:-1500}" "${QUERY_FUZZ_SEED:-1}" "$HOT" --session "$SNAME" 2>&1)
    if [ $? -eq 0 ]; then ok "$P/query-fuzzer"; else not_ok "$P/query-fuzzer" "$(tr '\n' '|' <<<"$said" | head -c 600); $(session_state)"; fi
    state_kept state-after-fuzzer 2
}

call_checks() {
    refuse call-timeout '^hotld: error: the call did not return within its time limit \(--call-timeout\); it was abandoned at 0x[0-9a-f]+ <spin(\(\))?\+[0-9]+>; the program goes on$' \
        --call 'spin()' --call-timeout 0.5
    # a call with no limit, asked in the background; Ctrl-C ends it
    ( exec {S_FD}>&-; cd "$W" && exec env "${HOT_ENV[@]}" "$HOT" --session "$SNAME" --call 'spin()' ) \
        >"$W/spin.out" 2>"$W/spin.err" &
    local asker=$! spins
    for _ in $(seq 100); do spins=$(cd "$W" && "$HOTLD" --session "$SNAME" --print spins 2>/dev/null); [ "${spins#spins = }" != 0 ] && break; nap 0.05; done
    client "$W" --session "$SNAME" --status
    check status-during-call 0 "$R_RC" "--status while a call runs"
    ask print-during-call 'head->v = 1' --print 'head->v'
    use calls2.o calls.o
    reload
    check reload-during-call "0 1 0" "$R_RC $(grep -c '^hotld: reloaded calls\.o' <<<"$R_OUT") $(printf '%s' "$R_ERR" | grep -vc "^hotld: warning: '\(spin\|_Z4spinv\)' (calls\.c:[0-9]*) keeps running its old code")" \
        "exit status, report, other lines than the warning that spin keeps running"
    kill -INT "$asker"
    wait "$asker"
    check ctrl-c-abandons "1 1" "$? $(grep -cE '^hotld: error: the call was interrupted by the asking command \(Ctrl-C\); it was abandoned at 0x[0-9a-f]+ <spin(\(\))?\+[0-9]+>; the program goes on$' "$W/spin.err")" \
        "exit status, and the one line it printed"
    ask new-code-after 'add(2, 3) = 1005' --call 'add(2, 3)'
    if [ "$V" = gcc ]; then
        refuse call-in-syscall '^hotld: error: the call did not return .*abandoned at 0x[0-9a-f]+ <[a-z_]*sleep[a-z_0-9]*\+[0-9]+> in libc\.so\.6, inside a library, whose locks it may still hold; the program goes on$' \
            --call 'snooze(30)' --call-timeout 0.2
    fi
}

# A program thread loops in loop_at_entry (calls.o); a reload of calls.o
# would write a jump over the bytes its loop comes back to (gcc -O0): it
# must fail whole, the thread go on. Where the compiler puts the loop
# elsewhere, it succeeds; either way the program lives.
loops_now() {
    (cd "$W" && "$HOTLD" --session "$SNAME" --print loops 2>&1)
}

loop_back_checks() {
    send loop
    # a new thread may not run for a while on a loaded machine
    retry 5 eval '[ "$(loops_now)" != "loops = 0" ]'
    local before after
    before=$(loops_now)
    use calls1.o calls.o
    client "$W" "${S_ARGS[@]}" --reload-timeout 300
    local said="$R_RC:$(grep -c "^hotld: error: reload failed: for 300 ms (--reload-timeout), a thread could resume inside the first bytes of '\(loop_at_entry\|_Z13loop_at_entryPv\)'" <<<"$R_ERR")"
    case $said in 1:1|0:0) ok "$P/loop-back-reload" ;; *) not_ok "$P/loop-back-reload" "$(client_said)" ;; esac
    sleep 0.2
    after=$(loops_now)
    check loop-goes-on 1 "$([ "${after#loops = }" -gt "${before#loops = }" ] 2>/dev/null && echo 1)" "loops went on: $before, then $after"
    state_kept state-after-loop-reload 5
}

# status_in_background: hotld --status, its stderr in $W/status.err.
status_in_background() {
    ( exec {S_FD}>&-; cd "$W" && exec env "${HOT_ENV[@]}" timeout -s KILL 30 "$HOT" --session "$SNAME" --status ) \
        >"$W/status.out" 2>"$W/status.err" &
}

busy_checks() {
    # a reload that waits for its command's user to answer a question
    use calls3.o calls.o
    mkfifo "$W/answer"
    exec {answer}<>"$W/answer"
    ( exec {S_FD}>&-; cd "$W" && exec env "${HOT_ENV[@]}" "$HOT" "${S_ARGS[@]}" --on-conflict=ask ) \
        <"$W/answer" >"$W/slow.out" 2>"$W/slow.err" &
    local reloader=$!
    for _ in $(seq 200); do has_line 'your choice' "$W/slow.err" && break; nap 0.05; done
    status_in_background
    local asker=$!
    for _ in $(seq 100); do [ -s "$W/status.err" ] && break; nap 0.05; done
    echo a >&"$answer"
    wait "$asker"
    local rc=$?
    wait "$reloader"
    exec {answer}>&-
    check busy-reloading "0 1" "$rc $(grep -cE "^hotld: waiting for the session \(pid [0-9]+\): it is waiting for the reloading command's user to answer a question about a variable, for [0-9.]+ s$" "$W/status.err")" \
        "--status's exit, and its line about the wait"
    # a debugger stops the process (not SIGSTOP: the shell would continue
    # its stopped child)
    gdb -nx -batch -p "$S_PID" -ex 'shell sleep 2.5' >"$W/gdb.out" 2>&1 &
    local debugger=$!
    for _ in $(seq 250); do has_line '^TracerPid:[[:space:]]*[1-9]' "/proc/$S_PID/status" && break; nap 0.02; done
    status_in_background
    asker=$!
    wait "$asker"
    rc=$?
    wait "$debugger"
    check busy-stopped "0 1" "$rc $(grep -cE "^hotld: waiting for the session \(pid $S_PID\): its process is stopped by a debugger \(pid [0-9]+\)$" "$W/status.err")" \
        "--status's exit, and its line about the wait"
}

test_asking() {
    local lang=()
    case $V in clang-O2) lang=(-x c++) ;; esac
    build main.o asking/main.c -g "${lang[@]}"
    build data.o asking/data.c -g "${lang[@]}"
    build calls1.o asking/calls.c -g "${lang[@]}" -DVER=1
    build calls2.o asking/calls.c -g "${lang[@]}" -DVER=2
    build calls3.o asking/calls.c -g "${lang[@]}" -DVER=3
    builds_ok || return
    use calls1.o calls.o
    session_start --session "$SNAME" main.o data.o calls.o || return
    print_checks
    cxx_checks
    fuzz_checks
    call_checks
    state_kept state-after-calls 3
    loop_back_checks
    busy_checks
    session_stop
}

# dies_like NAME HISTORY COMMAND: the session, sent COMMAND, ends with the
# last line of output and the exit status of the linked program sent
# HISTORY (the commands the session has had) and then COMMAND.
dies_like() {
    local name=$1 history=$2 cmd=$3 want got rc
    (cd "$W" && printf '%s\n' $history "$cmd" | ./linked >linked.out 2>/dev/null)
    rc=$?
    want="$(tail -n 1 "$W/linked.out") status $rc"
    send "$cmd"
    for _ in $(seq 250); do session_alive || break; nap 0.02; done
    session_reap
    got="$(tail -n 1 "$S_OUT") status $S_RC"
    check "$name" "$want" "$got" "the program's own report and exit status"
    S_PID="" S_FD=""
}

test_handlers() {
    build hmain.o asking/handler.c -g
    build work1.o asking/work.c -g -DVER=1
    build work2.o asking/work.c -g -DVER=2
    builds_ok || return
    (cd "$W" && $CC hmain.o work1.o -o linked) || { not_ok "$P/linked" "gcc could not link"; return; }
    use work1.o work.o
    session_start --session "$SNAME" --rollback hmain.o work.o || return
    send rt
    query
    check handlers-seen "1 2" "$(qv installed) $(qv rt)" "sigaction's answer: the handlers the program set; its SIGRTMIN+6 and +7 seen"
    send step
    use work2.o work.o
    reload
    expect_reloaded reload work.o
    send step
    for _ in $(seq 250); do has_line '^stepped 1$' "$S_OUT" 2 && break; nap 0.02; done
    query
    check rolled-back "1 1 2 1" "$(qv installed) $(qv work) $(qv work "$QT" 2) $(qv work "$QT" 3)" \
        "handlers, version, steps, total after the crash rolled back"
    check rollback-reported 1 "$(grep -c '^hotld: SIGSEGV (address 0x0) in work_step of work\.o, version 1: rolling back' "$S_ERR")" \
        "hotld's crash line"
    dies_like segv-own-report "step step" segv
    session_start --session "$SNAME" --rollback hmain.o work.o || return
    dies_like fpe-own-report "" fpe
    session_start --session "$SNAME" --rollback hmain.o work.o || return
    dies_like ill-own-report "" ill
}

# The questions alone, for gcc -gz -fdebug-types-section: the DWARF
# zlib-compressed (each question reads it again, as the first did), and
# each struct, union and enum in a type unit of its own COMDAT group,
# which no question found before; and for clang -gsplit-dwarf, the DWARF
# in a .dwo file beside each object.
test_prints() {
    build main.o asking/main.c -g
    build data.o asking/data.c -g
    build calls1.o asking/calls.c -g -DVER=1
    builds_ok || return
    use calls1.o calls.o
    session_start --session "$SNAME" main.o data.o calls.o || return
    print_checks
    session_stop
}

for_variants test_asking gcc clang-O2 gcc-asan
for_variants test_prints gcc-gz-dts clang-split
for_variants test_handlers gcc clang-O2 gcc-asan
