#!/usr/bin/env bash
# A program that rewrites its argv (a process title, as nginx's master
# does) is still the program the same command names: running that
# command again reloads it (before: the session compared the request
# with the program's own argv, met its NULL, and died of SIGSEGV).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_argv() {
    build main.o argv/main.c && build version1.o argv/version.c -DVER=1 && build version2.o argv/version.c -DVER=2
    builds_ok || return
    use version1.o version.o
    session_start --session "$SNAME" main.o version.o -- one two || return
    query
    check first 1 "$(qv version)" "version() before"
    use version2.o version.o
    reload
    expect_reloaded same-command-reloads version.o
    query
    check reloaded 2 "$(qv version)" "version() after"
    session_stop
}

for_variants test_argv gcc gcc-asan
