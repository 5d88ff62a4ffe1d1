#!/usr/bin/env bash
# Variables whose types change carry their values by DWARF type (objects
# built with -g): a struct array whose elements gain fields keeps every
# element's values, with the new field at its initializer; swapped fields
# follow their names; integers widen, or narrow when the value fits; float
# becomes double; a user's hotld_migrate_NAME function converts what hotld
# cannot; an unchanged variable keeps its storage; pointers into a migrated
# variable, in kept variables and inside it, follow it to its new storage;
# function statics of the same name in different functions stay
# themselves when another one is added before them (DWARF scope keys); an
# array of an enum whose enumerators are renumbered keeps each value by
# name; bit-fields follow their names, moved or widened. A value that would be
# lost (a narrowing that does not fit, a removed field that holds data)
# goes to --on-conflict, and so does an incompatible change (int to float):
# abort fails the reload and leaves the program as it was; migrate (the
# default off a terminal) carries what can follow with a warning naming the
# loss, and fails the reload, leaving the program as it was, for a variable
# nothing of which can follow; reset re-initializes it with a warning; ask puts the
# questions, in name order, with both types side by side, to the
# requesting command's user, who may migrate it anyway or keep its bytes. gcc (DW_OP_addr)
# and clang (DW_OP_addrx), -O0 and -O2 (with -fcommon: common symbols),
# the ASan+UBSan build, gcc -gz -fdebug-types-section (the DWARF in
# zlib-compressed sections, and each struct and enum in a type unit of
# its own COMDAT group) and clang -O2 -fdebug-types-section -gsplit-dwarf
# (the variables and types in a .dwo file, the type units in sections of
# their own there), each of which lost every such type before, so that
# swapped fields, a renumbered enum and moved bit-fields were kept as
# bytes.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# state [TAG]: the program's answer as one line.
state() {
    local t=${1:-$QT}
    awk -v t="$t" '$1 == t && $2 != "end" { $1 = ""; sub(/^ /, ""); printf "%s|", $0 }' "$S_OUT"
}

V1_STATE="counts 2 20|p0 ann 2 2 -1|p1 bob 4 2 -1|p2 cid 6 2 -1|pair 21 42|scalars 2 2 9 70002 6|legacy 42|hits 2|bits 40490fdb|moods 1 1 1|flags -3 11 -1|pointers bob 6 cid|board 3 2 26|version 1|"

# start_played: a session of version 1, two rounds played.
start_played() {
    use game1.o game.o
    session_start --session "$SNAME" main.o game.o || return
    send play; send play
    query
    check v1-state "$V1_STATE" "$(state)" "state"
}

# reload_answering TEXT ARG...: a reload with TEXT on the command's stdin.
reload_answering() {
    local text=$1; shift
    printf '%s' "$text" >"$W/answers"
    ( [ -n "$S_FD" ] && exec {S_FD}>&-
      cd "$S_DIR" && exec env "${HOT_ENV[@]}" timeout -s KILL "$RL_CMD_TIMEOUT" "$HOT" "$@" "${S_ARGS[@]}" ) \
        <"$W/answers" >"$W/client.out" 2>"$W/client.err"
    R_RC=$? R_OUT=$(cat "$W/client.out") R_ERR=$(cat "$W/client.err")
}

# migration_lines: the report's per-variable lines, object paths left out.
migration_lines() {
    printf '%s\n' "$R_OUT" | grep -E "^hotld: (user-)?migrated " | sed 's/ of [^:]*:/:/; s/ of [^:]*$//' | sort | tr '\n' '|'
}

test_migrate() {
    # At -O2 the uninitialized globals are common symbols (-fcommon): their
    # DWARF is tied to the symbol, not to a section.
    local common=(); case $V in *-O2) common=(-fcommon) ;; esac
    build main.o migrate/main.c
    build game1.o migrate/game.c -g "${common[@]}" -DVER=1
    build game2.o migrate/game.c -g "${common[@]}" -DVER=2
    build game2-lossy.o migrate/game.c -g "${common[@]}" -DVER=2 -DBITS_UNCHANGED
    builds_ok || return

    start_played || return
    use game2.o game.o
    client "$S_DIR" --on-conflict=abort "${S_ARGS[@]}"
    expect_failed abort "variable '(bits|narrowed|stats)' of .*; reload aborted"
    query
    check abort-leaves-program "$V1_STATE" "$(state)" "state"

    reload
    expect_failed default-never-resets "variable 'bits' of .*: .*reload aborted: its value cannot follow the new type \(--on-conflict=reset re-initializes it"
    query
    check default-leaves-program "$V1_STATE" "$(state)" "state"

    client "$S_DIR" -v --on-conflict=reset "${S_ARGS[@]}"
    expect_reloaded reload game.o warnings
    parse_report "$R_OUT" &&
        check report-counts "8 kept, 8 migrated, 3 reset, 1 new" \
            "$RP_VKEPT kept, $RP_VMIGRATED migrated, $RP_VRESET reset, $RP_VNEW new" "variable counts"
    check migration-lines "hotld: migrated 'flags': shield bit-field moved, level bit-field resized, ready added|hotld: migrated 'moods': [] enumerators renumbered|hotld: migrated 'pair': layout changed|hotld: migrated 'players': [].id added, [].hp added|hotld: migrated 'ratio': float to double|hotld: migrated 'rounds': widened|hotld: migrated 'small': narrowed|hotld: user-migrated 'legacy'|" \
        "$(migration_lines)" "migration lines"
    if printf '%s\n' "$R_ERR" | grep -q "^hotld: warning: variable 'narrowed' of .*: a value at old byte offset 0 does not fit in 2 bytes: re-initialized$" &&
       printf '%s\n' "$R_ERR" | grep -q "^hotld: warning: variable 'stats' of .*: a removed part holds data (old byte offset 8 is not zero): re-initialized$"; then
        ok "$P/reset-warnings"
    else
        not_ok "$P/reset-warnings" "no warnings about 'narrowed' and 'stats'; $(client_said)"
    fi
    client "$S_DIR" --status --vars --session "$SNAME"
    local fates; fates=$(printf '%s\n' "$R_OUT" | awk '/^  / && $2 ~ /^(kept|migrated|user-migrated|reset|new|removed)$/ {
            if ($1 ~ /^(count[.][0-9]+|[a-z_]+[.]count)$/) $1 = "count"  # gcc count.N, clang f.count
            print $1, $2 }' | sort | tr '\n' '|')
    check status-vars "bits reset|board kept|count kept|count kept|count new|flags migrated|leader kept|legacy user-migrated|moods migrated|narrowed reset|pair migrated|play_count kept|players migrated|ratio migrated|round_count kept|rounds migrated|score_ptr kept|small migrated|stats reset|total kept|" \
        "$fates" "--status --vars"
    if printf '%s\n' "$R_OUT" | grep -q "^hotld: migrated 'players' of .*: \[\].id added, \[\].hp added$"; then
        ok "$P/status-vars-details"
    else
        not_ok "$P/status-vars-details" "no migration line in --status --vars; $(client_said)"
    fi
    query
    check v2-state "counts 2 20|p0 ann 2 2 100|p1 bob 4 2 100|p2 cid 6 2 100|pair 21 42|scalars 2 2 9 0 6|legacy 42|hits 0|bits 0.00000|moods 1 1 1|flags -3 11 0|pointers bob 6 cid|board 3 2 26|version 2|" \
        "$(state)" "state"
    send play
    query
    check v2-plays-on "counts 3 30|p0 ann 3 3 100|p1 bob 6 3 100|p2 cid 9 3 100|pair 31 62|scalars 3 4 10 1 9|legacy 42|hits 1|bits 0.00000|moods 1 1 1|flags -3 12 0|pointers bob 9 cid|board 4 2 36|version 2|" \
        "$(state)" "state"
    session_stop

    # Off a terminal, with nothing that cannot follow at all: what can
    # follow is migrated, and each loss is a warning (never a reset).
    start_played || return
    use game2-lossy.o game.o
    reload
    expect_reloaded default-migrates game.o warnings
    parse_report "$R_OUT" &&
        check default-counts "9 kept, 10 migrated, 0 reset" "$RP_VKEPT kept, $RP_VMIGRATED migrated, $RP_VRESET reset" \
            "variable counts"
    check default-says-losses 2 "$(printf '%s\n' "$R_ERR" | grep -cE "^hotld: warning: variable '(narrowed|stats)' of .*: migrated, with a loss: ")" \
        "loss warnings for narrowed and stats"
    check default-names-removed-field 1 "$(printf '%s\n' "$R_ERR" | grep -c "^hotld: warning: variable 'stats' of game.o: migrated, with a loss: .*misses removed")" \
        "the warning naming the removed field"
    check default-one-line 1 "$(nlines "$R_OUT")" "lines of the report (the variables' lines are -v's)"
    query
    check default-migrated "2 2 9 4466 6|2|40490fdb" \
        "$(qv scalars "$QT" 1) $(qv scalars "$QT" 2) $(qv scalars "$QT" 3) $(qv scalars "$QT" 4) $(qv scalars "$QT" 5)|$(qv hits)|$(qv bits)" \
        "scalars|hits|bits"
    session_stop

    # Asked, in name order: bits (incompatible: reset, keep or abort), then
    # narrowed and stats (migrate, reset or abort), then struct player
    # (objects of it elsewhere keep the old layout: reload or abort). A
    # wrong answer asks again; "k" keeps bits' bytes, "m" migrates the
    # others with the loss, the last "k" reloads anyway.
    start_played || return
    use game2.o game.o
    reload_answering $'x\nk\nm\nm\nk\n' --on-conflict=ask
    if [ "$R_RC" -eq 0 ] && parse_report "$R_OUT"; then
        check ask-counts "9 kept, 10 migrated, 0 reset" "$RP_VKEPT kept, $RP_VMIGRATED migrated, $RP_VRESET reset" \
            "variable counts"
    else
        not_ok "$P/ask-counts" "no report; $(client_said)"
    fi
    if grep -q "hotld: variable 'narrowed' of .*: a value at old byte offset 0 does not fit in 2 bytes$" "$W/client.err" &&
       [ "$(grep -o 'your choice \[rka\]?' "$W/client.err" | wc -l)" -eq 2 ] &&
       [ "$(grep -o 'your choice \[mra\]?' "$W/client.err" | wc -l)" -eq 2 ] &&
       grep -q "hotld: struct 'player' of .*: its layout changed (24 -> 48 bytes), .* (k: reload anyway)" "$W/client.err" &&
       [ "$(grep -o 'your choice \[ka\]?' "$W/client.err" | wc -l)" -eq 1 ]; then
        ok "$P/asked"
    else
        not_ok "$P/asked" "expected four questions and five prompts on stderr; $(client_said)"
    fi
    # stats, side by side: misses only in the old type, crits only in the new
    local sbs; sbs=$(awk "/variable 'stats'/ && !/warning:/ { on = 1; next } /^  m  migrate/ { on = 0 } on && !/old type/" \
        "$W/client.err" | tr -s ' ' | tr '\n' '|')
    local long="long int"; [ "$CC" = clang ] && long=long # each compiler's name for it
    check side-by-side " struct stats struct stats| +0 int hits; +0 int hits;| +8 $long misses; < | > +4 int crits;|" \
        "$sbs" "the stats question's types"
    query
    check asked-migrated "2 2 9 4466 6|2|3.14159" \
        "$(qv scalars "$QT" 1) $(qv scalars "$QT" 2) $(qv scalars "$QT" 3) $(qv scalars "$QT" 4) $(qv scalars "$QT" 5)|$(qv hits)|$(qv bits)" \
        "scalars|hits|bits"
    session_stop
}

for_variants test_migrate $RL_VARIANTS gcc-asan gcc-gz-dts clang-O2-dts-split
