#!/usr/bin/env bash
# Stress: eight threads call into mod.o without pause while mod.o is
# reloaded STRESS_RELOADS times (default 30; make fuzz runs 1,000),
# alternating between two
# versions. Every reload must succeed, the program must not crash, and no
# update to kept state may be lost: each thread's own count of its calls
# equals mod.o's count for it, and their sum equals mod.o's total.
# Memory is bounded, not just in proportion: the first two reloads load
# the two versions, and every later one brings one of them back
# (reload/reuse.c) instead of loading a copy, so the resident memory after
# the last reload is within RSS_SLACK_KIB (default 256) of what it was
# after the tenth. gcc, clang, and the ASan+UBSan build
# (STRESS_ASAN_RELOADS, default 20; make fuzz runs 300). Eight threads
# that never pause keep both cores busy for as long as it runs: more
# reloads here cost the rest of the suite their time.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_stress() {
    local n=${STRESS_RELOADS:-30}
    case $V in *-asan*) n=${STRESS_ASAN_RELOADS:-20} ;; esac
    build main.o stress/main.c
    build mod1.o stress/mod.c -DVER=1
    build mod2.o stress/mod.c -DVER=2
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    # The reloading commands, as lean as a loop can be: a thousand of them.
    local i failed=0 warm=10 rss0=""
    : >"$W/reloads.err"
    : >"$W/reloads.out"
    for ((i = 1; i <= n; i++)); do
        cp "$W/mod$((i % 2 + 1)).o" "$W/mod.o"
        (cd "$W" && exec env "${HOT_ENV[@]}" "$HOT" "${S_ARGS[@]}") </dev/null >>"$W/reloads.out" 2>>"$W/reloads.err" ||
            failed=$((failed + 1))
        if [ "$i" -eq "$warm" ]; then query; rss0=$(qv rss); fi
    done
    check "reloads-succeed" "0 of $n failed" "$failed of $n failed" \
        "failed reloads (first error: $(grep -m1 error "$W/reloads.err"))"
    check "versions-brought-back" "$((n - 2))" "$(grep -c ': version [12] again ' "$W/reloads.out")" \
        "reloads that brought a version back"
    query
    local rss1; rss1=$(qv rss)
    send stop
    wait_for '^stopped$' "$S_OUT" 30
    query
    check versions-both-ran 6 "$(qv versions)" "versions seen (bit mask)"
    check no-lost-update 1 "$(qv exact)" "exact counts (calls $(qv calls), total $(qv total))"
    local slack=${RSS_SLACK_KIB:-256}
    echo "# $P: $n reloads, RSS $rss0 KiB after $warm, $rss1 KiB after $n (slack $slack)"
    case $V in *-asan*) ;; *)
    if [ $((rss1 - rss0)) -le "$slack" ]; then ok "$P/rss-bounded"; else
        not_ok "$P/rss-bounded" "RSS grew from $rss0 KiB after $warm reloads to $rss1 KiB after $n, more than $slack KiB"
    fi ;;
    esac
    session_stop
}

for_variants test_stress gcc clang gcc-asan
