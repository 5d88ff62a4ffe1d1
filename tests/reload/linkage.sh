#!/usr/bin/env bash
# A variable whose linkage changes keeps its value: counter.o's `hits`
# made a file static, then external again, in the same file. It is the
# same variable (a unit has one variable of a name at file scope), and a
# build without -g kept it (matched by name). With -g the DWARF keys
# differ ("hits" for an external, "counter.c:hits" for a file static), and
# it was a new variable: the count started again at 0, the report saying
# only "1 new". Now: 1 kept, and the count goes on, both ways, with and
# without -g. Made thread-local, it is other storage, which nothing can
# follow: by default the reload stops, saying so (it stopped before on a
# relocation: "thread-local reference to 'hits': not a thread-local
# variable"), and --on-conflict=reset starts it again.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# relink NAME [FLAG...]: the scenario, objects built with FLAGs.
relink() {
    local name=$1; shift
    build main.o linkage/main.c "$@" && build counter1.o linkage/counter.c -DVER=1 -DLINKAGE= "$@" &&
        build counter2.o linkage/counter.c -DVER=2 -DLINKAGE=static "$@" &&
        build counter3.o linkage/counter.c -DVER=3 -DLINKAGE= "$@" &&
        build counter4.o linkage/counter.c -DVER=4 -DLINKAGE=__thread "$@"
    builds_ok || return
    use counter1.o counter.o
    session_start --session "$SNAME" main.o counter.o || return
    query && query && query
    check "$name-first" 1003 "$(qv tick)" "tick() after three calls"
    use counter2.o counter.o
    reload
    expect_reloaded "$name-made-static" counter.o
    parse_report "$R_OUT" && check "$name-static-kept" "1 0 0" "$RP_VKEPT $RP_VNEW $RP_VREMOVED" "variables kept, new, removed"
    query
    check "$name-static-counts-on" 2004 "$(qv tick)" "tick(), the count kept"
    use counter3.o counter.o
    reload
    expect_reloaded "$name-made-external" counter.o
    parse_report "$R_OUT" && check "$name-external-kept" "1 0 0" "$RP_VKEPT $RP_VNEW $RP_VREMOVED" "variables kept, new, removed"
    query
    check "$name-external-counts-on" 3005 "$(qv tick)" "tick(), the count kept"
    use counter4.o counter.o
    reload
    check "$name-thread-local-stops" "1 yes" \
        "$R_RC $(case $R_ERR in *"'hits'"*"thread-local now; reload aborted"*) echo yes ;; esac)" \
        "exit status, and an error naming hits and why"
    client "$S_DIR" --session "$SNAME" --on-conflict=reset main.o counter.o
    expect_reloaded "$name-thread-local-reset" counter.o warnings
    query
    check "$name-thread-local-starts-again" 4001 "$(qv tick)" "tick(), the count started again"
    session_stop
}

test_linkage() {
    relink dwarf -g
    relink plain
}

for_variants test_linkage gcc clang-O2 gcc-asan
