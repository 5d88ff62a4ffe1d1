#!/usr/bin/env bash
# A smoke run of every benchmark (issue 19), so that a broken one fails
# the suite: each runs once, at small sizes, and must exit 0 and print its
# table. The figures are not checked (make bench measures). Builds are
# cached in bench/.cache as make bench caches them.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

W=$TMP/bench-smoke
mkdir -p "$W"

# smoke NAME LINE-REGEX ENV... -- SCRIPT: one check
smoke() {
    local name=$1 want=$2; shift 2
    local env=()
    while [ "$1" != -- ]; do env+=("$1"); shift; done
    shift
    if ! timeout 600 env HOTLD="$HOTLD" "${env[@]}" "$HOTLD_ROOT/$1" >"$W/$name.out" 2>"$W/$name.err"; then
        not_ok "bench/$name" "exit $?: $(tail -n 4 "$W/$name.err" | tr '\n' '|')"
    elif ! grep -qE "$want" "$W/$name.out"; then
        not_ok "bench/$name" "no line matching '$want': $(tail -n 4 "$W/$name.out" | tr '\n' '|')"
    else
        ok "bench/$name"
    fi
}

smoke load '^many +[0-9]+ ' BENCH_WORKLOADS="lua many" BENCH_MANY=30 BENCH_RUNS=1 -- bench/load.sh
smoke reload 'growth per reload' BENCH_RELOADS=2 BENCH_CPU_ROUNDS=1 BENCH_CPU_REPS=1 BENCH_MEM_RELOADS=20 \
    BENCH_MANY=30 -- bench/reload.sh
smoke gdb 'hotld / linked' BENCH_GDB_RUNS=1 -- bench/gdb.sh
smoke tls 'mcmodel=large' BENCH_TLS_RUNS=1 -- bench/tls.sh
smoke edit '^small +[0-9]+ ' BENCH_EDITS=1 BENCH_EDIT_WORKLOADS=small -- bench/edit.sh
