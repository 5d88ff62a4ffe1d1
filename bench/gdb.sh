#!/usr/bin/env bash
# 1. How long gdb -batch takes to reach a breakpoint in a 1,000-object
# program (-g -O2) run by hotld, against the same objects linked by gcc:
# the target is at most 1.2x (issue 19). hotld registers one ELF image per
# generation with GDB's JIT interface (gdb/elfimage.c); one per object
# made it ~10x.
# 2. What gdb adds to a reload: BENCH_GDB_RELOADS reloads (default 9) of
# the same program made to wait for input (main-loop.c: main.c's work for
# each line), each of an object never reloaded before, with gdb running
# it and without. The first one
# under gdb splits the first generation's image (gdb/chunks.c).
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
reloads=${BENCH_GDB_RELOADS:-9}
die() { echo "bench/gdb.sh: $*" >&2; exit 1; }
[[ $count =~ ^[1-9][0-9]*$ ]] || die "BENCH_GDB_MANY must be a positive integer, not '$count'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_GDB_RUNS must be a positive integer, not '$runs'"
[[ $reloads =~ ^[1-9][0-9]*$ ]] || die "BENCH_GDB_RELOADS must be a positive integer, not '$reloads'"
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
if [ ! -f "$cache/main-loop.o" ] || [ "${BASH_SOURCE[0]}" -nt "$cache/main-loop.o" ]; then
    awk '/^int main\(void\)$/ { print; getline; print "{\n    char line[64];\n    setvbuf(stdout, 0, _IOLBF, 0);"
                                  print "    puts(\"ready\");\n    while (fgets(line, sizeof line, stdin)) {"; next }
         /^    return 0;$/ { print "    }" } { print }' "$cache/src/main.c" >"$cache/main-loop.c"
    gcc -g -O2 -c "$cache/main-loop.c" -o "$cache/main-loop.o" || die "compiling main-loop.c failed"
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

# ------------------------------------------------ 2. reloads under gdb
run=$cache/run
robjs=(main-loop.o $(ls mod*.o))
wait_for() { # PATTERN: in the program's output, up to 60 s
    for _ in $(seq 1200); do grep -q "$1" "$run/out.txt" 2>/dev/null && return 0; sleep 0.05; done
    die "no line matching '$1' from the program: $(tail -n 3 "$run/out.txt" | tr '\n' '|')"
}
# reload_times UNDER_GDB: the ms of each of $reloads reloads, each of an
# object of the first generation not reloaded before (a note section
# added), into TIMES; then the program's answer must be the linked one's.
reload_times() {
    local under=$1 session=bench-gdb-$$-$1 i k f s e fd pid
    rm -rf "$run" && cp -r "$cache/obj" "$run" && cp "$cache/main-loop.o" "$run/" && cd "$run" || die "no $run"
    mkfifo in && exec {fd}<>in
    local cmd=("$hotld" --session "$session" "${robjs[@]}")
    [ "$under" = 0 ] || cmd=(gdb -nx -batch -ex 'handle SIG40 nostop noprint pass' -ex run --args "${cmd[@]}")
    ( eval "exec $fd>&-"; exec "${cmd[@]}" ) <in >out.txt 2>&1 &
    pid=$!
    wait_for '^ready'
    "$hotld" --session "$session" --status >/dev/null 2>&1 || die "no session $session"
    TIMES=()
    for i in $(seq "$reloads"); do
        k=$(( (i * 397 + 1) % count )); f=$(printf 'mod%04d.o' "$k")
        echo "$i" >note && objcopy --add-section .note.bench=note "$f" "$f.new" && mv "$f.new" "$f"
        s=${EPOCHREALTIME/./} # bash's clock: no process of its own
        "$hotld" --session "$session" "${robjs[@]}" >reload.txt 2>&1 || die "reload $i failed: $(head -c 300 reload.txt)"
        e=${EPOCHREALTIME/./}
        TIMES+=($((e - s)))
    done
    echo >&$fd
    wait_for ' objects, '
    exec {fd}>&-
    wait "$pid" 2>/dev/null || true
    [ "$(grep ' objects, ' out.txt)" = "$("$cache/linked")" ] || die "after the reloads the program answers $(grep ' objects, ' out.txt), not as linked"
    cd "$cache/obj"
}
ms() { awk '{ printf "%.1f", $1 / 1000 }'; }
reload_times 0
plain=$(printf '%s\n' "${TIMES[@]:1}" | median | ms)
reload_times 1
under=$(printf '%s\n' "${TIMES[@]:1}" | median | ms) first=$(echo "${TIMES[0]}" | ms)
echo "reload of one object of the first generation, a new one each time: median of $((reloads - 1)) after the first"
printf '   hotld reload, no debugger           %6s ms\n' "$plain"
printf '   hotld reload, gdb running it        %6s ms\n' "$under"
awk -v u="$under" -v p="$plain" 'BEGIN { printf "   under gdb / without                 %6.2f x\n", u / p }'
printf '   the first under gdb (splits)        %6s ms\n' "$first"
