#!/usr/bin/env bash
# A variable that moves (here: widened, so it migrates) is referenced from
# the data of an object the reload does not replace: cfg in main.o holds
# its address and a message the program changed at run time. The reload
# relocates again only the field that points at the variable: cfg points
# at the migrated counter, and the message stays what the program made it.
# A field that pointed at the counter when linked, and that the program
# has pointed elsewhere since, is the program's: it stays. The reload
# warns that main.o, not rebuilt, uses the counter as it was.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_pointers() {
    build main.o pointers/main.c -g
    build mod1.o pointers/mod.c -g -DVER=1
    build mod2.o pointers/mod.c -g -DVER=2
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    send change
    query
    check changed "changed-at-run-time 1" "$(qv msg) $(qv points)" "message, points at the counter"
    use mod2.o mod.o
    reload
    expect_reloaded reload mod.o warnings
    # main.o, not rebuilt, takes the address of what it declares a char
    check warned "hotld: warning: mod.o: 'counter' changed type (widened), and main.o uses it as it was: rebuild main.o, or its reads and writes go to the old layout" "$R_ERR" "the reload's warning"
    query
    check message-kept "changed-at-run-time" "$(qv msg)" "the message the program set"
    check points-at-new-counter 1 "$(qv points)" "cfg.count is the counter mod.o uses"
    check spare-stays 1 "$(qv spare-is-own)" "cfg.spare is where the program pointed it"
    session_stop
}

for_variants test_pointers $RL_VARIANTS gcc-asan
