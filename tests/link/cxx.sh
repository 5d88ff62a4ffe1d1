#!/usr/bin/env bash
# C++ objects need no extra flags, as with g++: libstdc++ and libm come in
# by themselves. Exceptions (within and across objects), RTTI and
# dynamic_cast, iostreams, static constructors, containers and virtual
# calls, compiled by g++ and clang++ at -O0 and -O2, against the program
# linked by g++.
. "$(dirname "$0")/../lib.sh"
SRC=$HOTLD_ROOT/tests/link/src/cxx
for cxx in g++ clang++; do
    for opt in -O0 -O2; do
        d=$TMP/$cxx$opt
        mkdir -p "$d"
        if ! (cd "$d" && $cxx $opt -c "$SRC/main.cpp" "$SRC/shapes.cpp" && g++ main.o shapes.o -o ref) 2>"$d/cc.log"; then
            not_ok "cxx/$cxx$opt/build" "$(head -c 300 "$d/cc.log")"
            continue
        fi
        run_both "cxx/$cxx$opt" "cd '$d' && exec -a main ./ref" "cd '$d' && '$HOTLD' main.o shapes.o"
    done
done
d=$TMP/g++-O0
[ -e "$d/main.o" ] && run_both "cxx/asan" "cd '$d' && exec -a main ./ref" \
    "cd '$d' && ASAN_OPTIONS=detect_leaks=0 '$HOTLD_ASAN' main.o shapes.o"
