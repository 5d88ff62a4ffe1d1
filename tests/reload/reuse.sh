#!/usr/bin/env bash
# Versions brought back (reload/reuse.c): mod.o edited back and forth
# between two versions. The first time each version's bytes come back a
# copy is loaded (the program's first link is not reused); from then on
# each reload makes the earlier image current again, says so ("mod.o:
# version N again"), and the program runs that code, with its counter
# kept and its addresses the same. A version is not brought back, and a
# copy is loaded as usual, when its image would not be the same: after
# other.o changed (its calls go to other.o's new code), or when its
# counter's type differs from the current version's (it migrates). Any of
# the four versions most recently current can come back: three versions in
# turn, undo twice, redo.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# value MOD OTHER: what mod_value() returns with those versions
value() {
    local lengths=(4 3 3 5 4) # strlen of "zero" "one" "two" "three" "four"
    echo $(($1 * 1000 + ${lengths[$1 % 5]} * 100 + $2))
}

# again NAME [N]: the last reload brought version N of mod.o back; no N:
# it loaded a copy.
again() {
    local want="" said
    [ -n "${2:-}" ] && want="hotld: ${AGAIN_OBJ:-mod.o}: version $2 again (its code was still loaded)"
    said=$(printf '%s\n' "$R_OUT" | grep ' again ')
    check "$1" "$want" "$said" "the reload's line about a version brought back"
}

# to NAME FILE MOD OTHER [N]: put FILE in place (mod.o or other.o), reload,
# and check the report, the value with those versions, the count and the
# addresses that stay.
to() {
    local name=$1 file=$2 mod=$3 other=$4; shift 4
    use "$file" "${file%%[0-9]*}.o"
    reload
    expect_reloaded "$name-reloaded" "${file%%[0-9]*}.o"
    again "$name-again" "$@"
    query
    COUNT=$((COUNT + 1))
    check "$name-runs" "$(value "$mod" "$other") $COUNT $ADDRS" \
        "$(qv value) $(qv count) $(qv addr_counter) $(qv addr_value)" "value, count and addresses"
}

test_reuse() {
    local v i
    build main.o reuse/main.c
    for v in 1 2; do
        build "mod$v.o" reuse/mod.c -g -DVER=$v
        build "other$v.o" reuse/other.c -DVER=$v
    done
    build mod2int.o reuse/mod.c -g -DVER=2 -DCOUNTER_TYPE=int
    builds_ok || return
    use mod1.o mod.o
    use other1.o other.o
    session_start --session "$SNAME" main.o mod.o other.o || return
    query
    COUNT=1 ADDRS="$(qv addr_counter) $(qv addr_value)"
    check v1-runs "$(value 1 1) 1" "$(qv value) $(qv count)" "value and count"
    to v2 mod2.o 2 1
    to v1-copy mod1.o 1 1 # version 0 is the first link's, never reused
    to v2-back mod2.o 2 1 1
    to v1-back mod1.o 1 1 2
    for i in 1 2 3; do
        to "v2-back-$i" mod2.o 2 1 1
        to "v1-back-$i" mod1.o 1 1 2
    done
    # other.o's new code: the earlier images call its old entries
    to other2 other2.o 1 2
    to v2-after-other mod2.o 2 2
    to v1-after-other mod1.o 1 2
    to v2-back-after-other mod2.o 2 2 4
    # The counter becomes an int, and a long again: migrated to new
    # storage both times, so version 4 is not brought back.
    migrate int mod2int.o
    migrate long mod2.o
    session_stop
}

# migrate NAME FILE: a reload that migrates the counter (a copy of the
# version is loaded); the count goes on in its new storage.
migrate() {
    use "$2" mod.o
    reload
    expect_reloaded "$1-reloaded" mod.o
    again "$1-again"
    query
    COUNT=$((COUNT + 1))
    check "$1-runs" "$(value 2 2) $COUNT" "$(qv value) $(qv count)" "value and count"
    local was=${ADDRS%% *}
    ADDRS="$(qv addr_counter) ${ADDRS#* }"
    if [ "$(qv addr_counter)" != "$was" ]; then ok "$P/$1-new-storage"; else
        not_ok "$P/$1-new-storage" "the counter stayed at $was"; fi
}

# Three versions in turn, then mod.o edited back twice in a row: each
# version still among the four most recently current comes back.
test_cycle() {
    local v
    build main.o reuse/main.c
    build other.o reuse/other.c -DVER=1
    for v in 1 2 3; do build "mod$v.o" reuse/mod.c -g -DVER=$v; done
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME-cycle" main.o mod.o other.o || return
    query
    COUNT=1 ADDRS="$(qv addr_counter) $(qv addr_value)"
    to cycle-2 mod2.o 2 1
    to cycle-3 mod3.o 3 1
    to cycle-1 mod1.o 1 1 # a copy: version 0 is the first link's
    to cycle-2-back mod2.o 2 1 1
    to cycle-3-back mod3.o 3 1 2
    to cycle-1-back mod1.o 1 1 3
    to undo-1 mod3.o 3 1 2
    to undo-2 mod2.o 2 1 1
    to redo mod3.o 3 1 2
    session_stop
}

# C++: a class with virtual functions, objects of every version kept in a
# vector, a static constructor. Versions come back as in C.
cxx_build() { # OUT SOURCE FLAGS...
    local out=$1 src=$2; shift 2
    (cd "$W" && "$CXX" -g "${CFL[@]}" -I"$RL_SRC" "$@" -c "$RL_SRC/reuse/$src" -o "$out") >"$W/$out.log" 2>&1 && return
    not_ok "$P/cxx-build" "$(head -c 300 "$W/$out.log")"
    return 1
}

test_cxx() {
    local v n=1 want i gen
    CXX=${CC/gcc/g++} CXX=${CXX/clang/clang++}
    cxx_build cxxmain.o cxxmain.cpp && cxx_build shapes1.o shapes.cpp -DVER=1 &&
        cxx_build shapes2.o shapes.cpp -DVER=2 || return
    use shapes1.o shapes.o
    session_start --session "$SNAME-cxx" cxxmain.o shapes.o -lstdc++ || return
    query
    for v in 2 1 2 1 2; do
        use "shapes$v.o" shapes.o
        reload
        expect_reloaded "cxx-$n-reloaded" shapes.o
        gen=""
        [ "$n" -ge 3 ] && gen=$((v == 2 ? 1 : 2)) # generation 0 is the first link's
        AGAIN_OBJ=shapes.o again "cxx-$n-again" $gen
        query
        n=$((n + 1)) want=""
        for ((i = 0; i < n; i++)); do want="$want square$v:$((4 * v))"; done
        check "cxx-$n-runs" "${want# }" \
            "$(awk -v t="$QT" '$1 == t && $2 == "shapes" { $1 = $2 = ""; sub(/^ +/, ""); print }' "$S_OUT")" "the shapes"
    done
    session_stop
}

for_variants test_reuse gcc clang-O2 gcc-asan
for_variants test_cycle gcc clang
for_variants test_cxx gcc clang
