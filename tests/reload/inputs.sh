#!/usr/bin/env bash
# Objects and archive members added and removed between invocations:
# an added object's constructor runs once and the weak reference that
# unchanged code holds now finds its definition; removing it again is a
# reload too; a changed archive member is reloaded alone; a member that a
# new version of an object needs is pulled from the rebuilt archive, while
# an unneeded one never is; dropping an object that others still use fails
# and leaves the program running.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# report_says NAME TEXT: the last client succeeded and its report has TEXT.
report_says() {
    if [ "$R_RC" -eq 0 ] && [[ $R_OUT == *"$2"* ]]; then ok "$P/$1"; else
        not_ok "$P/$1" "expected '$2' in the report; $(client_said)"
    fi
}

test_inputs() {
    build main.o inputs/main.c
    build a.o inputs/a.c -DVER=1
    build a2.o inputs/a.c -DVER=2
    build m1.o inputs/m1.c -DVER=1
    build m1v2.o inputs/m1.c -DVER=2
    build m2.o inputs/m2.c
    build m3.o inputs/m3.c
    build c.o inputs/c.c
    builds_ok || return
    (cd "$W" && ar rcs libx.a m1.o m2.o) || { not_ok "$P/archive" "ar failed"; return; }

    session_start --session "$SNAME" main.o a.o libx.a || return
    query
    check start-a "10" "$(qv a)"
    check start-weak-undefined "-1" "$(qv extra)"

    S_ARGS=(--session "$SNAME" main.o a.o c.o libx.a)
    reload
    report_says add-object "new c.o"
    query
    check added-constructor-ran-once "4001" "$(qv extra)"

    S_ARGS=(--session "$SNAME" main.o a.o libx.a)
    client "$W" "${S_ARGS[@]}"
    report_says remove-object "removed c.o"
    # c.o's variables, as nm sees them: 'constructed' (none with clang -O2,
    # which runs the constructor at compile time)
    parse_report "$R_OUT" && check remove-object-variables "0 $(nm "$W/c.o" | grep -c ' [bBdD] ')" \
        "$RP_VNEW $RP_VREMOVED" "variables new, and removed with c.o"
    query
    check after-removal-a "10" "$(qv a)"

    cp "$W/m1v2.o" "$W/m1.o"
    (cd "$W" && rm -f libx.a && ar rcs libx.a m1.o m2.o)
    reload
    report_says changed-member "libx.a(m1.o)"
    query
    check changed-member-applied "20" "$(qv a)"

    # a.o version 2 needs m3, which only the rebuilt archive has.
    (cd "$W" && rm -f libx.a && ar rcs libx.a m1.o m2.o m3.o)
    use a2.o a.o
    reload
    report_says new-member-pulled "new libx.a(m3.o)"
    [[ $R_OUT != *m2.o* ]] && ok "$P/unneeded-member-not-pulled" ||
        not_ok "$P/unneeded-member-not-pulled" "$R_OUT"
    query
    check new-member-used "320" "$(qv a)"

    S_ARGS=(--session "$SNAME" main.o libx.a)
    client "$W" "${S_ARGS[@]}"
    expect_failed remove-used-object-fails "a_value"
    query
    check program-untouched "320" "$(qv a)"

    session_stop
}

for_variants test_inputs
