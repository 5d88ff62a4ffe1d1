#!/usr/bin/env bash
# Relaxed GOT loads across reloads (issue 20): main.o, built -fPIC, reads
# level and calls bump through GOT loads that the link relaxes, as ld
# does, into direct references (lea, addr32 call). A reload of data.o
# widens level from int to long, so it migrates to new storage; main.o is
# not reloaded, and its relaxed loads must now reach the new storage,
# as its GOT slots would. Each answer is what C says: bump() increments
# level and returns it, and main then reads the same value. The reload
# warns that main.o, not rebuilt, reads level as the int it was.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_gotx() {
    build main.o gotx/main.c -g -fPIC && build data1.o gotx/data.c -g -fPIC -DVER=1 &&
        build data2.o gotx/data.c -g -fPIC -DVER=2
    builds_ok || return
    if readelf -rW "$W/main.o" | grep -q 'GOTPCRELX.* level'; then ok "$P/main-has-gotpcrelx"
    else not_ok "$P/main-has-gotpcrelx" "main.o reaches level without a relaxable GOT load"; fi
    use data1.o data.o
    session_start --session "$SNAME" main.o data.o || return
    query
    check first "11 11 1" "$(qv level) $(qv level "$QT" 2) $(qv same-bump)" "level as main reads it, as bump returns it; bump's address"
    use data2.o data.o
    reload
    expect_reloaded widened data.o warnings
    check widened-warned "hotld: warning: data.o: 'level' changed type (widened), and main.o uses it as it was: rebuild main.o, or its reads and writes go to the old layout" \
        "$(grep 'as it was' <<<"$R_ERR")" "the reload's warning (main.o reads level as an int)"
    query
    check migrated "12 12 1" "$(qv level) $(qv level "$QT" 2) $(qv same-bump)" "after the reload"
    query
    check again "13 13 1" "$(qv level) $(qv level "$QT" 2) $(qv same-bump)" "one query later"
    session_stop
}

for_variants test_gotx gcc gcc-O2 clang-O2 gcc-asan
