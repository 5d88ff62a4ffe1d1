#!/usr/bin/env bash
# Archive members with the same name (src/members/): libparts.a holds
# a/part.o and b/part.o, both "part.o" (ar q, as builds that archive
# several directories make them). Each is its own object to hotld, the
# second "libparts.a(part.o#2)"; an edit of b/part.c reaches the running
# program, and a/part.o stays as it was.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# archive VER: libparts.a from a/part.c (version 1) and b/part.c (VER).
archive() {
    mkdir -p "$W/a" "$W/b"
    build a/part.o members/a/part.c -DVER=1 && build b/part.o members/b/part.c -DVER="$1" &&
        (cd "$W" && rm -f libparts.a && ar qc libparts.a a/part.o b/part.o && ranlib libparts.a)
}

test_members() {
    build main.o members/main.c
    archive 1
    builds_ok || return
    session_start --session "$SNAME" main.o "${ARCHIVE[@]}" || return
    query
    check first "1 10" "$(qv parts) $(qv parts "$QT" 2)" "part_a, part_b"
    client "$W" --session "$SNAME" --status
    check named-apart 2 "$(grep -cE 'libparts\.a\(part\.o(#2)?\) ' <<<"$R_OUT")" "--status lists both members"
    archive 2
    reload
    expect_reloaded reload 'libparts.a(part.o#2)'
    query
    check edited "1 20" "$(qv parts) $(qv parts "$QT" 2)" "part_a, part_b after the reload"
    session_stop
}

ARCHIVE=(libparts.a)
for_variants test_members gcc clang-O2
# Found on the library path, the archive is mapped rather than read: an
# edit of it reaches the program all the same.
ARCHIVE=(-L. -lparts) RL_SCRIPT=members-by-lib
for_variants test_members gcc
