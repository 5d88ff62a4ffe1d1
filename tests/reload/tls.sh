#!/usr/bin/env bash
# Thread-local variables across a reload: worker threads tick the
# thread-local counters of mod.o (a global, a file static and a function
# static, each thread its own copies) while mod.o is reloaded with a
# version that adds a thread-local variable. Every thread's copies keep
# their values; the added variable starts at its initializer in every
# thread that existed, main's included; a thread created after the reload
# gets fresh copies of all of them. An int widened to long long is
# migrated in every thread (the objects are built with -g). A third version needs more static TLS
# than the running process has: its reload fails with the setting to use,
# and the program goes on as it was. mod.o is built twice per variant: as
# PIE (local and initial exec) and with -fPIC (general and local dynamic,
# which hotld relaxes). Also run with the ASan+UBSan build (gcc-asan).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# tls_of NAME [TAG]: a thread's line: version ticks base calls added wide.
tls_of() {
    local f out=""
    for f in 1 2 3 4 5 6; do out="$out $(qv "$1" "${2:-$QT}" "$f")"; done
    echo "${out# }"
}

# pause: stop the workers between ticks, so their counters hold still.
pause() {
    local before; before=$(grep -c '^paused$' "$S_OUT")
    send pause
    retry 5 eval '[ "$(grep -c "^paused\$" "$S_OUT")" -gt "$before" ]'
}

# consistent NAME WORKER VERSION ADDED_BASE: a worker's copies agree with
# one another (base = 1000 + ticks, calls = ticks) and with the version;
# ADDED_BASE: the ticks before the reload (added = 42 + ticks since), or
# "-" before version 2.
consistent() {
    local name=$1 w=$2 v=$3 from=$4 want
    set -- $(tls_of "$w")
    if [ "$from" = - ]; then want="$v $2 $((1000 + $2)) $2 -1 $((5 + $2))"
    else want="$v $2 $((1000 + $2)) $2 $((42 + $2 - from)) $((5 + $2))"; fi
    check "$name" "$want" "$*" "$w's thread-locals (version ticks base calls added wide)"
}

test_tls_model() {
    local model=$1; shift
    build "mod1-$model.o" tls/mod.c -g -DVER=1 "$@"
    build "mod2-$model.o" tls/mod.c -g -DVER=2 "$@"
    build "mod3-$model.o" tls/mod.c -g -DVER=3 "$@"
    builds_ok || return
    use "mod1-$model.o" mod.o
    session_start --session "$SNAME" main.o mod.o || return
    query
    consistent v1-worker0 worker0 1 -
    consistent v1-worker1 worker1 1 -
    pause; query
    local t0 t1
    t0=$(qv worker0 "$QT" 2) t1=$(qv worker1 "$QT" 2)
    use "mod2-$model.o" mod.o
    reload
    expect_reloaded reload mod.o
    if parse_report "$R_OUT"; then
        check report-counts "3 kept, 1 migrated, 0 reset, 1 new" \
            "$RP_VKEPT kept, $RP_VMIGRATED migrated, $RP_VRESET reset, $RP_VNEW new" "variable counts"
    fi
    query
    check main-thread-copies "2 0 1000 0 42 5" "$(tls_of main)" "main's thread-locals"
    send resume
    retry 5 eval 'query && [ "$(qv worker0) $(qv worker1)" = "2 2" ]'
    pause; query
    consistent kept-worker0 worker0 2 "$t0"
    consistent kept-worker1 worker1 2 "$t1"
    if [ "$(qv worker0 "$QT" 2)" -gt "$t0" ] 2>/dev/null; then ok "$P/worker0-went-on"; else
        not_ok "$P/worker0-went-on" "worker0's ticks $(qv worker0 "$QT" 2), not past $t0"
    fi
    send resume; send spawn
    retry 5 eval 'query && [ -n "$(qv worker2)" ]'
    pause; query
    consistent new-thread worker2 2 0
    use "mod3-$model.o" mod.o
    reload
    expect_failed too-much-tls "do not fit in glibc's static TLS.*GLIBC_TUNABLES=glibc.rtld.optional_static_tls="
    send resume
    query
    check still-version-2 "2 2 2" "$(qv main) $(qv worker0) $(qv worker1)" "versions after the failed reload"
    session_stop
}

test_tls() {
    local top=$P
    build main.o tls/main.c
    P=$top/pie; test_tls_model pie
    P=$top/pic; test_tls_model pic -fPIC
    P=$top
}

for_variants test_tls gcc clang-O2 gcc-asan
