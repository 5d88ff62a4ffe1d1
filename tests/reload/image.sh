#!/usr/bin/env bash
# hotld --print, --call and --repl on a running program (src/image/), and
# on its files without a session:
#   print: a struct array element with nested struct, char array, double,
#     enum, bit-fields and a pointer shown with the symbol it points to; a
#     field path; a 2-D array; a typedef'd struct; following pointers
#     (*p, p->name); a file static, also as OBJECT:NAME; a thread-local
#     variable (the main thread's copy); --json;
#   call: integers (short, unsigned 64-bit, bool), doubles, long double, a
#     float parameter, a string, an enum by name, a function pointer, a
#     struct by value in and out (in registers, and in memory), a union
#     refused, a variadic function, a value from the
#     program's own data (players[0].pos), and a call that changes state the
#     program then sees; a call that crashes is an error and the program
#     goes on; a program that uses hotld_poll() gets the call in its own
#     thread there;
#   set: a field, an enum by name, a bit-field, a string into a char array
#     through the program's own function;
#   the program's command line with --print asks the session; other files
#     are read as they are;
#   errors: one line each, exit 1 (bad arity, a value that does not fit, an
#     unknown name, a library function without DWARF, a syntax error);
#   after a reload of world.o, calls reach the new code and state is kept;
#   the REPL piped, and on a terminal with tab completion and history;
#   C++ names (namespaces, overloads) on a file.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

print_checks() {
    ask print-struct 'players[1] = (struct player) {name = "bob", pos = {x = 3, y = 4}, hp = 75.5, team = BLUE, flags = 1, level = 7, buddy = ADDR <players>}' \
        --print 'players[1]'
    ask print-path 'players[1].pos.x = 3' --print 'players[1].pos.x'
    ask print-bitfield 'players[0].level = -3' --print 'players[0].level'
    ask print-2d 'grid = {{1, 2, 3}, {4, 5, 6}}' --print grid
    ask print-row 'grid[1][2] = 6' --print 'grid[1][2]'
    ask print-typedef 'box = (size2) {w = 2.5, h = 4}' --print box
    ask print-deref 'players[1].buddy->name = "ann"' --print 'players[1].buddy->name'
    ask print-star '*players[1].buddy = (struct player) {name = "ann", pos = {x = 1, y = 2}, hp = 100, team = RED, flags = 5, level = -3, buddy = ADDR}' \
        --print '*players[1].buddy'
    ask print-string 'greeting = (char *) ADDR "hello"' --print greeting
    ask print-static 'counter = 7' --print counter
    ask print-qualified 'world.o:counter = 7' --print world.o:counter
    ask print-thread-local 'per_thread = 33' --print per_thread
    ask print-address '&players[1] = (struct player *) ADDR <players+48>' --print '&players[1]'
    client "$S_DIR" --session "$SNAME" --print 'players[0]' --json
    local js
    js=$(printf '%s' "$R_OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); v=d["value"]
print(d["type"], v["name"], v["pos"]["y"], v["hp"], v["team"], v["flags"], v["level"], v["buddy"])' 2>&1)
    check print-json "struct player ann 2 100 RED 5 -3 0x0" "$js" "JSON"
}

call_checks() {
    ask call-add 'add(2, 40) = 42' --call 'add(2, 40)'
    ask call-double 'scale(2, 1.5) = 3' --call 'scale(2, 1.5)'
    ask call-string 'name_len("four") = 4' --call 'name_len("four")'
    ask call-enum 'color_name(BLUE) = (char *) ADDR "blue"' --call 'color_name(BLUE)'
    ask call-struct-in 'vec_sum(players[0].pos) = 3' --call 'vec_sum(players[0].pos)'
    ask call-struct-out 'vec_make(3, -4) = (struct vec) {x = 3, y = -4}' --call 'vec_make(3, -4)'
    ask call-float-struct 'area(box) = 10' --call 'area(box)'
    ask call-variadic 'sum_ints(3, 1, 2, 3) = 6' --call 'sum_ints(3, 1, 2, 3)'
    ask call-uchar "next_byte(255) = 0 '\\000'" --call 'next_byte(255)'
    ask call-big-struct 'big_make(7) = (struct big) {a = 7, b = 14, c = 21, d = 28}' --call 'big_make(7)'
    ask call-long-double 'ld_sum(1.5, 2.25) = 3.75' --call 'ld_sum(1.5, 2.25)'
    ask call-bool 'is_even(4) = true' --call 'is_even(4)'
    ask call-function-pointer 'apply(plus_one, 41) = 42' --call 'apply(plus_one, 41)'
    ask call-u64 'top_bit() = 9223372036854775808' --call 'top_bit()'
    ask call-short 'halve(-9) = -4' --call 'halve(-9)'
    ask print-union 'num = (union number) {i = 5, f = 7e-45}' --print num
    refuse call-union '^hotld: error: cannot pass argument 1 of type union number$' --call 'number_int(num)'
    ask call-thread "in_main_thread() = $WANT_MAIN_THREAD" --call 'in_main_thread()'
    ask call-state 'bump() = 8' --call 'bump()'
    query
    check call-state-seen 9 "$(qv bump)" "bump count the program sees after the call"
    refuse call-crash '^hotld: error: the call crashed with SIGSEGV at 0x[0-9a-f]+ <crash(\+[0-9]+)?> \(address 0x0\); the program goes on$' \
        --call 'crash(0)'
    query
    check alive-after-crash 10 "$(qv bump)" "bump count after the crashed call"
}

set_checks() {
    ask set-field 'players[1].pos.x = 99' --print 'set players[1].pos.x = 99'
    ask set-enum 'players[1].team = GREEN' --print 'set players[1].team = GREEN'
    ask set-bitfield 'players[1].flags = 6' --print 'set players[1].flags = 6'
    ask set-count 'nplayers = 3' --print 'set nplayers = 3'
    ask call-void 'rename_player(1, "zoe") = void' --call 'rename_player(1, "zoe")'
    query
    check set-seen "zoe 99 5 3" "$(qv p1 "$QT" 1) $(qv p1 "$QT" 2) $(qv p1 "$QT" 3) $(qv p1 "$QT" 4)" \
        "name, x, team, count the program sees"
    ask set-flags-kept 'players[1].level = 7' --print 'players[1].level'
    # The program's own command line asks the session; files it has not
    # loaded are read as they are, session or not.
    ask by-command-line 'nplayers = 3' --print nplayers main.o world.o
    ask other-files 'nplayers = 2' --print nplayers world1.o
}

error_checks() {
    refuse err-arity '^hotld: error: add takes 2 arguments, not 1$' --call 'add(1)'
    refuse err-fit '^hotld: error: argument 1: 256 does not fit in unsigned char$' --call 'next_byte(256)'
    refuse err-unknown "^hotld: error: no function or variable named 'nosuch'\$" --print nosuch
    refuse err-no-dwarf "^hotld: error: 'printf' is in /.*\\.so[.0-9]*, which has no DWARF" --call 'printf("x")'
    refuse err-syntax "^hotld: error: expected a name at column 7 of 'add\\(1,'\$" --call 'add(1,'
    refuse err-bounds '^hotld: error: index 9 is out of the bounds of struct player \[4\]$' --print 'players[9]'
    refuse err-member "^hotld: error: struct vec has no member named 'z'\$" --print 'players[0].pos.z'
    refuse err-null '^hotld: error: the struct player \* is NULL$' --print 'players[0].buddy->name'
}

reload_checks() {
    build world.o image/world.c -g -DVER=2 || return
    reload
    expect_reloaded reload world.o
    ask call-new-code 'add(2, 40) = 1042' --call 'add(2, 40)'
    ask state-kept 'players[1].pos.x = 99' --print 'players[1].pos.x'
}

repl_checks() {
    ( [ -n "$S_FD" ] && exec {S_FD}>&-
      cd "$S_DIR" && printf 'players[1].name\nset nplayers = 4\nadd(1, 2)\nbogus(\nquit\nnplayers\n' |
        env "${HOT_ENV[@]}" timeout -s KILL 20 "$HOT" --session "$SNAME" --repl ) >"$W/repl.out" 2>"$W/repl.err"
    check repl-piped 'players[1].name = "zoe"|nplayers = 4|add(1, 2) = 1003|' "$(tr '\n' '|' <"$W/repl.out")" "REPL output"
    check repl-error "error: expected a name at column 7 of 'bogus('" "$(cat "$W/repl.err")" "REPL's stderr"
    # On a terminal: "nplay" + TAB completes to nplayers, and
    # "players[1].po" + TAB to the member pos; the history file gets the
    # lines.
    local got
    got=$(cd "$S_DIR" && HOME=$W timeout 20 python3 "$RL_SRC/image/pty_repl.py" "$HOT" --session "$SNAME" --repl 2>&1)
    check repl-complete "nplayers = 4" "$(grep -oE 'nplayers = [0-9]+' <<<"$got" | head -n 1)" "completed line's answer"
    check repl-complete-member "players[1].pos = (struct vec) {" "$(grep -oE 'players\[1\]\.pos = \(struct vec\) \{' <<<"$got" | head -n 1)" \
        "the answer to the line with a member completed"
    check repl-history "players[1].pos" "$(tail -n 1 "$W/.hotld_history" 2>/dev/null)" "history file's last line"
}

offline_checks() {
    local d=$W/offline
    mkdir -p "$d" && cp "$W/main.o" "$W/world1.o" "$d/" || return
    ( cd "$d" && env "${HOT_ENV[@]}" "$HOT" --call 'add(2, 40)' main.o world1.o ) >"$W/off.out" 2>"$W/off.err"
    check offline-call "add(2, 40) = 42" "$(cat "$W/off.out")" "answer without a session"
    ( cd "$d" && env "${HOT_ENV[@]}" "$HOT" --print per_thread main.o world1.o ) >"$W/off.out" 2>"$W/off.err"
    check offline-thread-local "per_thread = 9|" "$(cat "$W/off.out")|$(cat "$W/off.err")" "a thread-local variable, main not run"
    ( cd "$d" && $CC -c -I"$RL_SRC" "$RL_SRC/image/world.c" -o nodwarf.o &&
      env "${HOT_ENV[@]}" "$HOT" --print counter nodwarf.o ) >"$W/off.out" 2>"$W/off.err"
    check offline-no-dwarf "counter = (uint8_t [4] (no DWARF)) {7, 0, 0, 0}|" "$(cat "$W/off.out")|$(cat "$W/off.err")" \
        "a variable of an object without -g (stdout|stderr)"
    ( cd "$d" && env "${HOT_ENV[@]}" "$HOT" --print 'players[0].pos' world1.o ) >"$W/off.out" 2>"$W/off.err"
    check offline-print-subset "players[0].pos = (struct vec) {x = 1, y = 2}|" "$(cat "$W/off.out")|$(cat "$W/off.err")" \
        "answer on one object, no main (stdout|stderr)"
}

# C++ names, on a file without a session: a namespace's variables by their
# demangled names, and an overloaded function: --call takes the one
# overload that takes as many arguments, and says which symbols to choose
# from when none or several do; --sizes and --refs show them demangled.
cxx_checks() {
    local cxx=${CC/gcc/g++} d=$W/cxx
    cxx=${cxx/clang/clang++}
    mkdir -p "$d"
    if ! (cd "$d" && "$cxx" -g -c "$RL_SRC/image/shapes.cpp" -o shapes.o) >"$d/build.log" 2>&1; then
        not_ok "$P/cxx-build" "$(head -c 300 "$d/build.log")"; return
    fi
    local answers
    answers=$(cd "$d" && for q in "--print geo::scale" "--print geo::unit" "--call twice(21)" "--call _ZN3geo4areaEii(3,4)"; do
        env "${HOT_ENV[@]}" "$HOT" $q shapes.o -lstdc++ 2>&1; done | tr '\n' '|')
    check cxx-names "geo::scale = 2.5|geo::unit = (struct box) {w = 1, h = 1}|twice(21) = 42|_ZN3geo4areaEii(3,4) = 12|" \
        "$answers" "answers"
    answers=$(cd "$d" && env "${HOT_ENV[@]}" "$HOT" --sizes shapes.o 2>&1 | grep -oE 'function  geo::area\(.*\)$' | sort | tr '\n' '|')
    check cxx-sizes "function  geo::area(geo::box)|function  geo::area(int, int)|" "$answers" "--sizes' C++ names"
    answers=$(cd "$d" && env "${HOT_ENV[@]}" "$HOT" --refs geo::area --json shapes.o 2>&1 |
        python3 -c 'import json, sys; print(sorted(x["name"] for x in json.load(sys.stdin)["definitions"]))' 2>&1)
    check cxx-refs "['geo::area(geo::box)', 'geo::area(int, int)']" "$answers" "--refs' definitions of an overloaded name"
    answers=$(cd "$d" && for q in 'geo::area(3, 4)' 'geo::area(geo::unit)'; do
        env "${HOT_ENV[@]}" "$HOT" --call "$q" shapes.o -lstdc++ 2>&1; done | tr '\n' '|')
    check cxx-overload-by-arity "geo::area(3, 4) = 12|geo::area(geo::unit) = 1|" "$answers" "the overload that takes that many arguments"
    answers=$(cd "$d" && for q in 'doubled<int>(21)' 'label(41)' 'counter()'; do
        env "${HOT_ENV[@]}" "$HOT" --call "$q" shapes.o 2>&1; done | tr '\n' '|')
    check cxx-template-tag-static "doubled<int>(21) = 42|label(41) = 42|counter() = 1|" "$answers" \
        "a template's instance, an ABI-tagged name in an inline namespace, a function with a static"
    # g++ only: clang leaves std::string's definition to libstdc++'s debug info
    if [ "$CC" = gcc ] && (cd "$d" && g++ -g -c "$RL_SRC/image/containers.cpp" -o containers.o) >>"$d/build.log" 2>&1; then
        answers=$(cd "$d" && for q in greeting primes seven words; do
            env "${HOT_ENV[@]}" "$HOT" --print "$q" containers.o 2>&1 | sed 's/ = ([^)]*) / = /'; done | tr '\n' '|')
        check cxx-std-values 'greeting = "hello, world"|primes = std::vector of length 4, capacity 4 = {2, 3, 5, 7}|seven = {name = "seven", n = 7}|words = std::vector of length 2, capacity 2 = {"a", "bc"}|' \
            "$answers" "std::string and std::vector as values"
        answers=$(cd "$d" && env "${HOT_ENV[@]}" "$HOT" --json --print words containers.o 2>&1 |
            python3 -c 'import json, sys; print(json.load(sys.stdin)["value"])' 2>&1)
        check cxx-std-json "['a', 'bc']" "$answers" "--json's value of a vector of strings"
        answers=$(cd "$d" && for q in 'make_label(3)' 'first_primes(2)'; do
            env "${HOT_ENV[@]}" "$HOT" --call "$q" containers.o 2>&1 | sed 's/ = ([^)]*) / = /'; done | tr '\n' '|')
        check cxx-return-class 'make_label(3) = "label3"|first_primes(2) = std::vector of length 2, capacity 2 = {2, 3}|' \
            "$answers" "a std::string and a std::vector returned by value"
    fi
    answers=$(cd "$d" && env "${HOT_ENV[@]}" "$HOT" --call 'geo::area(1, 2, 3)' shapes.o -lstdc++ 2>&1)
    check cxx-overload "hotld: error: 'geo::area' is ambiguous: shapes.o:_ZN3geo4areaEii, shapes.o:_ZN3geo4areaENS_3boxE (say which: OBJECT:NAME, or the symbol's own name)" \
        "${answers//$d\//}" "the error"
}

# A --watch reload while hotld's control thread runs a called function of
# the object being reloaded: the thread is parked like a program thread,
# the call finishes in the old code, and the next call runs the new one.
watch_during_call_checks() {
    use world1.o world.o
    session_start --session "$SNAME" --watch main.o world.o || return
    ( cd "$S_DIR" && exec env "${HOT_ENV[@]}" "$HOT" --session "$SNAME" --call 'busy(1500)' ) >"$W/busy.out" 2>&1 &
    local caller=$!
    sleep 0.5
    cp "$W/world2.o" "$W/world.o.new" && mv "$W/world.o.new" "$W/world.o"
    wait $caller
    # on a loaded machine the reload may still run when the command has
    # waited a second, which it then says (session/busy.c)
    check call-during-watch-reload "busy(1500) = 1500" "$(grep -v '^hotld: waiting for the session' "$W/busy.out")" \
        "the call's answer"
    local i
    for i in $(seq 100); do
        client "$S_DIR" --session "$SNAME" --call 'add(2, 40)'
        [ "$R_OUT" = "add(2, 40) = 1042" ] && break
        nap 0.05
    done
    check new-code-after-watch "add(2, 40) = 1042" "$R_OUT" "the next call"
    session_stop
}

test_image() {
    build main.o image/main.c -g $MAIN_FLAGS
    build world1.o image/world.c -g -DVER=1
    builds_ok || return
    use world1.o world.o
    session_start --session "$SNAME" main.o world.o || return
    print_checks
    call_checks
    set_checks
    error_checks
    reload_checks
    [ -z "$MAIN_FLAGS" ] && repl_checks
    session_stop
    [ -z "$MAIN_FLAGS" ] && offline_checks && cxx_checks
    [ -z "$MAIN_FLAGS" ] && build world2.o image/world.c -g -DVER=2 && watch_during_call_checks
}

MAIN_FLAGS="" WANT_MAIN_THREAD=0
for_variants test_image gcc clang gcc-O2 gcc-asan
# A program that calls hotld_poll(): calls run in its thread, there.
MAIN_FLAGS=-DPOLL WANT_MAIN_THREAD=1 RL_SCRIPT=image-poll
for_variants test_image gcc clang
