#!/usr/bin/env bash
# How long gdb -batch takes to reach a breakpoint in a 1,000-object program
# (-g -O2) run by hotld, against the same objects linked by gcc: the
# target is at most 1.2x (issue 19). hotld registers one ELF image per
# generation with GDB's JIT interface (gdb/elfimage.c); one per object
# made it ~10x.
# BENCH_GDB_MANY objects (default 1,000; the smoke run in make test takes
# fewer), the breakpoint in the middle one's function.
# Medians of BENCH_GDB_RUNS runs (default 5) of each, measured in one run,
# the two programs' runs in turn: this machine's speed drifts by 10-20%
# over a minute, and runs of one after all of the other took the drift
# for a difference.
set -eu
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench=$root/bench
# The build cache, as bench/lib.bash picks it (BENCH_CACHE).
cache=${BENCH_CACHE:-$bench/.cache}
case $cache in /*) ;; *) cache=$PWD/$cache ;; esac
hotld=${HOTLD:-$root/build/hotld}
runs=${BENCH_GDB_RUNS:-5}
count=${BENCH_GDB_MANY:-1000}
die() { echo "bench/gdb.sh: $*" >&2; exit 1; }
[[ $count =~ ^[1-9][0-9]*$ ]] || die "BENCH_GDB_MANY must be a positive integer, not '$count'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_GDB_RUNS must be a positive integer, not '$runs'"
cache=$cache/gdb-many-$count

if [ ! -f "$cache/stamp" ] || [ "$bench/gen-many.sh" -nt "$cache/stamp" ]; then
    rm -rf "$cache" && mkdir -p "$cache/src" "$cache/obj"
    "$bench/gen-many.sh" "$cache/src" "$count" >/dev/null || die "generating the program failed"
    (cd "$cache/src" && ls ./*.c | xargs -P "$(nproc)" -n 50 sh -c \
        'for f; do gcc -g -O2 -c "$f" -o "../obj/$(basename "$f" .c).o" || exit 255; done' sh) ||
        die "compiling the program failed"
    gcc "$cache"/obj/*.o -o "$cache/linked" || die "linking the reference failed"
    touch "$cache/stamp"
fi
cd "$cache/obj"
objs=(main.o $(ls mod*.o))
target=f_$((count / 2))

# time_ms CMD...: wall time of one run, in ms
time_ms() {
    local s e
    s=$(date +%s%N)
    "$@" >"$cache/out.txt" 2>&1 || true
    e=$(date +%s%N)
    grep -q "^#0 .*$target" "$cache/out.txt" || die "no breakpoint hit in: $*"
    echo $(( (e - s) / 1000000 ))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
gdb_batch=(gdb -nx -batch -ex 'set breakpoint pending on' -ex "break $target" -ex run -ex 'bt 1')

linked_ms=() hot_ms=()
for _ in $(seq "$runs"); do
    linked_ms+=("$(time_ms "${gdb_batch[@]}" --args "$cache/linked")")
    hot_ms+=("$(time_ms "${gdb_batch[@]}" --args "$hotld" "${objs[@]}")")
done
linked=$(printf '%s\n' "${linked_ms[@]}" | median)
hot=$(printf '%s\n' "${hot_ms[@]}" | median)
echo "gdb -batch, break $target, run, bt: $count objects (-g -O2), median of $runs"
printf '   gcc-linked program under gdb        %6d ms\n' "$linked"
printf '   hotld under gdb                     %6d ms\n' "$hot"
awk -v h="$hot" -v l="$linked" 'BEGIN { r = h / l; printf "   hotld / linked                      %6.2f x   target: at most 1.2x  %s\n", r, r <= 1.2 ? "yes" : "no" }'
