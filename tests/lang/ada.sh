#!/usr/bin/env bash
# Ada (issue 21): the objects gnat makes, with the binder's main
# (gnatbind, then b~main.adb compiled), run under hotld as gnatmake links
# them, with no -l given (hotld adds gnat's library from gcc's adalib, as
# gnatlink does; libgnarl too, for a program with a task): elaboration,
# an exception, the arguments, a rendezvous. A changed
# package body reloads in a running program with the package's state
# kept (a variable of its specification, one of its body that its
# elaboration set); the elaboration does not run again. gdb breaks on
# counter.bump and backtraces as for gnatmake's link, the oracle. At -O0
# and -O2, with -g.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"
. "$HOTLD_ROOT/tests/lang/lib.bash"

SRC=$HOTLD_ROOT/tests/lang/src/ada

requires lang/ada/gnat gnatmake

# gnat names an object after its unit: each version is built in a
# directory of its own. gnatmake links the oracle; the binder's main is
# compiled again for hotld (gnatlink removes its own).
build_ada() {
    mkdir -p "$W/v1" "$W/v2" && cp "$SRC"/*.ad? "$W/v1/" && cp "$SRC/counter.ads" "$W/v2/" &&
        sed 's/Step : constant Integer := 1;/Step : constant Integer := 10;/' "$SRC/counter.adb" >"$W/v2/counter.adb" &&
        (cd "$W/v1" && gnatmake -q -g "${CFL[@]}" main.adb -o ../linked && gnatbind -x main.ali &&
         gcc -g "${CFL[@]}" -c b~main.adb) &&
        (cd "$W/v2" && gcc -g "${CFL[@]}" -c counter.adb) &&
        cp "$W/v1/b~main.o" "$W/v1/main.o" "$W" && cp "$W/v1/counter.o" "$W/counter1.o" &&
        cp "$W/v2/counter.o" "$W/counter2.o" && cp "$W/counter1.o" "$W/counter.o"
}

test_ada() {
    if build_ada >"$W/build.log" 2>&1; then ok "$P/build"
    else not_ok "$P/build" "$(head -c 300 "$W/build.log")"; return; fi
    printf 'a\nb\nquit\n' >"$W/input"
    run_both "$P/runs-as-linked" "cd '$W' && ./linked one two" "cd '$W' && '$HOT' b~main.o main.o counter.o -- one two" "$W/input"

    mkdir -p "$W/t" && cp "$SRC/tasks.adb" "$W/t/"
    if (cd "$W/t" && gnatmake -q -g "${CFL[@]}" tasks.adb -o tasks-linked && gnatbind -x tasks.ali &&
        gcc -g "${CFL[@]}" -c b~tasks.adb) >>"$W/build.log" 2>&1; then
        run_both "$P/tasking-runs-as-linked" "cd '$W/t' && ./tasks-linked" "cd '$W/t' && '$HOT' b~tasks.o tasks.o"
    else not_ok "$P/tasking-build" "$(tail -c 300 "$W/build.log")"; fi

    session_start --session "$SNAME" b~main.o main.o counter.o || return
    send a; send b
    wait_for '^count 2 ' "$S_OUT"
    use counter2.o counter.o
    reload
    send c
    if wait_for '^count 3 step 10 total 112$' "$S_OUT" && [ "$R_RC" = 0 ]; then ok "$P/reload-keeps-package-state"
    else not_ok "$P/reload-keeps-package-state" "$(tail -n 2 "$S_OUT" | tr '\n' '|') (expected count 3 step 10 total 112); $(client_said)"; fi
    session_stop

    use counter1.o counter.o
    gdb_breaks counter.bump counter.bump input linked 'b~main.o' main.o counter.o
}

for opt in -O0 -O2; do
    CFL=("$opt") HOT=$HOTLD HOT_ENV=()
    W=$TMP/ada$opt P=lang/ada/gnat$opt SNAME=hotld-test-$$-ada$opt
    mkdir -p "$W"
    test_ada
    session_kill
done
