#!/usr/bin/env bash
# An object rebuilt from a file of another name keeps its statics: version
# 2 of counter.o is compiled from counter_v2.c, a copy of counter.c (as a
# build that patches a copy does; lua.sh's reload does so). Its DWARF
# names another unit, so the statics' scope keys differ; before, they were
# taken for new variables and reset to their initial values, silently
# ("1 new"). The counter must go on from where it was.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_renamed() {
    build main.o renamed/main.c -g && build counter1.o renamed/counter.c -g -DVER=1
    cp "$RL_SRC/renamed/counter.c" "$W/counter_v2.c"
    (cd "$W" && "$CC" "${CFL[@]}" -g -I"$RL_SRC" -DVER=2 -c counter_v2.c -o counter2.o) >"$W/v2.log" 2>&1 ||
        RL_BUILD_ERRORS="$RL_BUILD_ERRORS; counter_v2.c: $(head -c 300 "$W/v2.log")"
    builds_ok || return
    use counter1.o counter.o
    session_start --session "$SNAME" main.o counter.o || return
    query
    query
    check before "102 2" "$(qv tick) $(qv calls)" "tick, calls"
    use counter2.o counter.o
    reload
    expect_reloaded renamed-unit counter.o
    query
    check statics-kept "1103 3" "$(qv tick) $(qv calls)" "tick and calls after the reload"
    session_stop
}

for_variants test_renamed gcc clang-O2 gcc-asan
