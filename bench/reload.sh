#!/usr/bin/env bash
# Reload benchmark: what a hot reload costs, against relinking with mold and
# restarting, on long-running programs under "hotld --session NAME":
#   1. latency   one changed object of the Lua 5.4 interpreter (lvm.o, a
#                new build each time; then two builds alternated, which a
#                reload brings back instead of loading): the
#                wall time of the second "hotld --session NAME OBJS" from its
#                start until it exits with the reload applied, against
#                "gcc -fuse-ld=mold OBJS -o x && ./x" until the program is
#                ready (and against a fresh hotld start of the same program)
#   2. scaling   the same latency for one changed object of a generated
#                program (bench/gen-many.sh) of 10 and of 1,000 objects
#   3. overhead  CPU time of a Lua benchmark script (os.clock()) under hotld
#                after 0 and after 10 reloads of lvm.o, against the
#                gcc-linked interpreter; interleaved rounds, medians
#   4. memory    VmRSS of a session after 0 and after 100 reloads of lvm.o
#                (new builds, and two builds alternated),
#                the growth per reload against the object's size, and the
#                reload latency at the start and the end of those reloads
#   5. threads   the latency of reloading a 2,000-function object
#                (bench/gen-deep.sh) while 32 threads sleep 2,000 frames
#                deep, against the same reload with no other thread: every
#                parked thread's stack is looked at word by word
# Every session's behaviour is checked against the gcc-linked program after
# its reloads, and every reload must be reported by the session's --status
# count; any build, reload or check that fails stops the script with exit
# status 1. Results are medians and ratios measured in this run, never
# assertions (targets are printed next to them for reading, not checked).
#
# Usage: bench/reload.sh          (make bench runs it after bench/load.sh)
# Environment:
#   BENCH_RELOADS=21         timed reloads per latency measurement (plus 1 warm-up)
#   BENCH_CPU_ROUNDS=5       rounds of the CPU benchmark per variant
#   BENCH_CPU_REPS=5         repetitions of the work in one CPU benchmark (0.7 s here)
#   BENCH_MEM_RELOADS=100    reloads before the second RSS reading
#   BENCH_MANY=1000          object count of the large generated program
#   BENCH_DEEP_THREADS=32    threads of the parked-threads program (5.)
#   BENCH_DEEP_DEPTH=2000    frames deep each of them sleeps
#   BENCH_DEEP_FUNCS=2000    functions of the object it reloads
#   BENCH_CFLAGS="-O2"       flags for every workload object
#   HOTLD=build/hotld        the loader to measure
#   BENCH_CACHE=bench/.cache where builds are cached ("bench/.cache" below)
#   HOTLD_CACHE=$BENCH_CACHE where Debian sources are fetched (src/PKG)
#   BENCH_WAIT=120           longest wait (s) for one answer of a program or one reload
# Builds are cached in bench/.cache/ (shared with bench/load.sh: the Lua
# objects and the generated 1,000 objects are reused when that script
# built them with the same inputs); sessions and their files live in
# bench/.cache/reload-run/ and are stopped at exit, whatever happens.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
reloads=${BENCH_RELOADS:-21}
cpu_rounds=${BENCH_CPU_ROUNDS:-5}
cpu_reps=${BENCH_CPU_REPS:-5}
mem_reloads=${BENCH_MEM_RELOADS:-100}
many_count=${BENCH_MANY:-1000}
deep_threads=${BENCH_DEEP_THREADS:-32}
deep_depth=${BENCH_DEEP_DEPTH:-2000}
deep_funcs=${BENCH_DEEP_FUNCS:-2000}
small_count=10
wait_s=${BENCH_WAIT:-120}     # longest wait for one answer of a session

positive BENCH_RELOADS "$reloads"
positive BENCH_CPU_ROUNDS "$cpu_rounds"
positive BENCH_CPU_REPS "$cpu_reps"
positive BENCH_MEM_RELOADS "$mem_reloads"
positive BENCH_MANY "$many_count"
positive BENCH_DEEP_THREADS "$deep_threads"
positive BENCH_DEEP_DEPTH "$deep_depth"
positive BENCH_DEEP_FUNCS "$deep_funcs"
[ "$mem_reloads" -ge 20 ] || die "BENCH_MEM_RELOADS must be at least 20"
[ "$many_count" -gt "$small_count" ] || die "BENCH_MANY must be more than $small_count"
[ -x "$hotld" ] || die "$hotld not found (make build/hotld)"

"$root/scripts/deps.sh" || die "scripts/deps.sh failed to install the tools"
for t in gcc mold awk sha256sum mkfifo timeout; do
    command -v "$t" >/dev/null || die "$t not found (scripts/deps.sh should install it)"
done
mkdir -p "$cache/logs" || die "cannot create $cache"
start=$(date +%s)

# ---------------------------------------------------------------- helpers
# (step, compile_all, stamp_of, cached and fetch are bench/load.sh's, so
# that both scripts find each other's cached builds.)


median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
    if (a ~ /^-?[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "-" }'; }
fmt_kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

# --------------------------------------------------------------- the timer

timer=$cache/timer
if [ ! -x "$timer" ] || [ "$bench/timer.c" -nt "$timer" ]; then
    step timer gcc -O2 -Wall -Wextra -Werror -o "$timer" "$bench/timer.c"
fi

# ---------------------------------------------------------------- builds



# A generated program of N objects (bench/gen-many.sh) whose main runs every
# module, prints its checksum and "ready", then runs them all again for
# each line read from stdin until end of input. Build B of mod0000.o has a
# 72-byte buffer in f_0 instead of 64 (the strings are shorter: same output).
build_many() {
    local n=$1 dir=$cache/reload-many$1 st
    st=$(extra="count $n; reload main 1; B buf 72" stamp_of "$bench/gen-many.sh")
    if ! cached "reload-many$n" "$st"; then
        note "generating and building a long-running program of $n objects (gcc $cflags)"
        rm -rf "$dir"
        step "reload-many$n-generate" "$bench/gen-many.sh" "$dir/src" "$n"
        # load.sh's cache holds the same modules when its count matched.
        if [ "$n" -eq "$many_count" ] &&
           cached many "$(extra="count $n" stamp_of "$bench/gen-many.sh")" &&
           [ -f "$cache/many/obj/mod0000.o" ]; then
            mkdir -p "$dir/obj"
            cp "$cache"/many/obj/mod*.o "$dir/obj/"
        else
            step "reload-many$n-compile" compile_all "$dir/obj" "${cflag_words[@]}" -- "$dir"/src/mod*.c
        fi
        sed -i 's/^int main(void)$/static int run_all(void)/' "$dir/src/main.c"
        grep -q '^static int run_all(void)$' "$dir/src/main.c" || die "unexpected main.c from bench/gen-many.sh"
        cat >>"$dir/src/main.c" <<'EOF'

/* added by bench/reload.sh: stay up, run again for each line of input */
int main(void)
{
    char line[256];
    run_all();
    puts("ready");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin)) {
        run_all();
        fflush(stdout);
    }
    return 0;
}
EOF
        step "reload-many$n-main" gcc "${cflag_words[@]}" -c "$dir/src/main.c" -o "$dir/obj/main.o"
        mkdir -p "$dir/B"
        sed 's/char buf\[64\];/char buf[72];/' "$dir/src/mod0000.c" >"$dir/B/mod0000.c"
        grep -q 'char buf\[72\];' "$dir/B/mod0000.c" || die "cannot patch $dir/src/mod0000.c"
        step "reload-many$n-B" gcc "${cflag_words[@]}" -c "$dir/B/mod0000.c" -o "$dir/B/mod0000.o"
        cp "$dir/obj/mod0000.o" "$dir/mod0000-A.o"
        cp "$dir/B/mod0000.o" "$dir/mod0000-B.o"
        ! cmp -s "$dir/mod0000-A.o" "$dir/mod0000-B.o" || die "builds A and B of mod0000.o are identical"
        echo "$st" >"$cache/reload-many$n/stamp"
    fi
}

# Builds A and B of lvm.o, which the latency runs alternate. B:
# MAXTAGLOOP (the longest __index/__newindex chain before "possibly a
# loop") 2000 -> 2001, so luaV_finishget/finishset change and behaviour
# does not. A is the unmodified lvm.o.
build_lvm_versions() {
    local src st
    src=$(fetch lua5.4)
    st=$(extra="reload lvm B: MAXTAGLOOP 2001" stamp_of "$src/src/lvm.c" "$cache/lua/obj/lvm.o")
    cached reload-lua "$st" && return 0
    rm -rf "$cache/reload-lua"
    mkdir -p "$cache/reload-lua/src"
    sed 's/^#define MAXTAGLOOP\t2000$/#define MAXTAGLOOP\t2001/' "$src/src/lvm.c" >"$cache/reload-lua/src/lvm.c"
    grep -q '^#define MAXTAGLOOP.2001$' "$cache/reload-lua/src/lvm.c" ||
        die "cannot patch MAXTAGLOOP in $src/src/lvm.c (unexpected source)"
    step reload-lua-B gcc "${cflag_words[@]}" "${lua_defs[@]}" -I"$cache/lua/include" -I"$src/src" \
        -c "$cache/reload-lua/src/lvm.c" -o "$cache/reload-lua/lvm-B.o"
    cp "$cache/lua/obj/lvm.o" "$cache/reload-lua/lvm-A.o"
    ! cmp -s "$cache/reload-lua/lvm-A.o" "$cache/reload-lua/lvm-B.o" ||
        die "builds A and B of lvm.o are identical: the patch changed nothing"
    echo "$st" >"$cache/reload-lua/stamp"
}

# The parked-threads program: main.o (at -O0: every frame a real one) and
# builds A and B of its functions' object.
build_deep() {
    local dir=$cache/reload-deep st
    st=$(extra="funcs $deep_funcs" stamp_of "$bench/gen-deep.sh")
    cached reload-deep "$st" && return 0
    note "generating and building the parked-threads program ($deep_funcs functions)"
    rm -rf "$dir"
    step reload-deep-generate "$bench/gen-deep.sh" "$dir" "$deep_funcs"
    step reload-deep-main gcc -O0 -c "$dir/main.c" -o "$dir/main.o"
    for v in A B; do
        step "reload-deep-$v" gcc "${cflag_words[@]}" -c "$dir/funcs-$v.c" -o "$dir/funcs-$v.o"
    done
    echo "$st" >"$dir/stamp"
}

build_lua_objects
build_lvm_versions
build_many "$small_count"
build_many "$many_count"
build_deep

# The objects the sessions load are private copies (a reload replaces one
# of them; the caches stay as built). Paths must not be symlinks: hotld
# names objects by their real path.
run=$cache/reload-run
rm -rf "$run"
mkdir -p "$run/lua" "$run/many$small_count" "$run/many$many_count" "$run/deep"
cp "$cache"/lua/obj/*.o "$run/lua/"
lua_objs=("$run"/lua/*.o)
lua_script=$bench/workloads/reload-serve.lua
for n in "$small_count" "$many_count"; do
    cp "$cache/reload-many$n"/obj/*.o "$run/many$n/"
done
step reload-lua-floor gcc -o "$run/lua-floor" "${lua_objs[@]}" -lm
# many_objs N: the objects of the N-object program, in objs (main.o last,
# as bench/load.sh orders them).
many_objs() { objs=("$run/many$1"/mod*.o "$run/many$1/main.o"); }
for n in "$small_count" "$many_count"; do
    many_objs "$n"
    step "reload-many$n-floor" gcc -o "$run/many$n-floor" "${objs[@]}"
done

# ---------------------------------------------------------------- sessions
# A process runs with stdin from a FIFO this script holds open (so it stays
# up until we close it) and stdout to a file; each line we send is answered
# with one line.

sockdir=${XDG_RUNTIME_DIR:-/tmp}
[[ $sockdir == /* ]] || sockdir=/tmp
sockdir=$sockdir/hotld-$(id -u)
declare -A P_PID P_FD P_SEEN P_SESSION
procs=()

cleanup() {
    local p pid
    for p in "${procs[@]}"; do
        [ -n "${P_FD[$p]:-}" ] && { eval "exec ${P_FD[$p]}>&-" 2>/dev/null || true; }
    done
    for p in "${procs[@]}"; do
        pid=${P_PID[$p]}
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        # a killed session leaves its socket behind
        [ -z "${P_SESSION[$p]:-}" ] || rm -f "$sockdir/${P_SESSION[$p]}.sock"
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

proc_state() {
    local p=$1
    {
        if kill -0 "${P_PID[$p]}" 2>/dev/null; then echo "  (still running)"; else echo "  (it has exited)"; fi
        echo "  --- its stdout (last 5 lines):"; tail -n 5 "$run/$p.out" | cut -c1-200 | sed 's/^/  | /'
        echo "  --- its stderr (last 10 lines):"; tail -n 10 "$run/$p.err" | cut -c1-200 | sed 's/^/  | /'
    } >&2
}

# proc_start P [--session NAME] CMD...: start CMD as process P and wait
# for its "ready" line (NAME: its hotld session, for the cleanup).
proc_start() {
    local p=$1; shift
    P_SESSION[$p]=""
    if [ "$1" = --session ]; then P_SESSION[$p]=$2; shift 2; fi
    local fifo=$run/$p.in fd
    mkfifo "$fifo"
    : >"$run/$p.out"   # exists before the process opens it: proc_read polls it
    exec {fd}<>"$fifo"
    # the process must not hold the FIFO's write end itself
    ( eval "exec $fd>&-"; cd "$run" && exec "$@" ) <"$fifo" >"$run/$p.out" 2>"$run/$p.err" &
    P_PID[$p]=$! P_FD[$p]=$fd P_SEEN[$p]=0
    procs+=("$p")
    local i
    for i in 1 2 3 4 5; do   # a program may print a few lines before it
        proc_read "$p"
        [ "$REPLY" != ready ] || return 0
    done
    proc_state "$p"; die "$p: no 'ready' line among the first 5 lines of output"
}

# proc_read P: the next line P writes, in REPLY.
proc_read() {
    local p=$1 deadline=$((SECONDS + wait_s)) n
    n=$((P_SEEN[$p] + 1))
    while :; do
        if [ "$(wc -l <"$run/$p.out")" -ge "$n" ]; then   # complete lines only
            REPLY=$(sed -n "${n}{p;q}" "$run/$p.out")
            P_SEEN[$p]=$n
            return 0
        fi
        if ! kill -0 "${P_PID[$p]}" 2>/dev/null; then
            proc_state "$p"; die "$p: the program exited while we waited for its answer"
        fi
        [ "$SECONDS" -lt "$deadline" ] || { proc_state "$p"; die "$p: no answer within $wait_s s"; }
        sleep 0.01
    done
}

# proc_ask P LINE: send LINE, answer in REPLY.
proc_ask() {
    printf '%s\n' "$2" >&"${P_FD[$1]}"
    proc_read "$1"
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/${P_PID[$1]}/status"; }

# reload_count SESSION: the number of reloads the session reports.
reload_count() {
    local out
    out=$("$hotld" --session "$1" --status 2>&1) || die "hotld --session $1 --status failed: $out"
    out=$(sed -n '1s/.*, \([0-9]*\) reloads$/\1/p' <<<"$out")
    [[ $out =~ ^[0-9]+$ ]] || die "hotld --session $1 --status: no reload count in its first line"
    echo "$out"
}

# time_reloads P SESSION FILE A B COUNT CMD...: COUNT reloads of session
# SESSION (process P), putting build B, A, B, ... of FILE in place before
# each one, each timed by bench/timer from hotld's start to its exit; the
# times (ms) go to the array TIMES. The session must count every reload.
# With FRESH=1, each build gets a note section no other build has: every
# reload then loads a new version, where A and B alternated are brought
# back from the second time on (reload/reuse.c).
TIMES=()
FRESH=0
time_reloads() {
    local p=$1 s=$2 file=$3 a=$4 b=$5 count=$6; shift 6
    local before after i res build
    before=$(reload_count "$s")
    TIMES=()
    for ((i = 0; i < count; i++)); do
        if [ $(((before + i) % 2)) -eq 0 ]; then build=$b; else build=$a; fi
        if [ "$FRESH" = 1 ]; then
            echo "$p $s $((before + i))" >"$run/fresh-note"
            objcopy --add-section ".note.hotld-bench=$run/fresh-note" "$build" "$file"
        else
            cp "$build" "$file"
        fi
        if ! res=$(timeout -k 5 "$wait_s" "$timer" -n 1 -w 0 -- @reload "$@" 2>"$run/timer.err"); then
            sed 's/^/  | /' "$run/timer.err" >&2
            proc_state "$p"
            die "$p: reload $((before + i + 1)) failed: $(shorten "$*")"
        fi
        TIMES+=("$(awk '{ print $2 }' <<<"$res")")
    done
    after=$(reload_count "$s")
    [ "$after" -eq $((before + count)) ] ||
        die "$p: session $s counts $after reloads after $((before + count)) reload commands (some were not applied)"
}

# expect_same P FLOOR_OUTPUT WHAT: P's REPLY must be the gcc-linked program's.
expect_same() {
    [ "$REPLY" = "$2" ] && return 0
    proc_state "$1"
    die "$1: after $3 its answer differs from the gcc-linked program's:
  hotld:  $(cut -c1-200 <<<"$REPLY")
  gcc:    $(cut -c1-200 <<<"$2")"
}

tag=hotld-bench-$$
lvm=$run/lua/lvm.o lvmA=$cache/reload-lua/lvm-A.o lvmB=$cache/reload-lua/lvm-B.o
floor_check=$(printf 'check\n' | "$run/lua-floor" "$lua_script" | sed -n 2p)
[ -n "$floor_check" ] || die "the gcc-linked Lua does not answer 'check'"

# ------------------------------------------------- 1. latency (Lua, lvm.o)

note "1/5 latency: $((reloads + 1)) reloads of new builds of lvm.o, as many of A/B, and mold relink + restart"
s=$tag-lat
proc_start lat --session "$s" "$hotld" --session "$s" "${lua_objs[@]}" -lm -- "$lua_script"
FRESH=1 time_reloads lat "$s" "$lvm" "$lvmA" "$lvmB" $((reloads + 1)) "$hotld" --session "$s" "${lua_objs[@]}" -lm -- "$lua_script"
lat_lua=$(echo "${TIMES[@]:1}" | median)
time_reloads lat "$s" "$lvm" "$lvmA" "$lvmB" $((reloads + 2)) "$hotld" --session "$s" "${lua_objs[@]}" -lm -- "$lua_script"
lat_lua_again=$(echo "${TIMES[@]:2}" | median)
proc_ask lat check
expect_same lat "$floor_check" "$((2 * reloads + 3)) reloads of lvm.o"
cp "$lvmA" "$lvm"
# Restart: the program reads end of input at once, so it exits when ready.
if ! res=$("$timer" -n "$reloads" -w 1 -C "$run" -- \
        @mold gcc -fuse-ld=mold -o "$run/x-mold" "${lua_objs[@]}" -lm @\& "$run/x-mold" "$lua_script" \
        @hotld "$hotld" --session "$tag-restart" "${lua_objs[@]}" -lm -- "$lua_script" \
        @exec "$hotld" --version 2>"$run/timer.err"); then
    sed 's/^/  | /' "$run/timer.err" >&2
    die "timing mold relink + restart of Lua failed"
fi
mold_lua=$(awk '$1 == "mold" { print $2 }' <<<"$res")
hotld_lua=$(awk '$1 == "hotld" { print $2 }' <<<"$res")
# What no reload can go under: the exec of the command that asks for it.
exec_floor=$(awk '$1 == "exec" { print $2 }' <<<"$res")

# ------------------------------------------- 2. scaling (10 vs 1,000 objects)

declare -A lat_many mold_many
for n in "$small_count" "$many_count"; do
    note "2/5 scaling: $((reloads + 1)) reloads of mod0000.o in the $n-object program"
    many_objs "$n"
    s=$tag-many$n
    floor_out=$(printf 'x\n' | "$run/many$n-floor" | sed -n 3p)
    proc_start "many$n" --session "$s" "$hotld" --session "$s" "${objs[@]}"
    FRESH=1 time_reloads "many$n" "$s" "$run/many$n/mod0000.o" "$cache/reload-many$n/mod0000-A.o" \
        "$cache/reload-many$n/mod0000-B.o" $((reloads + 1)) "$hotld" --session "$s" "${objs[@]}"
    lat_many[$n]=$(echo "${TIMES[@]:1}" | median)
    proc_ask "many$n" x
    expect_same "many$n" "$floor_out" "$((reloads + 1)) reloads of mod0000.o"
    cp "$cache/reload-many$n/mod0000-A.o" "$run/many$n/mod0000.o"
    if ! res=$("$timer" -n "$reloads" -w 1 -C "$run" -- \
            @mold gcc -fuse-ld=mold -o "$run/x-many" "${objs[@]}" @\& "$run/x-many" 2>"$run/timer.err"); then
        sed 's/^/  | /' "$run/timer.err" >&2
        die "timing mold relink + restart of the $n-object program failed"
    fi
    mold_many[$n]=$(awk '$1 == "mold" { print $2 }' <<<"$res")
done

# ------------------------------------------------ 3. runtime overhead (Lua)

note "3/5 overhead: $cpu_rounds rounds of 'bench $cpu_reps' on gcc-linked Lua, hotld, hotld after 10 reloads"
proc_start cpu-gcc "$run/lua-floor" "$lua_script"
s0=$tag-cpu0 s10=$tag-cpu10
proc_start cpu-h0 --session "$s0" "$hotld" --session "$s0" "${lua_objs[@]}" -lm -- "$lua_script"
proc_start cpu-h10 --session "$s10" "$hotld" --session "$s10" "${lua_objs[@]}" -lm -- "$lua_script"
FRESH=1 time_reloads cpu-h10 "$s10" "$lvm" "$lvmA" "$lvmB" 10 "$hotld" --session "$s10" "${lua_objs[@]}" -lm -- "$lua_script"
cp "$lvmA" "$lvm"
declare -A cpu_times cpu_result
cpu_variants=(cpu-gcc cpu-h0 cpu-h10)
for p in "${cpu_variants[@]}"; do proc_ask "$p" "bench 1"; done   # warm-up
for ((r = 0; r < cpu_rounds; r++)); do
    for ((k = 0; k < 3; k++)); do
        p=${cpu_variants[$(((r + k) % 3))]}
        proc_ask "$p" "bench $cpu_reps"
        read -r word secs result <<<"$REPLY"
        if [ "$word" != bench ] || ! [[ $secs =~ ^[0-9.]+$ ]]; then
            proc_state "$p"; die "$p: unexpected answer '$REPLY'"
        fi
        cpu_times[$p]="${cpu_times[$p]:-} $secs"
        [ -z "${cpu_result[$p]:-}" ] || [ "${cpu_result[$p]}" = "$result" ] ||
            die "$p: the benchmark's result changed between rounds (${cpu_result[$p]} then $result)"
        cpu_result[$p]=$result
    done
done
for p in cpu-h0 cpu-h10; do
    [ "${cpu_result[$p]}" = "${cpu_result[cpu-gcc]}" ] ||
        die "$p: benchmark result ${cpu_result[$p]}, the gcc-linked Lua's ${cpu_result[cpu-gcc]}"
done
declare -A cpu_med
for p in "${cpu_variants[@]}"; do
    cpu_med[$p]=$(awk '{ printf "%.1f", $1 * 1000 }' <<<"$(echo "${cpu_times[$p]}" | median)")
done

# --------------------------------------------------------- 4. memory (Lua)

note "4/5 memory: VmRSS before and after $mem_reloads reloads of lvm.o, new builds and A/B"
# mem_session P FRESH: VmRSS and mappings of a new session P before and
# after $mem_reloads reloads of lvm.o, and the latency of the first and
# last ten, into MEM[P.*].
declare -A MEM
mem_session() {
    local p=$1 s=$tag-$1
    proc_start "$p" --session "$s" "$hotld" --session "$s" "${lua_objs[@]}" -lm -- "$lua_script"
    MEM[$p.rss0]=$(rss_kb "$p") MEM[$p.maps0]=$(wc -l <"/proc/${P_PID[$p]}/maps")
    FRESH=$2 time_reloads "$p" "$s" "$lvm" "$lvmA" "$lvmB" "$mem_reloads" "$hotld" --session "$s" "${lua_objs[@]}" -lm -- "$lua_script"
    MEM[$p.rss1]=$(rss_kb "$p") MEM[$p.maps1]=$(wc -l <"/proc/${P_PID[$p]}/maps")
    MEM[$p.first]=$(echo "${TIMES[@]:0:10}" | median)
    MEM[$p.last]=$(echo "${TIMES[@]:$((mem_reloads - 10))}" | median)
    MEM[$p.growth]=$(awk -v a="${MEM[$p.rss0]}" -v b="${MEM[$p.rss1]}" -v n="$mem_reloads" 'BEGIN { printf "%.1f", (b - a) / n }')
    proc_ask "$p" check
    expect_same "$p" "$floor_check" "$mem_reloads reloads of lvm.o"
    cp "$lvmA" "$lvm"
}
mem_session mem-new 1
mem_session mem-ab 0
lvm_file=$(stat -c %s "$lvmA")
lvm_alloc=$(size -A "$lvmA" | awk '$1 ~ /^\.(text|rodata|data|bss)/ { s += $2 } END { print s + 0 }')

# ---------------------------------------------- 5. parked threads' stacks

note "5/5 threads: $((reloads + 1)) reloads of a $deep_funcs-function object, with 0 and $deep_threads threads $deep_depth frames deep"
declare -A lat_deep
deep=$cache/reload-deep
cp "$deep/main.o" "$run/deep/main.o"
for n in 0 "$deep_threads"; do
    cp "$deep/funcs-A.o" "$run/deep/funcs.o"
    s=$tag-deep$n
    proc_start "deep$n" --session "$s" "$hotld" --session "$s" "$run/deep/main.o" "$run/deep/funcs.o" -- "$n" "$deep_depth"
    FRESH=1 time_reloads "deep$n" "$s" "$run/deep/funcs.o" "$deep/funcs-A.o" "$deep/funcs-B.o" $((reloads + 1)) \
        "$hotld" --session "$s" "$run/deep/main.o" "$run/deep/funcs.o" -- "$n" "$deep_depth"
    lat_deep[$n]=$(echo "${TIMES[@]:1}" | median)
    # the answer of the build now in place, as gcc links it
    step "reload-deep$n-floor" gcc -o "$run/deep/floor" "$run/deep/main.o" "$run/deep/funcs.o" -lpthread
    proc_ask "deep$n" x
    expect_same "deep$n" "$(printf 'x\n' | "$run/deep/floor" 0 0 | sed -n 2p)" "$((reloads + 1)) reloads of funcs.o"
done

# ------------------------------------------------------------------ report

# at_most A B: "yes" if the number A is at most B, "no" if not, "-" if
# either is not a number.
at_most() { awk -v a="$1" -v b="$2" 'BEGIN {
    if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) print "-"; else print (a + 0 <= b + 0) ? "yes" : "no" }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }'; }
row() { printf '   %-46s %10s %s\n' "$@"; }

echo
echo "hotld reload benchmark: medians measured in this run (targets are the issue's, shown for reading)"
echo "  $(gcc --version | head -n 1); $(mold --version | head -n 1); objects built with gcc $cflags"
echo
echo "1. reload latency: Lua 5.4 (${#lua_objs[@]} objects), lvm.o changed (a new build each time), median of $reloads"
row "hotld reload: 2nd invocation, start to exit" "$lat_lua" ms
row "hotld reload of a build brought back (A/B)" "$lat_lua_again" ms
row "mold relink + restart until ready" "$mold_lua" ms
row "hotld fresh start until ready (for reference)" "$hotld_lua" ms
row "mold relink+restart / hotld reload" "$(ratio "$mold_lua" "$lat_lua")" x
row "its command's exec alone (hotld --version)" "$exec_floor" ms
row "hotld reload / that exec" "$(ratio "$lat_lua" "$exec_floor")" x
row "target: median under 5 ms" "$(at_most "$lat_lua" 5)"
row "target (issue 19): median at most 2 ms" "$(at_most "$lat_lua" 2)"
echo
echo "2. scaling: one changed object (mod0000.o) of a generated program, median of $reloads"
row "hotld reload, $small_count objects" "${lat_many[$small_count]}" \
    "ms   (mold relink + restart: ${mold_many[$small_count]} ms)"
row "hotld reload, $many_count objects" "${lat_many[$many_count]}" \
    "ms   (mold relink + restart: ${mold_many[$many_count]} ms)"
sc=$(ratio "${lat_many[$many_count]}" "${lat_many[$small_count]}")
row "$many_count objects / $small_count objects" "$sc" x
row "target: within 1.5x" "$(at_most "$sc" 1.5)"
row "target (issue 19): each at most 2 ms" \
    "$(at_most "${lat_many[$small_count]}" 2) / $(at_most "${lat_many[$many_count]}" 2)"
echo
echo "3. runtime overhead: CPU time (os.clock) of 'bench $cpu_reps' (reload-serve.lua), median of $cpu_rounds interleaved rounds"
g=${cpu_med[cpu-gcc]} h0=${cpu_med[cpu-h0]} h10=${cpu_med[cpu-h10]}
row "gcc-linked Lua (ld.bfd)" "$g" ms
row "hotld, 0 reloads" "$h0" ms
row "hotld, after 10 reloads of lvm.o" "$h10" ms
row "hotld 0 reloads / gcc-linked" "$(ratio "$h0" "$g")" "($(percent "$h0" "$g"))"
row "hotld 10 reloads / gcc-linked" "$(ratio "$h10" "$g")" "($(percent "$h10" "$g"))"
lim=$(awk -v g="$g" 'BEGIN { printf "%.3f", g * 1.02 }')
row "target: at most 2% overhead (0 / 10 reloads)" "$(at_most "$h0" "$lim") / $(at_most "$h10" "$lim")"
echo
echo "4. memory: a Lua session before and after $mem_reloads reloads of lvm.o: new builds | builds A/B alternated"
row "VmRSS after 0 reloads" "${MEM[mem-new.rss0]} | ${MEM[mem-ab.rss0]}" KiB
row "VmRSS after $mem_reloads reloads" "${MEM[mem-new.rss1]} | ${MEM[mem-ab.rss1]}" KiB
row "growth per reload" "${MEM[mem-new.growth]} | ${MEM[mem-ab.growth]}" KiB
row "lvm.o: file size" "$(fmt_kb "$lvm_file")" KiB
row "lvm.o: text+rodata+data+bss sections" "$(fmt_kb "$lvm_alloc")" KiB
row "target (issue 19): growth <= sections' size" \
    "$(at_most "${MEM[mem-new.growth]}" "$(fmt_kb "$lvm_alloc")") | $(at_most "${MEM[mem-ab.growth]}" "$(fmt_kb "$lvm_alloc")")"
row "mappings in /proc/PID/maps, 0 / $mem_reloads reloads" \
    "${MEM[mem-new.maps0]} / ${MEM[mem-new.maps1]} | ${MEM[mem-ab.maps0]} / ${MEM[mem-ab.maps1]}"
row "reload latency, reloads 1-10 (median)" "${MEM[mem-new.first]} | ${MEM[mem-ab.first]}" ms
row "reload latency, reloads $((mem_reloads - 9))-$mem_reloads (median)" "${MEM[mem-new.last]} | ${MEM[mem-ab.last]}" ms
echo
echo "5. parked threads: a $deep_funcs-function object changed (a new build each time), median of $reloads"
row "hotld reload, no other thread" "${lat_deep[0]}" ms
row "hotld reload, $deep_threads threads $deep_depth frames deep" "${lat_deep[$deep_threads]}" ms
row "$deep_threads deep threads / none" "$(ratio "${lat_deep[$deep_threads]}" "${lat_deep[0]}")" x
echo
echo "  ($(( $(date +%s) - start )) s including builds; cache: $cache)"
