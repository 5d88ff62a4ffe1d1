#!/usr/bin/env bash
# A reload keeps every running variable's value, also when its
# initializer changed, and says which ones changed: an int, a .bss
# variable given a value, a string's address, a struct field, a table of
# static functions, a static's address. A version whose code and statics
# only moved (a function and a static added before them) changes no
# initializer, and the reload says nothing. C and C++.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# The state the program shows after two lines, the second one after the
# reload: every value as the first version left it, counted on.
KEPT_STATE="state speed=10 lives=0 title=game window=640x480 pick=12 hits=2 misses=0 calls=2"
CHANGED="'counter', 'lives', 'pick', 'speed', 'title', 'window'"

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
    check "$name-kept" "$KEPT_STATE" "$(grep '^state ' "$S_OUT" | tail -n 1)" "state after the reload"
    session_stop
}

test_initializers() {
    one_reload changed build 2 "$CHANGED"
    one_reload moved build 3 none
    one_reload cxx-changed build_cxx 2 "$CHANGED"
    one_reload cxx-moved build_cxx 3 none
}

for_variants test_initializers
