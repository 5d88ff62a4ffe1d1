#!/usr/bin/env bash
# The reload report counts a function as changed when only a string
# literal it returns changed: its bytes are the same, the string its
# relocation reaches is not. Rebuilding with the same literal reloads
# nothing. A function that reads a static which only moved in its section
# (another added before it) is not changed; one that now reads another
# static, at the place the first had, is. An object whose DWARF hotld cannot read (gcc -gz=zlib-gnu's
# .zdebug sections, DWARF 4 type units), that is split into a .dwo file
# (-gsplit-dwarf), or that gives no variable a type (-g1) is reloaded
# with a warning saying so, and that its variables are judged by their
# sizes alone; one built with -g (also -fdebug-types-section's DWARF 5
# type units, which are read) or without it, none. An object linked by
# ld -r from a -g1 file and a -g one has each variable whose type cannot
# be read named.
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

# statics_moved: a function is changed when what it reads is another
# static, not when that static only moved in its section.
statics_moved() {
    build main.o report/main.c
    local v
    for v in 1 2 3; do build statics$v.o report/statics.c -DVER=$v; done
    builds_ok || return
    cp "$W/statics1.o" "$W/statics.o"
    session_start --session "$SNAME-statics" main.o statics.o || return
    use statics2.o statics.o
    reload
    expect_reloaded statics-moved-reload "statics.o"
    parse_report "$R_OUT" && check statics-moved-counts "0 changed, 1 added" \
        "$RP_FCHANGED changed, $RP_FADDED added" "report counts"
    use statics3.o statics.o
    reload
    expect_reloaded statics-swapped-reload "statics.o"
    parse_report "$R_OUT" && check statics-swapped-counts "1 changed, 0 added, 1 removed" \
        "$RP_FCHANGED changed, $RP_FADDED added, $RP_FREMOVED removed" "report counts"
    session_stop
}

# unread_dwarf NAME FLAGS WHY [GONE]: greeting.o built with FLAGS,
# reloaded (with file GONE removed first); the report warns that its
# variables are judged by their sizes alone, for the reason WHY ("its
# DWARF ..."), or not at all (WHY "none").
unread_dwarf() {
    local name=$1 flags=$2 why=$3 gone=${4:-}
    build main.o report/main.c
    build greeting.o report/greeting.c $flags '-DGREETING="hello"'
    build greeting2.o report/greeting.c $flags '-DGREETING="world"'
    builds_ok || return
    session_start --session "$SNAME-$name" main.o greeting.o || return
    use greeting2.o greeting.o
    [ -z "$gone" ] || rm -f "$W/$gone"
    reload
    expect_reloaded "$name-reload" "greeting.o" warnings
    local said
    said=$(sed -n 's/^hotld: warning: greeting.o: \(.*\): its variables are judged by their sizes alone .*/\1/p' <<<"$R_ERR")
    check "$name-warns" "$why" "${said:-none}" "the warning that the DWARF says no variable's type"
    session_stop
}

# mixed_dwarf: greeting.o linked (ld -r) from greeting.c built with -g1
# and tally.c built with -g: the reload names each variable whose DWARF
# type cannot be read, and none whose type is read.
mixed_dwarf() {
    build main.o report/main.c
    build hello.o report/greeting.c -g1 '-DGREETING="hello"'
    build world.o report/greeting.c -g1 '-DGREETING="world"'
    build tally.o report/tally.c -g
    builds_ok || return
    ld -r -o "$W/greeting.o" "$W/hello.o" "$W/tally.o" && ld -r -o "$W/greeting2.o" "$W/world.o" "$W/tally.o" ||
        { not_ok "$P/mixed-build" "ld -r failed"; return; }
    session_start --session "$SNAME-mixed" main.o greeting.o || return
    use greeting2.o greeting.o
    reload
    expect_reloaded mixed-reload "greeting.o" warnings
    local said
    said=$(sed -n "s/^hotld: warning: variable '\([a-z]*\)' of greeting.o: its DWARF type cannot be read: .*/\1/p" \
        <<<"$R_ERR" | sort | tr '\n' ' ')
    check mixed-names-untyped "greetings said " "$said" "variables named as judged by size"
    session_stop
}

# split_in_place: greeting.o built with -gsplit-dwarf, then rebuilt in
# place, its greeting.dwo rewritten: the running version's types were read
# while its .dwo was its own, and its swapped fields follow their names.
split_in_place() {
    build main.o report/main.c
    build greeting.o report/split.c -g -gsplit-dwarf -DVER=1
    builds_ok || return
    session_start --session "$SNAME-split" main.o greeting.o || return
    send go
    wait_for '^says ' "$S_OUT"
    # Answered once the session has read what it reads after main starts,
    # the running version's types among it: a rebuild within milliseconds
    # of the start may come first (then the reload says it cannot read them).
    client "$S_DIR" --session "$SNAME-split" --status
    build greeting.o report/split.c -g -gsplit-dwarf -DVER=2
    reload
    expect_reloaded split-in-place-reload "greeting.o"
    send go
    wait_for '^says 3' "$S_OUT"
    check split-in-place-migrated "says 2 20|says 3 20" "$(grep '^says ' "$S_OUT" | tr '\n' '|' | sed 's/|$//')" \
        "pair.a and pair.b across the reload"
    session_stop
}

test_unread_dwarf() {
    split_in_place
    mixed_dwarf
    unread_dwarf zdebug "-g -gz=zlib-gnu" "its DWARF cannot be read"
    unread_dwarf dwarf4-type-units "-g -gdwarf-4 -fdebug-types-section" "its DWARF cannot be read"
    unread_dwarf dwarf4-type-units-split "-g -gdwarf-4 -fdebug-types-section -gsplit-dwarf" \
        "its DWARF is split into a .dwo file (-gsplit-dwarf) that cannot be read, or was rebuilt since"
    unread_dwarf split "-g -gsplit-dwarf" none
    unread_dwarf split-dwo-gone "-g -gsplit-dwarf" \
        "its DWARF is split into a .dwo file (-gsplit-dwarf) that cannot be read, or was rebuilt since" greeting2.dwo
    unread_dwarf g1 "-g1" "its DWARF gives none of its variables a type (built with -g1?)"
    unread_dwarf plain-g "-g" none
    unread_dwarf type-units "-g -fdebug-types-section" none
    unread_dwarf no-g "" none
}

for_variants test_report
for_variants statics_moved
for_variants test_unread_dwarf gcc
