#!/usr/bin/env bash
# Semantics 4: globals, file statics and function statics keep their values
# and addresses across a reload when their size is unchanged; a pointer
# taken before the reload sees writes made by the new code; same-named
# statics in two objects stay separate; new variables (global, file static,
# function static) start at their initial values; a variable whose size
# changed, with no DWARF to say how, fails the reload naming it (the
# program untouched) unless --on-conflict=reset is given: it is then
# re-initialized, with a warning naming it. Also run with the
# ASan+UBSan build of hotld (variant gcc-asan).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# addr KEY [TAG]: the address printed after KEY's value.
addr() { qv "$1" "${2:-$QT}" 2; }

test_state() {
    build main.o state/main.c
    build mod.o state/mod_v1.c
    build other.o state/other_v1.c
    build mod2.o state/mod_v2.c
    build other2.o state/other_v2.c
    builds_ok || return

    session_start --session "$SNAME" main.o mod.o other.o || return
    send bump; send bump
    query
    local q1=$QT
    all_eq v1-state "value" "12 22 32 2002 1002 7 12" \
        "$(qv counter) $(qv file_static) $(qv func_static) $(qv mod_twin) $(qv other_twin) $(qv resized) $(qv via_saved_ptr)"

    use mod2.o mod.o
    use other2.o other.o
    reload
    expect_failed resize-needs-reset "variable 'g_resized' of .*: size changed \(4 -> 8 bytes\), no DWARF to say how; reload aborted: .*--on-conflict=reset"
    query
    check failed-reload-changes-nothing "12 1" "$(qv counter) $(qv mod_ver)" "g_counter and mod.o's version"
    client "$S_DIR" --on-conflict=reset "${S_ARGS[@]}"
    expect_reloaded reload "mod.o other.o" warnings
    if printf '%s\n' "$R_ERR" | grep -qE "^hotld: warning: .*'g_resized'.*re-initiali[sz]ed"; then
        ok "$P/resize-warning"
    else
        not_ok "$P/resize-warning" "no stderr line \"hotld: warning: ... 'g_resized' ... re-initialized\"; $(client_said)"
    fi
    if parse_report "$R_OUT"; then
        check report-counts "1 reset, 3 new" "$RP_VRESET reset, $RP_VNEW new" "variable counts"
    else
        not_ok "$P/report-counts" "no report line; $(client_said)"
    fi

    query
    check new-code-running 2 "$(qv mod_ver)" "mod.o version"
    check global-value-kept 12 "$(qv counter)" "g_counter"
    check global-address-kept "$(addr counter "$q1")" "$(addr counter)" "&g_counter"
    check file-static-value-kept 22 "$(qv file_static)" "s_file"
    check file-static-address-kept "$(addr file_static "$q1")" "$(addr file_static)" "&s_file"
    check function-static-value-kept 32 "$(qv func_static)" "s_func"
    check function-static-address-kept "$(addr func_static "$q1")" "$(addr func_static)" "&s_func"
    check twin-static-mod-kept "2002 $(addr mod_twin "$q1")" "$(qv mod_twin) $(addr mod_twin)" "mod.o's twin (value address)"
    check twin-static-other-kept "1002 $(addr other_twin "$q1")" "$(qv other_twin) $(addr other_twin)" "other.o's twin (value address)"
    check resized-reinitialized "50 51" "$(qv resized) $(qv resized "$QT" 2)" "g_resized[0] g_resized[1]"
    check new-global-initial 77 "$(qv new_global)" "g_new"
    check new-file-static-initial 88 "$(qv new_file_static)" "s_new"
    check new-function-static-initial 99 "$(qv new_func_static)" "s_fnew"

    send bump
    query
    check pointer-sees-new-writes 112 "$(qv via_saved_ptr)" "*saved_counter after a version-2 bump"
    check pointer-still-same "$(qv saved_ptr "$q1")" "$(qv saved_ptr)" "saved_counter"
    all_eq v2-bump "value" "112 122 132 2102 1012 150 78 89 100" \
        "$(qv counter) $(qv file_static) $(qv func_static) $(qv mod_twin) $(qv other_twin) $(qv resized) $(qv new_global) $(qv new_file_static) $(qv new_func_static)"

    session_stop
}

for_variants test_state $RL_VARIANTS gcc-asan
