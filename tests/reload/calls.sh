#!/usr/bin/env bash
# Semantics 2: calls to changed functions go to the new code from
# everywhere: from an unchanged object, from old code still running (main.c
# is reloaded while its main loop runs; the loop calls static functions of
# its own file), through function pointers saved before the reload (in a
# frame of the old main, and in an unchanged object's data); and &f (global
# and static functions) is the same address before and after.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_calls() {
    build main.o calls/main.c -DVER=1
    build mod.o calls/mod.c -DVER=1
    build user.o calls/user.c
    build main2.o calls/main.c -DVER=2
    build mod2.o calls/mod.c -DVER=2
    builds_ok || return

    session_start --session "$SNAME" main.o mod.o user.o || return
    query
    local before=$QT
    all_eq v1-calls "call result" 1 "$(qv local)" "$(qv main)" "$(qv direct)" \
        "$(qv from_user)" "$(qv saved_global)" "$(qv saved_local)"
    all_eq v1-addresses-agree "address of mod_f" "$(qv addr_f)" \
        "$(qv addr_f_mod)" "$(qv addr_saved)"

    use main2.o main.o
    use mod2.o mod.o
    reload
    expect_reloaded reload "main.o mod.o" warnings
    # main is the same code in both versions: running on in its old body
    # is running the new code, and nothing is said of it
    check says-nothing-of-unchanged-main 0 \
        "$(printf '%s\n' "$R_ERR" | grep -c "^hotld: warning: 'main'.* keeps running its old code in thread ")" \
        "warnings that main's running loop keeps its old code"

    query
    check static-called-by-running-old-main 2 "$(qv local)" "local_ver's version"
    check static-report-called-by-old-main 2 "$(qv main)" "report's version"
    check direct-call-from-new-code 2 "$(qv direct)" "mod_f() from report"
    check call-from-unchanged-object 2 "$(qv from_user)" "mod_f() from user.o"
    check pointer-in-unchanged-data 2 "$(qv saved_global)" "user_saved() (pointer set at load time)"
    check pointer-saved-in-old-frame 2 "$(qv saved_local)" "saved() (pointer in old main's frame)"
    check addr-global-fn-same "$(qv addr_f "$before")" "$(qv addr_f)" "&mod_f as main.o version 2 sees it"
    check addr-global-fn-same-in-new-object "$(qv addr_f "$before")" "$(qv addr_f_mod)" "&mod_f as mod.o version 2 sees it"
    check addr-saved-pointer-unchanged "$(qv addr_f "$before")" "$(qv addr_saved)" "user_saved"
    check addr-static-fn-same "$(qv addr_local "$before")" "$(qv addr_local)" "&local_ver"

    session_stop
}

for_variants test_calls
