#!/usr/bin/env bash
# Fortran (issue 21): objects gfortran makes run under hotld as gfortran
# links them, with no -l given (hotld adds libgfortran, libm and
# libquadmath, as gfortran's driver does); a changed module reloads in a
# running program with its module variable and its COMMON block kept;
# gdb breaks on a module procedure by its Fortran name and backtraces
# through the main program. The program linked by gfortran is the oracle.
# At -O0 and -O2, with -g.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"
. "$HOTLD_ROOT/tests/lang/lib.bash"

SRC=$HOTLD_ROOT/tests/lang/src/fortran

requires lang/fortran/gfortran gfortran

# fc OUT SRC [FLAG...]: compile with gfortran into $W
fc() {
    local out=$1 src=$2; shift 2
    (cd "$W" && gfortran -g "${CFL[@]}" "$@" -c "$SRC/$src" -o "$out") >>"$W/build.log" 2>&1
}

test_fortran() {
    # counter.mod goes beside the objects; main.f90 uses it
    if fc counter1.o counter.F90 -cpp -DVER=1 && fc main.o main.f90 && fc counter2.o counter.F90 -cpp -DVER=2 &&
        (cd "$W" && gfortran main.o counter1.o -o linked) >>"$W/build.log" 2>&1; then
        ok "$P/build"
    else
        not_ok "$P/build" "$(head -c 300 "$W/build.log")"; return
    fi
    use counter1.o counter.o
    printf 'a\nb\nc\n' >"$W/three"
    run_both "$P/runs-as-linked" "cd '$W' && ./linked" "cd '$W' && '$HOT' main.o counter.o" "$W/three"

    session_start --session "$SNAME" main.o counter.o || return
    send a; send b
    wait_for '^count 2 ' "$S_OUT"
    use counter2.o counter.o
    reload
    send c
    if wait_for '^count 3 step 2 total 40$' "$S_OUT" && [ "$R_RC" = 0 ]; then ok "$P/reload-keeps-module-state"
    else not_ok "$P/reload-keeps-module-state" "$(tail -n 2 "$S_OUT" | tr '\n' '|') (expected count 3 step 2 total 40); $(client_said)"; fi
    session_stop

    use counter1.o counter.o
    printf 'a\n' >"$W/one"
    gdb_breaks counter::bump 'counter::bump \(\)' one linked main.o counter.o
}

for opt in -O0 -O2; do
    V=gfortran$opt CFL=("$opt") HOT=$HOTLD HOT_ENV=()
    W=$TMP/fortran$opt P=lang/fortran/gfortran$opt SNAME=hotld-test-$$-fortran$opt
    mkdir -p "$W"
    test_fortran
    session_kill
done
