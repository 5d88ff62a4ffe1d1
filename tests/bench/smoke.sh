#!/usr/bin/env bash
# A smoke run of every benchmark (issue 19), so that a broken one fails
# make test: each runs once, at the smallest sizes its knobs accept that
# still take every path (one timed run or reload, two edits so that both
# directions are saved, 20 reloads for the memory readings, the minimum),
# and must exit 0 and print every row of its table. The figures are never
# checked: make bench measures.
#
# Builds are cached in $HOTLD_CACHE/bench-smoke (BENCH_CACHE), kept between
# runs and apart from make bench's bench/.cache, whose sizes differ;
# sources are fetched to $HOTLD_CACHE/src, shared with the other tests.
# Cold (Lua fetched and built, 20 objects compiled for bench/gdb.sh)
# about 35 s here, warm about 25 s. Left out: bench/load.sh's sqlite
# workload, whose amalgamation takes about 35 s to build on its own, its
# ninja workload (29 C++ objects, about a minute), and bench/edit.sh's
# Lua workload. Its big workload runs with 2 types instead of 72.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

export BENCH_CACHE=$HOTLD_CACHE/bench-smoke
# The benchmarks build into their cache and run in it, unlocked: one smoke
# run at a time in a cache that clones share.
mkdir -p "$BENCH_CACHE" && exec {lock}>"$BENCH_CACHE.lock" && flock "$lock" ||
    { not_ok bench/lock "cannot lock $BENCH_CACHE.lock"; exit 1; }
# seconds for one benchmark: a guard against a hang, not a measure (cold,
# beside a parallel build, bench/gdb.sh's builds took more than 300 s)
LIMIT=900

# smoke NAME PATTERNS ENV... -- SCRIPT: one check. SCRIPT runs with ENV and
# must exit 0 with a line matching each of PATTERNS (EREs, one per line).
smoke() {
    local name=$1 want=$2; shift 2
    local env=() log=$TMP/$name.log re rc=0
    while [ "$1" != -- ]; do env+=("$1"); shift; done
    shift
    timeout -k 10 "$LIMIT" env "${env[@]}" "$HOTLD_ROOT/$1" </dev/null >"$log" 2>&1 || rc=$?
    if [ "$rc" -eq 124 ]; then
        not_ok "bench/$name" "timed out after $LIMIT s"
    elif [ "$rc" -ne 0 ]; then
        not_ok "bench/$name" "$1 exited $rc"
    else
        while IFS= read -r re; do
            grep -qE "$re" "$log" && continue
            not_ok "bench/$name" "no line matching '$re' in its output"
            rc=1
            break
        done <<<"$want"
        [ "$rc" -eq 0 ] && { ok "bench/$name"; return; }
    fi
    echo "--- $1: last lines of its output"
    tail -n 15 "$log" | cut -c1-200 | sed 's/^/  | /'
}

smoke load '^lua +[0-9]+ 
^big +[0-9]+ 
^many +[0-9]+ 
ratios above 1' \
    BENCH_WORKLOADS="lua big many" BENCH_MANY=20 BENCH_BIG=2 BENCH_RUNS=1 -- bench/load.sh
# After load.sh: with the same BENCH_MANY, reload.sh takes its objects from
# load.sh's build on a cold cache, as make bench does.
smoke reload '^1\. reload latency
mold relink\+restart / hotld reload
hotld reload / that exec +[0-9]+\.[0-9]+ x
^2\. scaling
^3\. runtime overhead
hotld 10 reloads / gcc-linked
^4\. memory
growth per reload
growth <= sections. size +(yes|no) \| (yes|no)
^5\. parked threads
deep threads / none' \
    BENCH_RELOADS=1 BENCH_CPU_ROUNDS=1 BENCH_CPU_REPS=1 BENCH_MEM_RELOADS=20 BENCH_MANY=20 BENCH_WAIT=60 \
    -- bench/reload.sh
smoke gdb 'hotld / linked
under gdb / without +[0-9]+\.[0-9]+ x
the first under gdb \(splits\) +[0-9]' BENCH_GDB_RUNS=1 BENCH_GDB_MANY=20 BENCH_GDB_RELOADS=2 -- bench/gdb.sh
smoke tls '^-O2 -fPIC +[0-9]
^-O2 -fPIC -mcmodel=large +[0-9]' BENCH_TLS_RUNS=1 -- bench/tls.sh
# Every column of the small workload's row must be a number: the chain's
# too (scripts/deps.sh installs entr), which once printed 'inf' and passed.
# edit.sh's Lua workload rebuilds Lua and compiles lvm.c four times per
# edit (direct, chain, compile, restart): make bench runs it
smoke edit '^small +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ \| +[-+][0-9]+ +[0-9.]+ +[0-9.]+$' BENCH_EDITS=2 BENCH_EDIT_WORKLOADS=small -- bench/edit.sh
