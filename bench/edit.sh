#!/usr/bin/env bash
# Edit benchmark (issue 18): the time from saving a source file to the
# reload being applied in the running program, under
# `hotld --watch --log FILE` with the build's compile_commands.json, for
# a one-line edit of a small file (bench/workloads/edit/value.c) and of
# Lua's lvm.c. Measured in the same run, against:
#   compile    the object's compile command alone (the floor of any
#              edit-to-run scheme)
#   restart    compile, link with gcc, and run the program until it is
#              ready (what a build and a restart cost)
# The save is an in-place rewrite (sed -i, as editors save); "applied" is
# the watcher's report in its log. Medians of BENCH_EDITS edits (default
# 11), alternating two versions of the line; BENCH_EDIT_WORKLOADS picks
# them (default "small lua"). Also against
#   chain      the setup users make by hand: entr runs the compile command
#              on each save, and hotld --watch reloads the object it writes
# Targets (printed, not asserted): edit-to-reload at most compile +
# 100 ms, and below the chain.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
edits=${BENCH_EDITS:-11}
workloads=${BENCH_EDIT_WORKLOADS:-small lua}
positive BENCH_EDITS "$edits"
[ -x "$hotld" ] || die "$hotld is not built (make build/hotld)"
mkdir -p "$cache/logs"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# compdb DIR OBJDIR FLAGS... -- SOURCES...: compile_commands.json in DIR
# for SOURCES (basenames in DIR), each to OBJDIR/BASE.o with gcc FLAGS.
compdb() {
    local dir=$1 obj=$2; shift 2
    local flags=() f first=1
    while [ "$1" != -- ]; do flags+=("\"$1\""); shift; done
    shift
    local IFS=,
    {
        echo "["
        for f; do
            [ $first = 1 ] || echo ","
            first=0
            printf '{"directory": "%s", "file": "%s", "arguments": ["gcc", %s, "-c", "%s", "-o", "%s/%s.o"]}' \
                "$dir" "$f" "${flags[*]}" "$f" "$obj" "${f%.c}"
        done
        echo "]"
    } >"$dir/compile_commands.json"
}

# edit_times NAME DIR FILE OLD NEW [HOTLD-OPTION...]: run the program
# (OBJS with ARGS, in DIR) under hotld --watch OPTIONS, swap OLD and NEW in
# FILE BENCH_EDITS times, and print the median time from a save to the
# reload's report in the log.
edit_times() {
    local name=$1 dir=$2 file=$3 old=$4 new=$5; shift 5
    local log=$dir/watch.log fd pid i k t0 times=() n
    rm -f "$log" "$dir/in" && mkfifo "$dir/in"
    (cd "$dir" && exec "$hotld" --watch --log "$log" --session "bench-edit-$$-$name" "$@" "${OBJS[@]}" -lm -- \
        "${ARGS[@]}" <in >run.out 2>run.err) &
    pid=$!
    exec {fd}>"$dir/in"
    for ((i = 0; i < 500; i++)); do grep -q ready "$dir/run.out" 2>/dev/null && break; sleep 0.02; done
    grep -q ready "$dir/run.out" || die "$name: the program did not start: $(tail -c 300 "$dir/run.err")"
    for ((k = 0; k < edits; k++)); do
        n=$(grep -c 'hotld: reloaded' "$log" 2>/dev/null || true)
        if [ -n "$(sed -n "/$old/p" "$dir/$file")" ]; then sed -i "s/$old/$new/" "$dir/$file"; else sed -i "s/$new/$old/" "$dir/$file"; fi
        t0=$(now_ms)
        for ((i = 0; i < 6000; i++)); do
            [ "$(grep -c 'hotld: reloaded' "$log" 2>/dev/null || true)" -gt "$n" ] && break
            sleep 0.002
        done
        [ "$(grep -c 'hotld: reloaded' "$log")" -gt "$n" ] || die "$name: edit $((k + 1)) was not reloaded: $(tail -n 3 "$log")"
        times+=($(($(now_ms) - t0)))
        sleep 0.3 # quiet, so that edits are not one burst
    done
    exec {fd}>&-
    wait "$pid" || true
    printf '%s\n' "${times[@]}" | median
}

# chain_times NAME DIR FILE OLD NEW: the same edits, compiled by entr
# (which runs the file's compile command on each save) and reloaded by
# hotld --watch seeing the object change: the chain users set up by hand.
chain_times() {
    local dir=$2 file=$3 entr_pid t compile
    compile=$(compile_of "$dir" "$file")
    mv "$dir/compile_commands.json" "$dir/compile_commands.hidden"
    (cd "$dir" && exec entr -n -p sh -c "$compile" <<<"$file" >/dev/null 2>&1) & # entr is $!
    entr_pid=$!
    if entr_watching "$entr_pid"; then
        t=$(edit_times "$1-chain" "${@:2}") || t=
    else
        echo "bench/edit.sh: $1-chain: entr did not start watching $file" >&2
        t=
    fi
    kill "$entr_pid" 2>/dev/null
    wait "$entr_pid" 2>/dev/null
    mv "$dir/compile_commands.hidden" "$dir/compile_commands.json"
    [ -n "$t" ] && echo "$t"
}

# entr_watching PID: wait until entr (PID) has its inotify watch set: an
# edit made before then is never seen. A fixed sleep lost that race once
# hotld started the program sooner than entr's shell got to run it.
entr_watching() {
    local i fd
    for ((i = 0; i < 1000; i++)); do
        for fd in /proc/"$1"/fdinfo/*; do
            grep -qs '^inotify wd:' "$fd" && return 0
        done
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}

# measure NAME DIR FILE OLD NEW: one table row.
measure() {
    local name=$1 dir=$2 file=$3
    local edit chain compile restart
    edit=$(edit_times "$@") || die "$name: the edits under --watch were not measured"
    chain=-
    if command -v entr >/dev/null; then
        chain=$(chain_times "$@") || die "$name: the entr chain was not measured"
    fi
    compile=$(time_command "$dir" "$(compile_of "$dir" "$file")") || die "$name: the compile was not timed"
    restart=$(time_command "$dir" "$(compile_of "$dir" "$file") && gcc -o prog.x ${OBJS[*]} -lm && ./prog.x ${ARGS[*]} </dev/null") ||
        die "$name: the restart was not timed"
    printf '%-10s %8s %8s %8s %8s | %13s %11s %11s\n' "$name" "$edit" "$compile" "$chain" "$restart" \
        "$(awk -v e="$edit" -v c="$compile" 'BEGIN { printf "%+d", e - c }')" \
        "$(awk -v e="$edit" -v c="$chain" 'BEGIN { if (c == "-") print "-"; else printf "%.2f", e / c }')" \
        "$(awk -v e="$edit" -v r="$restart" 'BEGIN { printf "%.2f", e / r }')"
}

# The compile command of FILE from DIR's database, as a shell line.
compile_of() { database_command "$1/compile_commands.json" "$2"; }
database_command() {
    python3 -c 'import json, shlex, sys
for e in json.load(open(sys.argv[1])):
    if e["file"] == sys.argv[2]:
        print(shlex.join(e["arguments"]))' "$1" "$2"
}

# time_command DIR LINE: median ms of BENCH_EDITS runs of LINE in DIR
time_command() {
    local t0 times=()
    for ((k = 0; k < edits; k++)); do
        t0=$(now_ms)
        (cd "$1" && eval "$2") >/dev/null 2>&1 || die "failed in $1: $2"
        times+=($(($(now_ms) - t0)))
    done
    printf '%s\n' "${times[@]}" | median
}

# ---------------------------------------------------------------- workloads
edit_small() {
    local small=$cache/edit-small
    rm -rf "$small" && mkdir -p "$small/obj"
    cp "$root"/tests/reload/src/sources/{main.c,value.c,other.c,shared.h} "$small/"
    compdb "$small" obj -g "${cflag_words[@]}" -- main.c value.c other.c
    for f in main value other; do (cd "$small" && gcc -g "${cflag_words[@]}" -c $f.c -o obj/$f.o) || die "building $f.c"; done
    OBJS=(obj/main.o obj/value.o obj/other.o) ARGS=()
    measure small "$small" value.c 'shared() + 1;' 'shared() + 2;'
}

edit_lua() {
    build_lua_objects
    local luasrc lua f files=()
    luasrc=$(fetch lua5.4)/src
    lua=$cache/edit-lua
    rm -rf "$lua" && mkdir -p "$lua/obj"
    cp "$luasrc"/*.c "$luasrc"/*.h "$lua/"
    rm -f "$lua/luac.c"
    for f in "$lua"/*.c; do files+=("$(basename "$f")"); done
    compdb "$lua" obj -g "${cflag_words[@]}" "${lua_defs[@]}" -I"$cache/lua/include" -- "${files[@]}"
    (cd "$lua" && compile_all "$lua/obj" -g "${cflag_words[@]}" "${lua_defs[@]}" -I"$cache/lua/include" -- "$lua"/*.c) ||
        die "building Lua"
    OBJS=()
    for f in "${files[@]}"; do OBJS+=("obj/${f%.c}.o"); done
    ARGS=("$bench/workloads/reload-serve.lua")
    measure lua "$lua" lvm.c '#define MAXTAGLOOP\t2000' '#define MAXTAGLOOP\t2001'
}

echo "edit to reload (ms, medians of $edits edits), under hotld --watch with compile_commands.json"
printf '%-10s %8s %8s %8s %8s | %13s %11s %11s\n' workload edit compile chain restart edit-compile edit/chain edit/restart
for w in $workloads; do
    case $w in
        small | lua) "edit_$w" ;;
        *) die "BENCH_EDIT_WORKLOADS: unknown workload '$w' (small, lua)" ;;
    esac
done
echo "  chain: entr runs the compile on a save, hotld --watch reloads the object; restart: compile, gcc link, run"
echo "  targets: edit-compile at most +100 ms; edit/chain below 1"
