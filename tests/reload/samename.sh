#!/usr/bin/env bash
# Function statics and constants of one name, without DWARF to say whose
# they are. gcc names them NAME.N, numbered in the file's order: counts.o
# (src/samename/) has first()'s and second()'s static n, and their
# __func__, whose addresses main.o keeps. Version 2 puts the functions the
# other way round, and the numbers trade places. Built without -g (as
# pigz's Makefile builds), the reload swapped the two counters (the first
# went on from the second's value) and led the kept __func__ pointers to
# each other's name, saying "0 functions changed". The function that alone
# refers to such a static says whose it is: each count goes on, each kept
# name stays. With -g as well, DWARF says so.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_samename() {
    local g
    for g in nodebug debug; do
        local flags=()
        [ $g = debug ] && flags=(-g)
        build "main-$g.o" samename/main.c "${flags[@]}" &&
            build "counts1-$g.o" samename/counts.c "${flags[@]}" -DVER=1 &&
            build "counts2-$g.o" samename/counts.c "${flags[@]}" -DVER=2
    done
    builds_ok || return
    for g in nodebug debug; do
        use "main-$g.o" main.o; use "counts1-$g.o" counts.o
        session_start --session "$SNAME-$g" main.o counts.o || return
        send c; send c
        query
        check "$g/before" "102 502 first_name second_name" "$(qv counts) $(qv counts "$QT" 2) $(qv names) $(qv names "$QT" 2)" "answer"
        if [ $g = debug ] && [ "$CC" = gcc ]; then # numbered names, as the ambiguity error suggests
            local sym values=""
            for sym in $(nm "$W/counts.o" | awk '$3 ~ /^n\.[0-9]+$/ { print $3 }'); do
                client "$W" --session "$SNAME-$g" --print "$sym"
                values+="${R_OUT##* = } "
            done
            check "$g/print-numbered" "102 502" "$(printf '%s\n' $values | sort -n | tr '\n' ' ' | sed 's/ $//')" \
                "the values --print gives for gcc's numbered names"
        fi
        use "counts2-$g.o" counts.o
        reload
        expect_reloaded "$g/reloaded" counts.o
        send c
        query
        check "$g/counts-go-on" "103 503" "$(qv counts) $(qv counts "$QT" 2)" "counts"
        check "$g/names-stay" "first_name second_name" "$(qv names) $(qv names "$QT" 2)" "kept names"
        session_stop
    done
}

for_variants test_samename gcc gcc-O2 clang-O2 gcc-asan
