#!/usr/bin/env bash
# A registry the linker builds from a section (__start_cmds to
# __stop_cmds): main.o and mod.o each put commands in it. A reload of mod.o
# keeps the program's registry whole (every object's entries, as the
# linked program has them), for the old code and the new alike (mod.o
# walks it too), with mod.o's entries brought up to date: the
# new code runs and an edited name shows. A reload that would add an
# entry cannot grow a running program's registry: it fails, naming the
# section and why, and the program is untouched. The expected registry is
# the same objects' linked by the compiler driver (GNU ld), run.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_registry() {
    local v
    build main.o registry/main.c -g
    for v in 1 2 3; do build mod$v.o registry/mod.c -g -DVER=$v; done
    builds_ok || return
    # linked VERSION: the registry line of main.o with modVERSION.o linked by gcc.
    linked() {
        "$CC" "${CFL[@]}" -o "$W/linked$1" "$W/main.o" "$W/mod$1.o" &&
            printf 'q o\nquit\n' | "$W/linked$1" |
            awk '$1 == "o" && $2 == "count" { c = $3 " " $4 } $1 == "o" && $2 == "cmds" { $1 = $2 = ""; sub(/^ +/, ""); print c, $0 }'
    }
    local want1 want2; want1=$(linked 1) want2=$(linked 2)
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o || return
    cmds() { awk -v t="$QT" '$1 == t && $2 == "cmds" { $1 = $2 = ""; sub(/^ +/, ""); print }' "$S_OUT"; }
    query
    check before "$want1" "$(qv count) $(qv count "$QT" 2) $(cmds)" "registry"
    use mod2.o mod.o
    reload
    expect_reloaded reload mod.o
    query
    check whole-and-current "$want2" "$(qv count) $(qv count "$QT" 2) $(cmds)" "registry"
    use mod3.o mod.o
    reload
    expect_failed cannot-grow "section 'cmds' of .*mod.o is a registry .*__start_cmds.* \\(32 -> 48 bytes\\)"
    query
    check untouched "$want2" "$(qv count) $(qv count "$QT" 2) $(cmds)" "registry"
    session_stop
}

for_variants test_registry $RL_VARIANTS gcc-asan
