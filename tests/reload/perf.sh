#!/usr/bin/env bash
# perf names the program's code (issue 26): `perf record` of a program
# whose one hot function, burn(), is reloaded halfway. `perf report`
# gives burn most of the samples, and `perf script` finds samples named
# burn at two addresses: the first version's body and the reloaded one's,
# and its samples fall on lines of hot.c. The linked program's report
# names burn and its lines too (the oracle).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

if ! "$HOTLD_ROOT/scripts/deps.sh" linux-perf >/dev/null 2>&1 || ! command -v perf >/dev/null; then
    not_ok perf/installed "perf is not installed, and scripts/deps.sh could not install linux-perf"
    exit 1
fi
if ! perf record -q -e cpu-clock -o "$TMP/probe.data" true >/dev/null 2>&1; then
    echo "# skipped: the kernel forbids perf events here (perf_event_paranoid $(cat /proc/sys/kernel/perf_event_paranoid))"
    ok perf/skipped-no-perf-events
    exit 0
fi

# share DATA: burn's share of the samples, in percent (integer)
share() {
    perf report -q --stdio -i "$1" --sort sym 2>/dev/null |
        awk '$NF == "burn" || $NF ~ /^burn\(/ { gsub(/%/, "", $1); s += $1 } END { printf "%d", s }'
}

# source_lines DATA: the lines of hot.c that burn's samples fall on
source_lines() {
    perf report -q --stdio -i "$1" --sort sym,srcline 2>/dev/null |
        awk '$3 == "burn" && $NF ~ /^hot\.c:[0-9]+$/ { print $NF }' | sort -u | tr '\n' ' '
}

test_perf() {
    local lang=()
    case $V in *-cxx) lang=(-x c++) ;; esac
    build main.o perf/main.c -g "${lang[@]}" && build hot1.o perf/hot.c -g "${lang[@]}" -DVER=1 &&
        build hot2.o perf/hot.c -g "${lang[@]}" -DVER=2
    builds_ok || return
    local cxx=$CC; [ ${#lang[@]} -gt 0 ] && cxx=${CC/clang/clang++} && cxx=${cxx/gcc/g++}
    (cd "$W" && "$cxx" main.o hot1.o -o linked) >"$W/link.log" 2>&1
    rm -f "$W/stop"
    (cd "$W" && { (sleep 1; touch stop) & perf record -q -e cpu-clock -o linked.data ./linked stop >/dev/null 2>&1; })
    local linked; linked=$(share "$W/linked.data")
    use hot1.o hot.o
    rm -f "$W/stop"
    (cd "$W" && perf record -q -e cpu-clock -o hot.data "$HOT" --session "$SNAME" main.o hot.o -- stop \
        >"$W/perf-run.out" 2>"$W/perf-run.err") &
    local rec=$!
    wait_for '^ready$' "$W/perf-run.out" || { not_ok "$P/runs" "$(cat "$W/perf-run.err")"; return; }
    sleep 0.8
    use hot2.o hot.o
    client "$W" --session "$SNAME" main.o hot.o -- stop
    [ "$R_RC" = 0 ] || not_ok "$P/reloaded" "$(client_said)"
    sleep 0.8
    touch "$W/stop"
    wait "$rec"
    local got; got=$(share "$W/hot.data")
    if [ "$linked" -ge 50 ] && [ "$got" -ge 50 ]; then ok "$P/report-names-burn"
    else not_ok "$P/report-names-burn" "burn has $got% of the samples under hotld, $linked% linked; $(perf report -q --stdio -i "$W/hot.data" --sort sym 2>/dev/null | head -n 4 | tr '\n' '|')"; fi
    local bodies
    bodies=$(perf script -i "$W/hot.data" -F ip,sym 2>/dev/null | awk '$2 == "burn" || $2 ~ /^burn\(/ { print substr($1, 1, length($1) - 3) }' | sort -u | wc -l)
    if [ "$bodies" -ge 2 ]; then ok "$P/both-versions-named"
    else not_ok "$P/both-versions-named" "samples named burn lie in $bodies code regions (expected the old body's and the new one's)"; fi
    local lines want
    lines=$(source_lines "$W/hot.data") want=$(source_lines "$W/linked.data")
    if [ -n "$lines" ] && [ -n "$want" ]; then ok "$P/source-lines"
    else not_ok "$P/source-lines" "burn's samples have source lines [$lines] under hotld, [$want] linked"; fi
    # perf has read the image files: the test's own go (under perf record, hotld keeps them)
    rm -rf "/tmp/hotld-$(perf script -i "$W/hot.data" -F pid 2>/dev/null | head -n 1 | tr -d ' ')"-*
}

for_variants test_perf gcc clang-O2 gcc-cxx
