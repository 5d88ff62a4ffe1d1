#!/usr/bin/env bash
# D (issue 21): objects gdc makes run under hotld as gdc links them, with
# no -l given (hotld adds libgphobos, libm and libz, as gdc's driver does,
# and starts again with libgphobos preloaded, since gdc's code reaches
# druntime's thread-local variables by initial exec); druntime finds the
# program's module table, segments and thread-local block through
# dl_iterate_phdr. A changed module reloads in a running program with its
# thread-local and __gshared state kept; a reload that adds a __gshared
# variable holding the only reference to garbage-collected memory keeps
# that memory through a collection (its segments are given to the
# collector); a reload that adds a thread-local variable, which druntime
# would not scan, is refused, naming it, and the program runs on as it
# was. --print and --refs take and show D's names (counter.total, or
# total), and --print shows an array of strings as its elements. gdb
# breaks on counter.bump and backtraces as for gdc's link, the oracle. At
# -O0 and -O2, with -g.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"
. "$HOTLD_ROOT/tests/lang/lib.bash"

SRC=$HOTLD_ROOT/tests/lang/src/d

requires lang/d/gdc gdc

# dc OUT SRC [FLAG...]: compile with gdc into $W. ccache does not know
# gdc, whose 10 compiles took 23 s of the suite's CPU: the objects are
# kept in HOTLD_CACHE/gdc under the hash of what makes them (gdc's
# version, the flags, the sources and their path, which the DWARF names).
dc() {
    local out=$1 src=$2 key kept; shift 2
    key=$({ gdc --version | head -n 1; printf '%s\n' "$SRC" "$src" "${CFL[@]}" "$@"; cat "$SRC"/*.d; } | sha256sum)
    kept=$HOTLD_CACHE/gdc/${key%% *}.o
    if [ -f "$kept" ]; then
        cp "$kept" "$W/$out"
        return
    fi
    (cd "$W" && gdc -g "${CFL[@]}" -I"$SRC" "$@" -c "$SRC/$src" -o "$out") >>"$W/build.log" 2>&1 &&
        mkdir -p "${kept%/*}" && cp "$W/$out" "$kept.$$" && mv "$kept.$$" "$kept"
}

test_d() {
    if dc counter1.o counter.d && dc counter2.o counter.d -fversion=V2 && dc counter3.o counter.d -fversion=V3 &&
        dc counter4.o counter.d -fversion=V4 && dc app.o app.d &&
        (cd "$W" && gdc app.o counter1.o -o linked) >>"$W/build.log" 2>&1; then
        ok "$P/build"
    else
        not_ok "$P/build" "$(head -c 300 "$W/build.log")"; return
    fi
    use counter1.o counter.o
    printf 'a\nb\nquit\n' >"$W/input"
    run_both "$P/runs-as-linked" "cd '$W' && ./linked one two" "cd '$W' && '$HOT' app.o counter.o -- one two" "$W/input"

    session_start --session "$SNAME" app.o counter.o || return
    send a; send b
    wait_for '^count 2 ' "$S_OUT"
    use counter2.o counter.o
    reload
    answered reload-keeps-module-state c "count 3 step 10 total 112 seen a,b,c"
    # names as D spells them: qualified by the module, or not
    client "$W" --session "$SNAME" --print counter.total
    local qualified=$R_OUT
    client "$W" --session "$SNAME" --print total
    if [ "$qualified" = "counter.total = 112" ] && [ "$R_OUT" = "total = 112" ]; then ok "$P/print-d-names"
    else not_ok "$P/print-d-names" "[$qualified] [$R_OUT]; $(client_said)"; fi
    client "$W" --session "$SNAME" --print seen
    if [ "$R_OUT" = 'seen = (struct string[]) {"a", "b", "c"}' ]; then ok "$P/print-d-array"
    else not_ok "$P/print-d-array" "$(client_said)"; fi
    client "$W" --session "$SNAME" --refs counter.bump
    if printf '%s\n' "$R_OUT" | head -n 1 | grep -q '^counter\.bump(immutable(char)\[\])  counter\.o' &&
        printf '%s' "$R_OUT" | grep -q 'call  _Dmain  app\.o'; then ok "$P/refs-d-names"
    else not_ok "$P/refs-d-names" "$(client_said)"; fi
    use counter3.o counter.o
    reload
    send d
    answered reload-adds-a-root e "count 5 step 10 total 132 seen a,b,c,d,e kept 4"
    use counter4.o counter.o
    reload
    if [ "$R_RC" != 0 ] && printf '%s' "$R_ERR" | grep -q "adds the thread-local variable 'counter.keptHere'"; then
        ok "$P/reload-adding-thread-local-refused"
    else not_ok "$P/reload-adding-thread-local-refused" "$(client_said)"; fi
    answered refused-reload-leaves-program f "count 6 step 10 total 142 seen a,b,c,d,e,f kept 4"
    session_stop

    use counter1.o counter.o
    gdb_breaks counter.bump '.*counter.*bump' input linked app.o counter.o
}

for opt in -O0 -O2; do
    CFL=("$opt") HOT=$HOTLD HOT_ENV=()
    W=$TMP/d$opt P=lang/d/gdc$opt SNAME=hotld-test-$$-d$opt
    mkdir -p "$W"
    test_d
    session_kill
done
