#!/usr/bin/env bash
# The reload report counts a function as changed when only a string
# literal it returns changed: its bytes are the same, the string its
# relocation reaches is not. Rebuilding with the same literal reloads
# nothing. An object whose DWARF hotld cannot read (gcc -gz=zlib-gnu's
# .zdebug sections) is reloaded with a warning that its variables are
# judged by their sizes alone; one built with -g or without it, none.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_report() {
    build main.o report/main.c
    build greeting.o report/greeting.c '-DGREETING="hello"'
    build greeting2.o report/greeting.c '-DGREETING="world"'
    builds_ok || return

    session_start --session "$SNAME" main.o greeting.o || return
    send go
    wait_for '^says ' "$S_OUT"
    check before "says hello" "$(grep '^says ' "$S_OUT" | tail -n 1)" "line"

    use greeting2.o greeting.o
    reload
    expect_reloaded reload "greeting.o"
    if parse_report "$R_OUT"; then
        check literal-change-counts "1 changed, 0 added, 0 removed" \
            "$RP_FCHANGED changed, $RP_FADDED added, $RP_FREMOVED removed" "report counts"
    fi
    send go
    wait_for '^says world' "$S_OUT"
    check after "says world" "$(grep '^says ' "$S_OUT" | tail -n 1)" "line"

    session_stop
}

# unread_dwarf NAME FLAGS WARNS: greeting.o built with FLAGS, reloaded;
# WARNS (yes or no): the report warns that its DWARF cannot be read.
unread_dwarf() {
    local name=$1 flags=$2 warns=$3
    build main.o report/main.c
    build greeting.o report/greeting.c $flags '-DGREETING="hello"'
    build greeting2.o report/greeting.c $flags '-DGREETING="world"'
    builds_ok || return
    session_start --session "$SNAME-$name" main.o greeting.o || return
    use greeting2.o greeting.o
    reload
    expect_reloaded "$name-reload" "greeting.o" warnings
    local said=no
    grep -q "greeting.o: its DWARF cannot be read" <<<"$R_ERR" && said=yes
    check "$name-warns" "$warns" "$said" "a warning that the DWARF cannot be read"
    session_stop
}

test_unread_dwarf() {
    unread_dwarf zdebug "-g -gz=zlib-gnu" yes
    unread_dwarf plain-g "-g" no
    unread_dwarf no-g "" no
}

for_variants test_report
for_variants test_unread_dwarf gcc gcc-O2
