#!/usr/bin/env bash
# A reload keeps every running variable's value, also when its
# initializer changed, and says which ones changed: an int, a .bss
# variable given a value, a string's address, a struct field, a table of
# static functions, a static's address. A version whose code and statics
# only moved (a function and a static added before them) changes no
# initializer, and the reload says nothing. C and C++.
# --reset NAME starts the variables it names again from their initial
# values, in a reload of unchanged objects (which links them again) or of
# changed ones; a name no variable has fails the reload, which changes
# nothing. Variables C++ constructors set (a std::string, a vector) are
# said to keep their values when the constructors changed, or to start
# zero-filled when new, since a reload does not run the constructors
# again; --reset refuses them.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# The state the program shows after two lines, the second one after the
# reload: every value as the first version left it, counted on.
KEPT_STATE="state speed=10 lives=0 title=game window=640x480 pick=12 hits=2 misses=0 calls=2 shown=102"
CHANGED="'counter', 'lives', 'pick', 'speed', 'title', 'window'"

# last_state: the program's last "state" line.
last_state() { grep '^state ' "$S_OUT" | tail -n 1; }

# warned OBJ: the last reload's warnings about OBJ, without the advice
# after them, sorted, each ended by "|".
warned() {
    sed -n "s/^hotld: warning: $1: //p" <<<"$R_ERR" | sed 's/ (.*//; s/: a reload keeps.*//' | sort | tr '\n' '|'
}

# one_reload NAME BUILD TO WARNED: config.c at VER=1, then reloaded at
# VER=TO (built with BUILD: build or build_cxx); the reload warns of
# exactly the initializers WARNED ("none": no warning) and keeps the state.
one_reload() {
    local name=$1 builder=$2 to=$3 warned=$4
    $builder main.o initializers/main.c
    $builder config.o initializers/config.c -DVER=1
    $builder config2.o initializers/config.c -DVER="$to"
    builds_ok || return
    session_start --session "$SNAME-$name" main.o config.o || return
    send go
    wait_for '^state ' "$S_OUT"
    use config2.o config.o
    reload
    expect_reloaded "$name-reload" "config.o" warnings
    local said
    said=$(sed -n "s/^hotld: warning: config.o: \(.*\) keeps\{0,1\} \(its\|their\) running values\{0,1\}, though .*/\1/p" <<<"$R_ERR")
    check "$name-warned" "$warned" "${said:-none}" "the initializers the reload says changed"
    check "$name-warnings" "${said:+1}" "$(grep -c '^hotld: warning:' <<<"$R_ERR" | sed 's/^0$//')" "number of warnings"
    send go
    wait_for '^state .*calls=2' "$S_OUT"
    check "$name-kept" "$KEPT_STATE" "$(last_state)" "state after the reload"
    session_stop
}

# reset_after: the changed initializers reloaded, then a reload of the
# same objects with --reset names: an unknown one fails it, then four take
# their values (a function static among them: gcc's "shown.0", clang's
# "show.shown", g++'s "show(...)::shown").
reset_after() {
    local builder=$1 name=$2
    $builder main.o initializers/main.c
    $builder config.o initializers/config.c -DVER=1
    $builder config2.o initializers/config.c -DVER=2
    builds_ok || return
    session_start --session "$SNAME-$name" main.o config.o || return
    send go
    wait_for '^state ' "$S_OUT"
    use config2.o config.o
    reload
    expect_reloaded "$name-changed" "config.o" warnings
    client "$S_DIR" --reset speed --reset nosuch "${S_ARGS[@]}"
    expect_failed "$name-unknown" "--reset nosuch: the program's objects have no variable of that name whose value"
    send go
    wait_for '^state .*calls=2' "$S_OUT"
    check "$name-unknown-changes-nothing" "$KEPT_STATE" "$(last_state)" "state"
    client "$S_DIR" --reset speed --reset=title --reset window --reset shown "${S_ARGS[@]}"
    expect_reloaded "$name-reload" "config.o"
    parse_report "$R_OUT" && check "$name-counts" "4 reset, 6 kept" "$RP_VRESET reset, $RP_VKEPT kept" "report counts"
    send go
    wait_for '^state .*calls=3' "$S_OUT"
    check "$name-taken" \
        "state speed=20 lives=0 title=demo window=640x400 pick=12 hits=3 misses=0 calls=3 shown=101" \
        "$(last_state)" "state after the reset"
    session_stop
}

# reset_with_change: --reset in the reload that changes the object: the
# variable it names takes its new value, the others are said to be kept.
reset_with_change() {
    build main.o initializers/main.c
    build config.o initializers/config.c -DVER=1
    build config2.o initializers/config.c -DVER=2
    builds_ok || return
    session_start --session "$SNAME-with" main.o config.o || return
    send go
    wait_for '^state ' "$S_OUT"
    use config2.o config.o
    client "$S_DIR" --reset speed "${S_ARGS[@]}"
    expect_reloaded with-change-reload "config.o" warnings
    local said
    said=$(sed -n "s/^hotld: warning: config.o: \(.*\) keep their running values, though .*/\1/p" <<<"$R_ERR")
    check with-change-warned "'counter', 'lives', 'pick', 'title', 'window'" "$said" "initializers said changed"
    send go
    wait_for '^state .*calls=2' "$S_OUT"
    check with-change-taken "${KEPT_STATE/speed=10/speed=20}" "$(last_state)" "state"
    session_stop
}

# constructed: C++ variables set by the object's constructors: a
# conflict's reset refused (VER=3); then VER=2: each warning, the state,
# --reset refused for one and taken for a constant's variable.
constructed() {
    build main.o initializers/main.c
    build_cxx objects.o initializers/objects.cc -g -DVER=1
    build_cxx objects2.o initializers/objects.cc -g -DVER=2
    build_cxx objects3.o initializers/objects.cc -g -DVER=3
    builds_ok || return
    session_start --session "$SNAME-ctors" main.o objects.o || return
    send go
    wait_for '^state ' "$S_OUT"
    use objects3.o objects.o
    client "$S_DIR" --on-conflict=reset "${S_ARGS[@]}"
    expect_failed ctors-conflict-reset-refused \
        "reset: variable 'setting' of objects.o gets its value from the object's constructors"
    use objects2.o objects.o
    reload
    expect_reloaded ctors-reload "objects.o" warnings
    check ctors-warned "'added' is new, and set by the object's constructors, which a reload does not run again: it \
starts zero-filled|'level' keeps its running value, though its initializer changed|its constructors changed, and a \
reload does not run them again: 'scores', 'setting', 'title' keep their running values|" "$(warned objects.o)" \
        "warnings"
    send go
    wait_for '^state .*added' "$S_OUT"
    check ctors-state "state title=game scores=4 level=1 added=zero-filled" "$(last_state)" \
        "state after the reload"
    client "$S_DIR" --reset title "${S_ARGS[@]}"
    expect_failed ctors-reset-refused "--reset: variable 'title' of objects.o gets its value from the object's constructors"
    client "$S_DIR" --reset level "${S_ARGS[@]}"
    expect_reloaded ctors-reset-level "objects.o" warnings
    send go
    wait_for '^state .*level=5' "$S_OUT"
    check ctors-level-reset "state title=game scores=5 level=5 added=zero-filled" \
        "$(last_state)" "state after --reset level"
    session_stop
}

# constructed_c: a C constructor function that reads 'base' and sets
# 'started': the warnings name each for what it is, --reset refuses
# 'started' and takes 'base'.
constructed_c() {
    build main.o initializers/main.c
    build setup.o initializers/setup.c -DVER=1
    build setup2.o initializers/setup.c -DVER=2
    builds_ok || return
    session_start --session "$SNAME-setup" main.o setup.o || return
    use setup2.o setup.o
    reload
    expect_reloaded setup-reload "setup.o" warnings
    check setup-warned "'base' keeps its running value, though its initializer changed|its constructors changed, \
and a reload does not run them again: 'started' keeps its running value|" "$(warned setup.o)" "warnings"
    client "$S_DIR" --reset started "${S_ARGS[@]}"
    expect_failed setup-reset-refused "--reset: variable 'started' of setup.o gets its value from the object's"
    client "$S_DIR" --reset base "${S_ARGS[@]}"
    expect_reloaded setup-reset-base "setup.o"
    send go
    wait_for '^state ' "$S_OUT"
    check setup-state "state base=5 started=yes" "$(last_state)" "state"
    session_stop
}

test_initializers() {
    one_reload changed build 2 "$CHANGED"
    one_reload moved build 3 none
    reset_after build reset
}

test_cxx() {
    one_reload cxx-changed build_cxx 2 "$CHANGED"
    one_reload cxx-moved build_cxx 3 none
    reset_after build_cxx cxx-reset
}

for_variants test_initializers gcc clang gcc-O2 clang-O2 gcc-asan
for_variants test_cxx gcc clang-O2
for_variants reset_with_change gcc
for_variants constructed gcc clang-O2
for_variants constructed_c gcc gcc-O2 clang-O2
