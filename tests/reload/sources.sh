#!/usr/bin/env bash
# Save a file, see the change (issue 18): `hotld --watch` on a program
# whose build left compile_commands.json, and no build command run by the
# test: the test only writes source files, as an editor does.
#   - a .c edit: the next line shows the new value, the count goes on;
#   - a header edit: both objects that include it change, in one reload;
#   - a compile error: shown in the compiler's words in the --log file,
#     the program keeps running the last good code; the fix recovers;
#   - a burst of 20 saves: the last one wins, reloaded at most a few times.
# Two builds: one that writes depfiles beside the objects (gcc -MD, as
# make rules do) and CMake with Ninja (which keeps depfiles in its own log:
# the objects' DWARF says which headers they use).
set -u
. "$HOTLD_ROOT/tests/lib.sh"

SRC=$HOTLD_ROOT/tests/reload/src/sources
say() { local name=$1; shift; if [ -z "$*" ]; then ok "$name"; else not_ok "$name" "$*"; fi; }

# A build that writes depfiles (the make way), with its compile commands.
build_make() {
    local W=$1 f
    mkdir -p "$W/obj" && cp "$SRC"/*.c "$SRC"/*.h "$W/"
    printf '[' >"$W/compile_commands.json"
    for f in main value other; do
        (cd "$W" && gcc -g -O1 -MD -c $f.c -o obj/$f.o) || return 1
        [ $f = main ] || printf ',' >>"$W/compile_commands.json"
        printf '{"directory": "%s", "file": "%s.c", "command": "gcc -g -O1 -MD -c %s.c -o obj/%s.o"}\n' \
            "$W" "$f" "$f" "$f" >>"$W/compile_commands.json"
    done
    printf ']\n' >>"$W/compile_commands.json"
    OBJS=("$W/obj/main.o" "$W/obj/value.o" "$W/obj/other.o")
}

build_cmake() {
    local W=$1
    mkdir -p "$W" && cp "$SRC"/*.c "$SRC"/*.h "$W/"
    printf 'cmake_minimum_required(VERSION 3.13)\nproject(demo C)\nadd_executable(game main.c value.c other.c)\n' \
        >"$W/CMakeLists.txt"
    (cd "$W" && cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_EXPORT_COMPILE_COMMANDS=ON &&
        cmake --build build) >"$W/cmake.log" 2>&1 || return 1
    local d=$W/build/CMakeFiles/game.dir
    OBJS=("$d/main.c.o" "$d/value.c.o" "$d/other.c.o")
}

variant() {
    local name=$1 W=$TMP/sources-$1 P=reload/sources/$1 fd pid i
    rm -rf "$W"
    if ! "build_$name" "$W" >"$W.build.log" 2>&1; then not_ok "$P/build" "$(tail -n 4 "$W.build.log" | tr '\n' '|')"; return; fi
    rm -f "$W/in" && mkfifo "$W/in"
    (cd "$W" && exec "$HOTLD" --watch --log watch.log --session "sources-$$-$name" "${OBJS[@]}" <in >run.out 2>run.err) &
    pid=$!
    exec {fd}>"$W/in"
    for ((i = 0; i < 250; i++)); do has_line ready "$W/run.out" && break; nap 0.02; done
    # line N: send a line, wait for answer N, print it
    line() { echo x >&"$fd"; for ((i = 0; i < 500; i++)); do has_line "^line $1 " "$W/run.out" && break; nap 0.02; done; grep "^line $1 " "$W/run.out"; }
    # reloads N: wait until the log has N reports
    reloads() { for ((i = 0; i < 1000; i++)); do has_line 'hotld: reloaded' "$W/watch.log" "$1" && break; nap 0.02; done; }
    say "$P/starts" "$(line 1 | grep -q 'value 11 other 12$' || echo "$(cat "$W/run.out" "$W/run.err" | tr '\n' '|')")"

    sed -i 's/return shared() + 1;/return shared() + 5;/' "$W/value.c"
    reloads 1
    say "$P/c-edit" "$(line 2 | grep -q '^line 2 value 15 other 12$' || echo "$(tail -n 3 "$W/run.out" "$W/watch.log" | tr '\n' '|')")"

    sed -i 's/return 10;/return 20;/' "$W/shared.h"
    reloads 2
    say "$P/header-edit-two-objects" "$(line 3 | grep -q '^line 3 value 25 other 22$' || echo "$(tail -n 3 "$W/run.out" "$W/watch.log" | tr '\n' '|')")"
    say "$P/header-one-reload" "$(grep 'hotld: reloaded' "$W/watch.log" | sed -n 2p | grep -qE 'value(\.c)?\.o, other(\.c)?\.o|other(\.c)?\.o, value(\.c)?\.o' ||
        echo "$(grep 'hotld: reloaded' "$W/watch.log" | tr '\n' '|')")"

    sed -i 's/return shared() + 2;/return shared() + 2 +;/' "$W/other.c"
    for ((i = 0; i < 500; i++)); do has_line 'did not compile' "$W/watch.log" && break; nap 0.02; done
    say "$P/compile-error-shown" "$(grep -qE 'other.c:[0-9]+:[0-9]+: error' "$W/watch.log" || echo "$(tail -n 4 "$W/watch.log" | tr '\n' '|')")"
    say "$P/compile-error-keeps-program" "$(line 4 | grep -q '^line 4 value 25 other 22$' || echo "$(tail -n 2 "$W/run.out")")"
    sed -i 's/return shared() + 2 +;/return shared() + 7;/' "$W/other.c"
    reloads 3
    say "$P/fix-recovers" "$(line 5 | grep -q '^line 5 value 25 other 27$' || echo "$(tail -n 3 "$W/run.out" "$W/watch.log" | tr '\n' '|')")"

    local before; before=$(grep -c 'hotld: reloaded' "$W/watch.log")
    for ((k = 1; k <= 20; k++)); do
        sed -i "s/return shared() + [0-9]*;/return shared() + $((100 + k));/" "$W/value.c"
        nap 0.01
    done
    # the last save says 120: 20 + 120 once it is in (a line every 50 ms, 10 s at most)
    for ((k = 0; k < 200; k++)); do echo x >&"$fd"; sleep 0.05; tail -n 1 "$W/run.out" | grep -q ' value 140 ' && break; done
    sleep 0.5 # a reload that would still come
    local after; after=$(grep -c 'hotld: reloaded' "$W/watch.log")
    say "$P/burst-last-wins" "$(tail -n 1 "$W/run.out" | grep -q 'value 140 other 27$' || echo "$(tail -n 2 "$W/run.out")")"
    say "$P/burst-few-reloads" "$([ $((after - before)) -le 4 ] || echo "$((after - before)) reloads for 20 saves")"
    exec {fd}>&-
    wait "$pid"
    say "$P/exit" "$([ $? = 0 ] || echo "exit: $(tail -c 300 "$W/run.err")")"
}

# --deopt: the -O2 value() compiled again at -O0 -g in the running
# program; gdb, attached, steps it line by line and prints its locals;
# --reopt puts the build's own back. Values unchanged throughout.
deopt() {
    local W=$TMP/sources-deopt P=reload/sources/deopt fd pid i f S=sources-$$-deopt
    rm -rf "$W" && mkdir -p "$W/obj" && cp "$SRC/main.c" "$SRC/other.c" "$SRC/shared.h" "$SRC/locals/value.c" "$W/"
    printf '[' >"$W/compile_commands.json"
    for f in main value other; do
        (cd "$W" && gcc -g -O2 -c $f.c -o obj/$f.o) || { not_ok "$P/build" "gcc failed"; return; }
        [ $f = main ] || printf ',' >>"$W/compile_commands.json"
        printf '{"directory": "%s", "file": "%s.c", "arguments": ["gcc", "-g", "-O2", "-c", "%s.c", "-o", "obj/%s.o"]}\n' \
            "$W" "$f" "$f" "$f" >>"$W/compile_commands.json"
    done
    printf ']\n' >>"$W/compile_commands.json"
    local objs=(obj/main.o obj/value.o obj/other.o)
    rm -f "$W/in" && mkfifo "$W/in"
    (cd "$W" && exec "$HOTLD" --session "$S" "${objs[@]}" <in >run.out 2>run.err) &
    pid=$!
    exec {fd}>"$W/in"
    for ((i = 0; i < 250; i++)); do has_line ready "$W/run.out" && break; nap 0.02; done
    got=$(cd "$W" && "$HOTLD" --session "$S" --deopt value.c "${objs[@]}" 2>&1)
    say "$P/deopt-reloads" "$(echo "$got" | grep -q 'hotld: reloaded value.o' || echo "[$got]")"
    # The program's next line only once the breakpoint is in (a line sent a
    # second after gdb started came before it, on a loaded machine), and
    # once the session has moved the debug images to the new code for the
    # debugger it found attached: its control thread does that between
    # two requests, so after answering a second --status it has.
    local status="'$HOTLD' --session $S --status >/dev/null 2>&1"
    timeout 60 gdb -nx -batch -ex 'handle SIG40 nostop noprint pass' -ex 'break value' \
        -ex "shell ($status; $status; echo x > '$W/in') &" -ex continue \
        -ex next -ex next -ex 'info locals' -ex detach -p "$pid" >"$W/gdb.out" 2>&1
    say "$P/gdb-steps" "$(grep -qE '^8[[:space:]]+int scaled = base \* 3;' "$W/gdb.out" && grep -qE '^9[[:space:]]+int result' "$W/gdb.out" ||
        echo "$(grep -E '^[0-9]+[[:space:]]|Breakpoint' "$W/gdb.out" | head -n 4 | tr '\n' '|')")"
    say "$P/gdb-locals" "$(grep -q '^base = 10$' "$W/gdb.out" && grep -q '^scaled = 30$' "$W/gdb.out" ||
        echo "$(grep -E ' = |locals|optimized' "$W/gdb.out" | head -n 4 | tr '\n' '|')")"
    got=$(cd "$W" && "$HOTLD" --session "$S" --reopt value.c "${objs[@]}" 2>&1)
    say "$P/reopt-reloads" "$(echo "$got" | grep -q 'hotld: reloaded value.o' || echo "[$got]")"
    echo x >&"$fd"
    for ((i = 0; i < 250; i++)); do has_line '^line 2 ' "$W/run.out" && break; nap 0.02; done
    say "$P/values" "$(grep -q '^line 2 value 21 other 12$' "$W/run.out" || echo "$(cat "$W/run.out" | tr '\n' '|')")"
    got=$(cd "$W" && "$HOTLD" --session "sources-$$-none" --deopt value.c "${objs[@]}" 2>&1; echo "|$?")
    say "$P/no-session" "$(case $got in *"no session runs this program"*"|1") ;; *) echo "[$got]" ;; esac)"
    exec {fd}>&-
    wait "$pid"
}

# --build 'make': no compilation database; the objects' DWARF says which
# files they came from, and a save runs the project's own make.
by_build() {
    local W=$TMP/sources-build P=reload/sources/build fd pid i
    rm -rf "$W" && mkdir -p "$W" && cp "$SRC"/*.c "$SRC"/*.h "$W/"
    printf 'all: main.o value.o other.o\n%%.o: %%.c shared.h\n\tgcc -g -O1 -c $< -o $@\n' >"$W/Makefile"
    (cd "$W" && make -s) >"$W/make.log" 2>&1 || { not_ok "$P/build" "$(head -c 300 "$W/make.log")"; return; }
    rm -f "$W/in" && mkfifo "$W/in"
    (cd "$W" && exec "$HOTLD" --build 'make -s' --log watch.log --session "sources-$$-build" main.o value.o other.o \
        <in >run.out 2>run.err) &
    pid=$!
    exec {fd}>"$W/in"
    for ((i = 0; i < 250; i++)); do has_line ready "$W/run.out" && break; nap 0.02; done
    sed -i 's/return 10;/return 30;/' "$W/shared.h"
    for ((i = 0; i < 500; i++)); do has_line 'hotld: reloaded' "$W/watch.log" && break; nap 0.02; done
    echo x >&"$fd"
    for ((i = 0; i < 250; i++)); do has_line '^line 1 ' "$W/run.out" && break; nap 0.02; done
    say "$P/header-edit-runs-make" "$(grep -q '^line 1 value 31 other 32$' "$W/run.out" ||
        echo "$(cat "$W/run.out" "$W/watch.log" | tr '\n' '|')")"
    exec {fd}>&-
    wait "$pid"
}

# gdb's 'hotld deopt value.c' in a program gdb runs: the -O2 object is
# compiled at -O0 -g and reloaded; the next call of value() stops, steps
# two lines, and 'info locals' prints base = 10, scaled = 30.
gdb_deopt() {
    local W=$TMP/sources-deopt P=reload/sources/gdb-deopt fd i
    [ -f "$W/compile_commands.json" ] || { not_ok "$P/setup" "the deopt case did not build"; return; }
    (cd "$W" && gcc -g -O2 -c value.c -o obj/value.o)
    rm -f "$W/in2" && mkfifo "$W/in2"
    (cd "$W" && timeout 120 gdb -nx -batch -iex "add-auto-load-safe-path $(dirname "$HOTLD")" \
        -ex 'set breakpoint pending on' -ex 'break value' -ex "run --session sources-$$-gdb obj/main.o obj/value.o obj/other.o <in2" \
        -ex 'hotld deopt value.c' -ex next -ex next -ex 'info locals' -ex 'delete' -ex continue \
        --args "$HOTLD" >gdb2.out 2>&1) &
    local gpid=$!
    exec {fd}>"$W/in2"
    # the second call only once the reload is in: while 'hotld reload'
    # applies it, the program runs with breakpoints disabled
    echo x >&"$fd"
    for ((i = 0; i < 1500; i++)); do has_line 'hotld: reloaded' "$W/gdb2.out" && break; nap 0.02; done
    echo x >&"$fd"
    sleep 1
    exec {fd}>&-
    wait "$gpid"
    say "$P/reloaded" "$(grep -q 'hotld: reloaded value.o' "$W/gdb2.out" || echo "$(grep -E 'hotld' "$W/gdb2.out" | head -n 3 | tr '\n' '|')")"
    say "$P/locals" "$(grep -q '^base = 10$' "$W/gdb2.out" && grep -q '^scaled = 30$' "$W/gdb2.out" ||
        echo "$(grep -E ' = |locals|optimized|hotld' "$W/gdb2.out" | head -n 5 | tr '\n' '|')")"
}

variant make
deopt
gdb_deopt
by_build
if command -v cmake >/dev/null && command -v ninja >/dev/null; then variant cmake
else not_ok reload/sources/cmake/installed "cmake and ninja are not installed (scripts/deps.sh)"; fi
