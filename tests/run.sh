#!/usr/bin/env bash
# Run test scripts and print one summary line.
#
# A test script is any executable tests/<suite>/*.sh. It prints one line per
# check: "ok NAME" or "not ok NAME: why". A script that exits non-zero
# after printing no "not ok" line counts as one extra failure, so a crashing
# script is never silent.
#
# Usage: tests/run.sh [-j N] [SUITE-OR-SCRIPT...]
# With no arguments, every suite but thirdparty (the real programs: make
# test-real). -j N runs N scripts at once (default: one more than the
# cores, as the scripts also wait on the programs they run);
# each script's lines are printed together when it ends, in start order:
# the longest first, by their times in the last run (HOTLD_CACHE/times),
# so that no long script starts last and runs on alone at the end.
# HOTLD_CACHE (default ~/.cache/hotld/tests) holds fetched sources and the
# builds of the programs tests run, keyed by what built them: every clone
# shares them, and they are kept between runs.
# The compilers the scripts run (gcc, g++, clang, clang++, cc, c++) go
# through ccache when it is installed, its cache in HOTLD_CACHE/ccache
# (or CCACHE_DIR, if set); HOTLD_CCACHE=0 runs them as they are.
# HOTLD_KEEP_TMP=1 keeps each script's work directory (/tmp/hotld-test.*),
# with its sessions' output, for a failure's post-mortem.
set -u
cd "$(dirname "$0")/.."
export HOTLD_ROOT=$PWD
export HOTLD=${HOTLD:-$PWD/build/hotld}
export HOTLD_ASAN=${HOTLD_ASAN:-$PWD/build/asan/hotld}
export HOTLD_CACHE=${HOTLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}
mkdir -p "$HOTLD_CACHE"

# With compiles cached, two scripts left the two cores of the machine it
# was measured on idle a sixth of the time: 640 s; three took 556 s, four
# 600 s (more CPU time, spent competing).
jobs=$(( $(nproc) + 1 ))
if [ "${1:-}" = -j ]; then jobs=$2; shift 2; fi

scripts=()
if [ "$#" -eq 0 ]; then
    for d in tests/*/; do [ "$d" = tests/thirdparty/ ] || set -- "$@" "$d"; done
fi
for arg in "$@"; do
    if [ -d "$arg" ]; then
        for f in "${arg%/}"/*.sh; do [ -x "$f" ] && scripts+=("$f"); done
    else
        scripts+=("$arg")
    fi
done

# Longest first (a script with no time yet counts as longest), ties in
# the order given.
times=$HOTLD_CACHE/times
[ "${#scripts[@]}" -eq 0 ] ||
    mapfile -t scripts < <(printf '%s\n' "${scripts[@]}" |
        awk -v times="$times" 'BEGIN { while ((getline line < times) > 0) { split(line, f, " "); ms[f[2]] = f[1] } }
            { print ($0 in ms ? ms[$0] : 1e12), NR, $0 }' | sort -k1,1gr -k2,2n | cut -d' ' -f3-)

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
: >"$logs/times"

# Most of what the scripts compile is the same from one run to the next:
# cached, tests/link/programs.sh takes 43 s instead of 102 on its own,
# and the suite 1,050 s of CPU time instead of 1,240. Links named
# after a compiler make ccache run the next one of that name in PATH.
# Compiles with -g in a script's own (new) directory miss, as ccache
# hashes the directory that goes into their DWARF.
ccache=$(command -v ccache)
if [ "${HOTLD_CCACHE:-1}" != 0 ] && [ -n "$ccache" ]; then
    mkdir "$logs/ccache"
    for cc in gcc g++ clang clang++ cc c++; do ln -s "$ccache" "$logs/ccache/$cc"; done
    export PATH=$logs/ccache:$PATH CCACHE_DIR=${CCACHE_DIR:-$HOTLD_CACHE/ccache}
fi

# A version manager's python3 is a shim: pyenv's runs a dozen bash
# scripts (20 processes) before the interpreter, 0.4 s a call here, and
# the scripts call python3 hundreds of times. They run the interpreter it
# picks, directly.
python=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) &&
    [ -x "$python" ] && export PATH=${python%/*}:$PATH

# cpu_ms FILE: the CPU time (user + system) of a shell's ended children,
# in ms, from the second line of its `times` in FILE: "0m1.250s 0m0.420s".
cpu_ms() {
    awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); ms += (t[1] * 60 + t[2]) * 1000 } }
         END { printf "%d", ms }' "$1"
}

# run_one I SCRIPT: its output and how it ended (status, wall and CPU
# time in ms), in $logs/I.*. Run in a subshell of its own, whose ended
# children are the script and all it waited for.
run_one() {
    local start=${EPOCHREALTIME/[.,]/} rc
    "$2" >"$logs/$1.out" 2>&1
    rc=$?
    times >"$logs/$1.times"
    # Renamed into place: the loop below takes the file's existence as the
    # script's end, and must never read it half written (it once read an
    # empty one: no exit status, no time).
    echo "$rc $(( (${EPOCHREALTIME/[.,]/} - start) / 1000 )) $(cpu_ms "$logs/$1.times")" >"$logs/$1.ending"
    mv "$logs/$1.ending" "$logs/$1.end"
}

# report I SCRIPT: print what run_one left, and add it to the totals.
passed=0 failed=0
report() {
    local log=$logs/$1.out s=$2 rc ms cpu p f
    read -r rc ms cpu <"$logs/$1.end"
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    grep -E '^(ok|not ok) ' "$log" | sed "s|^|  |"
    if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
        [ "$f" -eq 0 ] && { f=1; echo "  not ok $s: exited $rc"; }
        echo "---- output of $s"; grep -vE '^(ok|not ok) ' "$log" | tail -n 40; echo "----"
    fi
    printf '%s: %d ok, %d failed (%d.%01ds, CPU %d.%01ds)\n' "$s" "$p" "$f" $((ms / 1000)) $((ms % 1000 / 100)) \
        $((cpu / 1000)) $((cpu % 1000 / 100))
    echo "$ms $s" >>"$logs/times"
    passed=$((passed + p)); failed=$((failed + f))
}

# running: how many scripts started and have not ended, in RUNNING. (Not
# $(...), nor sleep(1) below: the loop polls five times a second, and on
# a virtual machine each process costs milliseconds of a core the
# scripts share.)
running() {
    local i
    RUNNING=0
    for ((i = shown; i < next; i++)); do [ -e "$logs/$i.end" ] || RUNNING=$((RUNNING + 1)); done
}
mkfifo "$logs/nap"

next=0 shown=0
while [ "$shown" -lt "${#scripts[@]}" ]; do
    running
    while [ "$next" -lt "${#scripts[@]}" ] && [ "$RUNNING" -lt "$jobs" ]; do
        run_one "$next" "${scripts[$next]}" &
        next=$((next + 1)) RUNNING=$((RUNNING + 1))
    done
    while [ "$shown" -lt "$next" ] && [ -e "$logs/$shown.end" ]; do
        report "$shown" "${scripts[$shown]}"
        shown=$((shown + 1))
    done
    # A read that times out on a FIFO no one writes: a sleep, in this shell.
    [ "$shown" -lt "${#scripts[@]}" ] && { read -rt 0.2 <>"$logs/nap" || :; }
done
wait
# This run's times replace those of the scripts it ran.
awk 'NR == FNR { ms[$2] = $1; next } !($2 in ms) { print } END { for (s in ms) print ms[s], s }' \
    "$logs/times" "$times" 2>/dev/null >"$logs/times.all" || cp "$logs/times" "$logs/times.all"
mv "$logs/times.all" "$times.$$" && mv "$times.$$" "$times"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
