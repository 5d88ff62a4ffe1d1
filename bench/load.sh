#!/usr/bin/env bash
# Load benchmark: time "hotld OBJS" against linking the same objects and then
# running the result, with gcc + ld.bfd, gcc -fuse-ld=mold and tcc, and
# against the exec of an already linked binary (the floor), on three
# workloads:
#   lua     the Lua 5.4 interpreter (Debian's lua5.4 source, upstream src/*.c)
#           running a short script
#   ninja   the ninja build tool, C++ (Debian's ninja-build source: the 29
#           objects of its ninja binary), printing every command of a
#           generated manifest of 500 edges (ninja -t commands)
#   sqlite  the SQLite amalgamation (Debian's sqlite3 source, built into
#           sqlite3.c with its own tooling) as one large object, plus a small
#           main running a few SQL statements in :memory:
#   big     one generated C++ object of about 30 MB (bench/gen-big.sh, built
#           with -g added to the flags), most of it DWARF and COMDAT groups,
#           as a template-heavy test program's
#   many    a generated program of 1,000 objects (bench/gen-many.sh)
# Every variant's output (stdout and exit status) is checked against the
# floor binary's once per workload before anything is timed; a variant that
# differs is reported, left out of the timing, and makes the script exit 1.
# Results are medians and ratios measured in this run, never assertions.
#
# Usage: bench/load.sh            (make bench builds build/hotld, then runs it)
# Environment:
#   BENCH_RUNS=21            timed runs of each variant (plus 1 warm-up)
#   BENCH_WORKLOADS="lua ninja sqlite big many"   which workloads, in order
#   BENCH_MANY=1000          object count of the "many" workload
#   BENCH_BIG=72             struct count of the "big" workload (72: about 30 MB)
#   BENCH_CFLAGS="-O2"       flags for every workload object
#   HOTLD=build/hotld        the loader to measure
#   BENCH_CACHE=bench/.cache where builds are cached
#   HOTLD_CACHE=$BENCH_CACHE where Debian sources are fetched (src/PKG)
# Builds are cached in BENCH_CACHE (bench/.cache/ is git-ignored) and
# redone when their inputs (flags, compiler, the bench/ files they use)
# change.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
runs=${BENCH_RUNS:-21}
workloads=${BENCH_WORKLOADS:-lua ninja sqlite big many}
many_count=${BENCH_MANY:-1000}
big_count=${BENCH_BIG:-72}
positive BENCH_RUNS "$runs"
positive BENCH_MANY "$many_count"
positive BENCH_BIG "$big_count"

"$root/scripts/deps.sh" || die "scripts/deps.sh failed to install the tools"
for t in gcc g++ tcc mold tclsh awk sha256sum; do
    command -v "$t" >/dev/null || die "$t not found (scripts/deps.sh should install it)"
done
mkdir -p "$cache/logs" || die "cannot create $cache"

# ---------------------------------------------------------------- helpers

# A command line cut to 300 characters for messages.

# --------------------------------------------------------------- the timer

timer=$cache/timer
if [ ! -x "$timer" ] || [ "$bench/timer.c" -nt "$timer" ]; then
    step timer gcc -O2 -Wall -Wextra -Werror -o "$timer" "$bench/timer.c"
fi

# ------------------------------------------------------------- workloads
# Each build_W sets: objs (array of absolute .o paths), libs (array of -l
# flags), args (program arguments), desc.

build_lua() {
    build_lua_objects
    objs=("$cache"/lua/obj/*.o)
    libs=(-lm)
    args=("$bench/workloads/lua-script.lua")
    desc="Lua 5.4 interpreter running a short script"
}

build_sqlite() {
    local st src
    src=$(fetch sqlite3)
    [ -x "$src/configure" ] || die "$src/configure missing: unexpected sqlite3 source layout"
    local defs=(-DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_RTREE
                -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_DBSTAT_VTAB
                -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_THREADSAFE=1)
    st=$(extra="${defs[*]}" stamp_of "$bench/workloads/sqlite-main.c" "$src/VERSION" "$src/manifest")
    if ! cached sqlite "$st"; then
        note "building the sqlite amalgamation (gcc $cflags; about 30 s)"
        rm -rf "$cache/sqlite"
        mkdir -p "$cache/sqlite/amal" "$cache/sqlite/obj"
        # The amalgamation sqlite3.c/sqlite3.h, made by SQLite's own tooling
        # (tclsh scripts and a few host tools) in an out-of-tree build.
        (cd "$cache/sqlite/amal" && step sqlite-configure "$src/configure" --disable-tcl)
        step sqlite-amalgamation make -C "$cache/sqlite/amal" -j"$jobs" sqlite3.c
        # sqlite3.c alone takes most of the time; main.c builds beside it.
        step sqlite-compile gcc "${cflag_words[@]}" "${defs[@]}" -c "$cache/sqlite/amal/sqlite3.c" \
            -o "$cache/sqlite/obj/sqlite3.o"
        step sqlite-main gcc "${cflag_words[@]}" -I"$cache/sqlite/amal" -c "$bench/workloads/sqlite-main.c" \
            -o "$cache/sqlite/obj/main.o"
        echo "$st" >"$cache/sqlite/stamp"
    fi
    objs=("$cache/sqlite/obj/main.o" "$cache/sqlite/obj/sqlite3.o")
    libs=(-lm)
    args=()
    desc="SQLite amalgamation (one large object) + a small main"
}

# ninja's own build (configure.py) compiles these with -fno-rtti
# -fno-exceptions; without the Python of its "browse" tool.
build_ninja() {
    local st src f files=()
    src=$(fetch ninja-build)
    [ -f "$src/src/ninja.cc" ] || die "$src/src/ninja.cc missing: unexpected ninja-build source layout"
    for f in "$src"/src/*.cc; do
        case $(basename "$f") in
        *_test.cc|*_perftest.cc|*-win32.cc|*_bench.cc|*.in.cc|browse.cc|test.cc) ;;
        *) files+=("$f") ;;
        esac
    done
    st=$(extra="${files[*]##*/}" stamp_of "$src/src/ninja.cc" "$src/src/version.cc")
    if ! cached ninja "$st"; then
        note "building ninja (g++ $cflags; about a minute)"
        rm -rf "$cache/ninja"
        step ninja-compile compile_all "$cache/ninja/obj" "${cflag_words[@]}" -fno-rtti -fno-exceptions \
            -DNDEBUG -- "${files[@]}"
        # 500 edges in chains of 10, each with a rule variable and a
        # dependency on the edge before it.
        awk 'BEGIN {
            print "rule cc\n  command = cc -c $in -o $out $flags\n  description = CC $out"
            all = "build all: phony"
            for (i = 0; i < 500; i++) {
                dep = (i % 10) ? sprintf(" | out%03d.o", i - 1) : ""
                printf "build out%03d.o: cc src%03d.c%s\n  flags = -DN=%d\n", i, i, dep, i
                all = all sprintf(" out%03d.o", i)
            }
            print all
        }' >"$cache/ninja/build.ninja"
        echo "$st" >"$cache/ninja/stamp"
    fi
    objs=("$cache"/ninja/obj/*.o)
    libs=(-lstdc++ -lm)
    args=(-f "$cache/ninja/build.ninja" -t commands all)
    desc="ninja build tool (C++), printing the commands of a 500-edge manifest"
}

build_big() {
    local st
    st=$(extra="count $big_count" stamp_of "$bench/gen-big.sh")
    if ! cached big "$st"; then
        note "generating and building one large C++ object (g++ $cflags -g; about 45 s)"
        rm -rf "$cache/big"
        mkdir -p "$cache/big"
        step big-generate "$bench/gen-big.sh" "$cache/big/big.cc" "$big_count"
        step big-compile g++ "${cflag_words[@]}" -g -c "$cache/big/big.cc" -o "$cache/big/big.o"
        echo "$st" >"$cache/big/stamp"
    fi
    objs=("$cache/big/big.o")
    libs=(-lstdc++ -lm)
    args=()
    desc="one generated C++ object with -g (bench/gen-big.sh, $big_count types)"
}

build_many() {
    local st
    st=$(extra="count $many_count" stamp_of "$bench/gen-many.sh")
    if ! cached many "$st"; then
        note "generating and building $many_count objects (gcc $cflags)"
        rm -rf "$cache/many"
        step many-generate "$bench/gen-many.sh" "$cache/many/src" "$many_count"
        step many-compile compile_all "$cache/many/obj" "${cflag_words[@]}" -- "$cache"/many/src/*.c
        echo "$st" >"$cache/many/stamp"
    fi
    objs=("$cache"/many/obj/mod*.o "$cache/many/obj/main.o")
    libs=()
    args=()
    desc="generated program of $many_count objects"
}

# ------------------------------------------------------------ measurement

variants=(hotld hotlde bfd mold tcc floor)
# tcc finds libstdc++ (for the C++ workloads) only in gcc's own directory.
cxx_libdir=$(dirname "$(g++ -print-file-name=libstdc++.so)")
declare -A med           # med[workload.variant] = median ms, or a failure word
failed=0
fmt_size() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1fM", b / 1048576; else printf "%.0fK", b / 1024 }'; }

# The commands of variant V for the current workload: c1, then c2 (empty
# if none) if c1 exited 0. Link outputs go to RUNDIR.
variant_cmds() {
    local v=$1 run=$2
    c2=()
    case $v in
    hotld) c1=("$hotld" "${objs[@]}" "${libs[@]}")
           [ ${#args[@]} -eq 0 ] || c1+=(-- "${args[@]}") ;;
    hotlde) c1=("$hotld" -rdynamic "${objs[@]}" "${libs[@]}")
           [ ${#args[@]} -eq 0 ] || c1+=(-- "${args[@]}") ;;
    bfd)   c1=(gcc -o "$run/x-bfd" "${objs[@]}" "${libs[@]}"); c2=("$run/x-bfd" "${args[@]}") ;;
    mold)  c1=(gcc -fuse-ld=mold -o "$run/x-mold" "${objs[@]}" "${libs[@]}")
           c2=("$run/x-mold" "${args[@]}") ;;
    tcc)   c1=(tcc -o "$run/x-tcc" "${objs[@]}" -L"$cxx_libdir" "${libs[@]}"); c2=("$run/x-tcc" "${args[@]}") ;;
    floor) c1=("$run/floor" "${args[@]}") ;;
    esac
}

# Run one command once with stdout to OUT, return its exit status in $rc
# (124 if it ran for more than BENCH_TIMEOUT seconds, default 120).
run_once() {
    local out=$1; shift
    rc=0
    timeout -k 5 "${BENCH_TIMEOUT:-120}" "$@" </dev/null >"$out" 2>"$out.err" || rc=$?
    [ "$rc" -ne 124 ] || echo "bench: timed out after ${BENCH_TIMEOUT:-120} s: $(shorten "$*")" >>"$out.err"
}

measure() {
    local w=$1
    "build_$w"
    local run=$cache/run/$w
    rm -rf "$run" && mkdir -p "$run"
    local nobj=${#objs[@]} bytes
    bytes=$(cat "${objs[@]}" | wc -c)
    sizes[$w]="$nobj $(fmt_size "$bytes")"
    descs[$w]=$desc

    # The floor binary: linked once with gcc + ld.bfd, then only exec'd.
    step "$w-floor" gcc -o "$run/floor" "${objs[@]}" "${libs[@]}"

    # Check every variant's output against the floor's, once.
    run_once "$run/out.floor" "$run/floor" "${args[@]}"
    local want_rc=$rc
    [ "$want_rc" -eq 0 ] || { sed 's/^/  | /' "$run/out.floor.err" >&2
                              die "$w: the gcc-linked program itself exited $want_rc"; }
    local ok=() v
    for v in "${variants[@]}"; do
        variant_cmds "$v" "$run"
        if [[ $v == hotld* ]] && [ ! -x "$hotld" ]; then
            med[$w.$v]=missing; failed=1
            echo "bench: $w: $hotld not found (make build/hotld)" >&2
            continue
        fi
        if [ "$v" != floor ]; then
            run_once "$run/out.$v" "${c1[@]}"
            if [ "$rc" -eq 0 ] && [ ${#c2[@]} -gt 0 ]; then
                run_once "$run/out.$v" "${c2[@]}"
            fi
            if [ "$rc" -ne "$want_rc" ] || ! cmp -s "$run/out.floor" "$run/out.$v"; then
                med[$w.$v]=FAIL; failed=1
                {
                    if [ "$rc" -ne "$want_rc" ]; then
                        echo "bench: $w: $v is not timed: it exited $rc, the gcc-linked program $want_rc"
                    else
                        echo "bench: $w: $v is not timed: its output differs from the gcc-linked program's"
                    fi
                    echo "  command: $(shorten "${c1[*]}")"
                    echo "  --- diff of the gcc-linked program's stdout and its stdout (first 15 lines):"
                    { diff "$run/out.floor" "$run/out.$v" || true; } | head -n 15 | cut -c1-200 | sed 's/^/  | /'
                    echo "  --- its stderr (first 15 lines):"
                    head -n 15 "$run/out.$v.err" | cut -c1-200 | sed 's/^/  | /'
                } >&2
                continue
            fi
        fi
        ok+=("$v")
    done

    # Time the variants that passed, interleaved. One that fails while being
    # timed (a flaky crash, say) is marked FLAKY and the rest timed again.
    note "$w: timing $runs runs of each of: ${ok[*]}"
    local res bad timed
    while [ ${#ok[@]} -gt 0 ]; do
        timed=()
        for v in "${ok[@]}"; do
            variant_cmds "$v" "$run"
            timed+=("@$v" "${c1[@]}")
            [ ${#c2[@]} -eq 0 ] || timed+=("@&" "${c2[@]}")
        done
        if res=$("$timer" -n "$runs" -w 1 -C "$run" -- "${timed[@]}" 2>"$run/timer.err"); then
            while read -r v m _; do med[$w.$v]=$m; done <<<"$res"
            break
        fi
        bad=$(sed -n 's/^timer: \([a-z]*\): .*/\1/p' "$run/timer.err" | tail -n 1)
        sed 's/^/  | /' "$run/timer.err" >&2
        [ -n "$bad" ] || die "$w: the timer failed"
        echo "bench: $w: $bad failed while being timed; timing the others again" >&2
        med[$w.$bad]=FLAKY; failed=1
        local rest=()
        for v in "${ok[@]}"; do [ "$v" = "$bad" ] || rest+=("$v"); done
        ok=(${rest[@]+"${rest[@]}"})
    done
}

declare -A sizes descs
start=$(date +%s)
for w in $workloads; do
    case $w in lua|ninja|sqlite|big|many) ;; *) die "unknown workload '$w' (lua, ninja, sqlite, big, many)" ;; esac
done
for w in $workloads; do measure "$w"; done

# ------------------------------------------------------------------ report

ratio() {   # ratio A B: A/B to 2 decimals, or "-" if either is not a number
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "-" }'
}

echo
echo "hotld load benchmark: median wall time of $runs runs, start to exit, in ms"
echo "  hotld = hotld OBJS;  -E = hotld -rdynamic OBJS (every symbol exported);"
echo "  bfd/mold/tcc = link OBJS -o x && ./x;  floor = ./x already linked"
echo "  objs, size = object files given and their total bytes; all built with gcc $cflags"
echo "  $(gcc --version | head -n 1); $(mold --version | head -n 1); $(tcc -v 2>&1 | head -n 1)"
echo
printf '%-7s %5s %6s | %8s %8s %8s %8s %8s %8s | %9s %10s %9s %11s %8s | %s\n' \
    workload objs size hotld -E bfd mold tcc floor bfd/hotld mold/hotld tcc/hotld hotld/floor -E/hotld "beats tcc"
for w in $workloads; do
    h=${med[$w.hotld]}
    beats=-
    if [[ $h =~ ^[0-9.]+$ && ${med[$w.tcc]} =~ ^[0-9.]+$ ]]; then
        beats=$(awk -v a="$h" -v b="${med[$w.tcc]}" 'BEGIN { print (a < b) ? "yes" : "no" }')
    fi
    read -r n sz <<<"${sizes[$w]}"
    printf '%-7s %5s %6s | %8s %8s %8s %8s %8s %8s | %9s %10s %9s %11s %8s | %s\n' \
        "$w" "$n" "$sz" "$h" "${med[$w.hotlde]}" "${med[$w.bfd]}" "${med[$w.mold]}" "${med[$w.tcc]}" \
        "${med[$w.floor]}" "$(ratio "${med[$w.bfd]}" "$h")" "$(ratio "${med[$w.mold]}" "$h")" \
        "$(ratio "${med[$w.tcc]}" "$h")" "$(ratio "$h" "${med[$w.floor]}")" "$(ratio "${med[$w.hotlde]}" "$h")" "$beats"
done
echo
for w in $workloads; do echo "  $w: ${descs[$w]}"; done
echo "  ratios above 1 in x/hotld mean hotld is faster; hotld/floor is hotld's cost over a bare exec"
echo "  ($(( $(date +%s) - start )) s including builds; cache: $cache)"
if [ "$failed" -ne 0 ]; then
    echo "bench/load.sh: some variants failed (see above) and were not timed" >&2
    exit 1
fi
