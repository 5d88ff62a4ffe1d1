#!/usr/bin/env bash
# C++ objects need no extra flags, as with g++: libstdc++ and libm come in
# by themselves. Exceptions (within and across objects, and through C
# frames), std::terminate on an uncaught one, RTTI and dynamic_cast,
# iostreams, static constructors with init_priority, containers, virtual
# calls and virtual inheritance, std::thread, std::mutex, std::function and
# thread_local objects with constructors and destructors, compiled by g++
# and clang++ at -O0 and -O2 (the C object by gcc or clang), against the
# program linked by g++.
. "$(dirname "$0")/../lib.sh"
SRC=$HOTLD_ROOT/tests/link/src/cxx
OBJS="main.o shapes.o threads.o cframes.o"
for cxx in g++ clang++; do
    cc=gcc; [ $cxx = clang++ ] && cc=clang
    for opt in -O0 -O2; do
        d=$TMP/$cxx$opt
        mkdir -p "$d"
        if ! (cd "$d" && $cxx $opt -c "$SRC/main.cpp" "$SRC/shapes.cpp" "$SRC/threads.cpp" &&
              $cc $opt -c "$SRC/cframes.c" && g++ $OBJS -o ref) 2>"$d/cc.log"; then
            not_ok "cxx/$cxx$opt/build" "$(head -c 300 "$d/cc.log")"
            continue
        fi
        run_both "cxx/$cxx$opt" "cd '$d' && exec -a main ./ref" "cd '$d' && '$HOTLD' $OBJS"
        run_both "cxx/$cxx$opt/uncaught" "cd '$d' && exec -a main ./ref uncaught" \
            "cd '$d' && exec '$HOTLD' $OBJS -- uncaught"
    done
done
d=$TMP/g++-O0
[ -e "$d/main.o" ] && run_both "cxx/asan" "cd '$d' && exec -a main ./ref" \
    "cd '$d' && ASAN_OPTIONS=detect_leaks=0 '$HOTLD_ASAN' $OBJS"
