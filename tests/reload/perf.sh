#!/usr/bin/env bash
# perf names the program's code (issue 26): `perf record` of a program
# whose one hot function, burn(), is reloaded halfway. `perf report`
# gives burn most of the samples, and `perf script` finds samples in both
# bodies, the reloaded one's named burn and the first one's burn#0, as gdb
# names them; the samples fall on lines of hot.c. Call graphs are recorded by
# DWARF unwinding (the objects keep no frame pointer at -O2): burn's
# samples, in both bodies, are unwound up to main. The linked program's
# report names burn, its lines and its caller too (the oracle).
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

# burn's names: burn, or burn(long) as C++; its replaced version is
# burn#N, as gdb names it (burn(long)#N)
BURN='^burn(\(long\))?(#[0-9]+)?$'

# share DATA: burn's share of the samples, in percent (integer)
share() {
    perf report -q --stdio --no-children -g none -i "$1" --sort sym 2>/dev/null |
        awk -v burn="$BURN" '$NF ~ burn { gsub(/%/, "", $1); s += $1 } END { printf "%d", s }'
}

# source_lines DATA: the lines of hot.c that burn's samples fall on
source_lines() {
    perf report -q --stdio --no-children -g none -i "$1" --sort sym,srcline 2>/dev/null |
        awk '$3 == "burn" && $NF ~ /^hot\.c:[0-9]+$/ { print $NF }' | sort -u | tr '\n' ' '
}

# callers_of_burn DATA: "SAMPLES WITH_MAIN BODIES_WITH_MAIN": of the
# samples whose leaf is burn (either version), how many were unwound up to
# main, and in how many files (a version's image) such samples lie
callers_of_burn() {
    perf script -i "$1" -F ip,sym,dso 2>/dev/null | awk -v burn="$BURN" '
        function done() {
            if (leaf ~ burn) { n++; if (main) { m++; file[image] = 1 } }
            leaf = ""; main = 0
        }
        NF == 0 { done(); next }
        leaf == "" { leaf = $2; image = $NF; next }
        $2 == "main" { main = 1 }
        END { done(); for (f in file) k++; printf "%d %d %d", n, m, k }'
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
    local record=(perf record -q -e cpu-clock -F 499 --call-graph dwarf,4096)
    (cd "$W" && { (sleep 1; touch stop) & "${record[@]}" -o linked.data ./linked stop >/dev/null 2>&1; })
    local linked; linked=$(share "$W/linked.data")
    use hot1.o hot.o
    rm -f "$W/stop"
    (cd "$W" && "${record[@]}" -o hot.data "$HOT" --session "$SNAME" main.o hot.o -- stop \
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
    local names
    names=$(perf script -G -i "$W/hot.data" -F ip,sym 2>/dev/null | awk -v burn="$BURN" '$2 ~ burn { print $2 }' |
        sed 's/(long)//' | sort -u | tr '\n' ' ')
    if [[ " $names" == *" burn "* && " $names" =~ \ burn#[0-9]+\  ]]; then ok "$P/both-versions-named"
    else not_ok "$P/both-versions-named" "burn's samples are named [$names] (expected burn for the new body, burn#N for the old one)"; fi
    local lines want
    lines=$(source_lines "$W/hot.data") want=$(source_lines "$W/linked.data")
    if [ -n "$lines" ] && [ -n "$want" ]; then ok "$P/source-lines"
    else not_ok "$P/source-lines" "burn's samples have source lines [$lines] under hotld, [$want] linked"; fi
    local linked_calls got_calls
    read -r -a linked_calls <<<"$(callers_of_burn "$W/linked.data")"
    read -r -a got_calls <<<"$(callers_of_burn "$W/hot.data")"
    if [ "${got_calls[1]}" -ge $((got_calls[0] * 9 / 10)) ] && [ "${got_calls[2]}" -ge 2 ] &&
        [ "${linked_calls[1]}" -ge $((linked_calls[0] * 9 / 10)) ]; then
        ok "$P/dwarf-call-graph"
    else
        not_ok "$P/dwarf-call-graph" "of burn's samples, ${got_calls[1]} of ${got_calls[0]} unwound to main, in ${got_calls[2]} image files, under hotld (linked: ${linked_calls[1]} of ${linked_calls[0]})"
    fi
    # perf has read the image files: the test's own go (under perf record, hotld keeps them)
    rm -rf "/tmp/hotld-$(perf script -i "$W/hot.data" -F pid 2>/dev/null | head -n 1 | tr -d ' ')"-*
}

for_variants test_perf gcc clang-O2 gcc-cxx
