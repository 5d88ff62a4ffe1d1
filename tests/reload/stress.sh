#!/usr/bin/env bash
# Stress: eight threads call into mod.o without pause while mod.o is
# reloaded STRESS_RELOADS times (default 1000), alternating between two
# versions. Every reload must succeed, the program must not crash, and no
# update to kept state may be lost: each thread's own count of its calls
# equals mod.o's count for it, and their sum equals mod.o's total. The
# resident memory after the reloads is reported, and its growth per
# reload must stay below twice the object's size plus 64 KiB (old
# versions' code stays mapped: frames may return into it). gcc, clang,
# and the ASan+UBSan build (STRESS_ASAN_RELOADS, default 300).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_stress() {
    local n=${STRESS_RELOADS:-1000}
    case $V in *-asan*) n=${STRESS_ASAN_RELOADS:-300} ;; esac
    build main.o stress/main.c
    build mod1.o stress/mod.c -DVER=1
    build mod2.o stress/mod.c -DVER=2
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    query
    local rss0; rss0=$(qv rss)
    # The reloading commands, as lean as a loop can be: a thousand of them.
    local i failed=0
    : >"$W/reloads.err"
    for ((i = 1; i <= n; i++)); do
        cp "$W/mod$((i % 2 + 1)).o" "$W/mod.o"
        (cd "$W" && exec env "${HOT_ENV[@]}" "$HOT" "${S_ARGS[@]}") </dev/null >/dev/null 2>>"$W/reloads.err" ||
            failed=$((failed + 1))
    done
    check "reloads-succeed" "0 of $n failed" "$failed of $n failed" \
        "failed reloads (first error: $(grep -m1 error "$W/reloads.err"))"
    query
    local rss1; rss1=$(qv rss)
    send stop
    wait_for '^stopped$' "$S_OUT" 30
    query
    check versions-both-ran 6 "$(qv versions)" "versions seen (bit mask)"
    check no-lost-update 1 "$(qv exact)" "exact counts (calls $(qv calls), total $(qv total))"
    local size per limit
    size=$(stat -c %s "$W/mod.o")
    per=$(( (rss1 - rss0) / n )) limit=$(( (2 * size) / 1024 + 64 ))
    echo "# $P: $n reloads, RSS $rss0 -> $rss1 KiB, $per KiB per reload (limit $limit)"
    case $V in *-asan*) ;; *)
    if [ "$per" -le "$limit" ]; then ok "$P/rss-per-reload"; else
        not_ok "$P/rss-per-reload" "RSS grew $per KiB per reload ($rss0 -> $rss1 KiB), more than $limit"
    fi ;;
    esac
    session_stop
}

for_variants test_stress gcc clang gcc-asan
