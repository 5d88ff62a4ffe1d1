#!/usr/bin/env bash
# Go (issue 21): objects gccgo makes run under hotld as gccgo links them,
# with no -l given (hotld adds libgobegin, whose main starts libgo's
# runtime, libgo and libm, as gccgo's driver does; main finds the
# environment after argv, as libgo reads it): a goroutine, a channel, the
# arguments. A reload of a Go package is refused, saying why (it
# registered its types and roots with libgo at the start), and the
# program runs on as it was; the C object of the same program reloads,
# and the program's Go state is kept. gdb breaks on counter.Bump and
# backtraces as for gccgo's link, the oracle. At -O0 and -O2, with -g.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"
. "$HOTLD_ROOT/tests/lang/lib.bash"

SRC=$HOTLD_ROOT/tests/lang/src/go

requires lang/go/gccgo gccgo

# The package's objects go where main's import finds them (counter.o);
# its second version, which a reload would bring, apart.
build_go() {
    mkdir -p "$W/v2" && sed 's/Total += 1$/Total += 10/' "$SRC/counter/counter.go" >"$W/v2/counter.go" &&
        gccgo -g "${CFL[@]}" -fgo-pkgpath=counter -c "$SRC/counter/counter.go" -o "$W/counter1.o" &&
        gccgo -g "${CFL[@]}" -fgo-pkgpath=counter -c "$W/v2/counter.go" -o "$W/counter2.o" &&
        cp "$W/counter1.o" "$W/counter.o" &&
        gccgo -g "${CFL[@]}" -I"$W" -c "$SRC/main.go" -o "$W/main.o" &&
        gcc -g "${CFL[@]}" -DSTEP=1 -c "$SRC/step.c" -o "$W/step1.o" &&
        gcc -g "${CFL[@]}" -DSTEP=100 -c "$SRC/step.c" -o "$W/step2.o" && cp "$W/step1.o" "$W/step.o" &&
        (cd "$W" && gccgo main.o counter.o step.o -o linked)
}

test_go() {
    if build_go >"$W/build.log" 2>&1; then ok "$P/build"
    else not_ok "$P/build" "$(head -c 300 "$W/build.log")"; return; fi
    printf 'a\nb\nquit\n' >"$W/input"
    run_both "$P/runs-as-linked" "cd '$W' && ./linked one two" "cd '$W' && '$HOT' main.o counter.o step.o -- one two" "$W/input"

    session_start --session "$SNAME" main.o counter.o step.o || return
    send a; send b
    wait_for '^count 2 ' "$S_OUT"
    use counter2.o counter.o
    reload
    if [ "$R_RC" != 0 ] && printf '%s' "$R_ERR" | grep -q "counter.o: Go code cannot be reloaded: each package registers"; then
        ok "$P/reload-of-go-refused"
    else not_ok "$P/reload-of-go-refused" "$(client_said)"; fi
    answered refused-reload-leaves-program c "count 3 total 103 c 3 seen a,b,c"
    use counter1.o counter.o
    use step2.o step.o
    reload
    answered reload-of-c-keeps-go-state d "count 4 total 104 c 103 seen a,b,c,d"
    session_stop

    use step1.o step.o
    gdb_breaks counter.Bump counter.Bump input linked main.o counter.o step.o
}

for opt in -O0 -O2; do
    CFL=("$opt") HOT=$HOTLD HOT_ENV=()
    W=$TMP/go$opt P=lang/go/gccgo$opt SNAME=hotld-test-$$-go$opt
    mkdir -p "$W"
    test_go
    session_kill
done
