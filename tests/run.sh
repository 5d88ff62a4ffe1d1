#!/usr/bin/env bash
# Run every test script under tests/*/ and print one summary line.
#
# A test script is any executable tests/<suite>/*.sh. It prints one line per
# check: "ok NAME" or "not ok NAME: why". A script that exits non-zero
# after printing no "not ok" line counts as one extra failure, so a crashing
# script is never silent. Usage: tests/run.sh [SUITE-OR-SCRIPT...]
set -u
cd "$(dirname "$0")/.."
export HOTLD_ROOT=$PWD
export HOTLD=${HOTLD:-$PWD/build/hotld}
export HOTLD_ASAN=${HOTLD_ASAN:-$PWD/build/asan/hotld}
export HOTLD_CACHE=${HOTLD_CACHE:-$PWD/tests/.cache}
mkdir -p "$HOTLD_CACHE"

scripts=()
if [ "$#" -eq 0 ]; then set -- tests/*/; fi
for arg in "$@"; do
    if [ -d "$arg" ]; then
        for f in "$arg"/*.sh; do [ -x "$f" ] && scripts+=("$f"); done
    else
        scripts+=("$arg")
    fi
done

passed=0 failed=0
log=$(mktemp)
for s in "${scripts[@]}"; do
    start=$(date +%s%N)
    "$s" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    grep -E '^(ok|not ok) ' "$log" | sed "s|^|  |"
    if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
        [ "$f" -eq 0 ] && { f=1; echo "  not ok $s: exited $rc"; }
        echo "---- output of $s"; grep -vE '^(ok|not ok) ' "$log" | tail -n 40; echo "----"
    fi
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    printf '%s: %d ok, %d failed (%d.%01ds)\n' "$s" "$p" "$f" $((ms / 1000)) $((ms % 1000 / 100))
    passed=$((passed + p)); failed=$((failed + f))
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
