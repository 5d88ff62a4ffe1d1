#!/usr/bin/env bash
# hotld as the build's linker (issue 17): the compiler driver's one
# setting (gcc -B build/linker/, clang --ld-path=build/linker/hotld-ld)
# makes the link step hotld's, against the same program linked by the
# driver with the system linker:
#   - the executable at -o runs as the linked one does (output, exit
#     status), from any directory, and runs itself again through
#     /proc/self/exe and argv[0];
#   - linking again while it runs reloads it, its state kept, with the
#     report in the step's output; an undefined symbol fails the step as
#     ld's does, and the program and the file are left as they were; a
#     reload that fails fails the step and leaves no file (the next make
#     would take the program for up to date); a one-step compile and link
#     (other files: the compiler's temporaries) links, and says that the
#     running copy is not reloaded;
#   - gcc and clang, C and C++ (g++);
# and, with gcc: a -shared link goes to the system linker; response files
# (the linker's and hotld's own); options hotld cannot honour are one
# error naming them; --reload-only with no session; gdb --args on the
# executable breaks in the program's code; small CMake and Meson projects
# with the README's one setting rebuild into the running program; gtest's
# death tests (which run the test program again) pass as linked.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

LINKER=$HOTLD_ROOT/build/linker
SRC=$HOTLD_ROOT/tests/link/src/ldmode
[ -x "$LINKER/ld" ] || { not_ok ldmode/linker "$LINKER/ld is not built (make build/linker/ld)"; exit 1; }

# say NAME WHY...: ok if WHY is empty
say() { local name=$1; shift; if [ -z "$*" ]; then ok "$name"; else not_ok "$name" "$*"; fi; }

# run_as DIR CMD...: "stdout|exit status" of CMD run in DIR
run_as() { local dir=$1; shift; local out; out=$(cd "$dir" && "$@" 2>&1); echo "$out|$?"; }

variant() {
    local v=$1 cc=$2 flag=$3 lang=$4
    local W=$TMP/ldmode-$v P=ldmode/$v
    mkdir -p "$W"
    if ! (cd "$W" && $cc $lang -g -c "$SRC/main.c" -o main.o && $cc $lang -g -c "$SRC/value.c" -o value.o) \
            >"$W/build.log" 2>&1; then
        not_ok "$P/build" "$(head -c 300 "$W/build.log")"; return
    fi
    (cd "$W" && $cc main.o value.o -o ref) >"$W/ref.log" 2>&1 || { not_ok "$P/ref" "$(head -c 300 "$W/ref.log")"; return; }
    (cd "$W" && $cc "$flag" main.o value.o -o prog) >"$W/link.log" 2>&1
    local rc=$?
    say "$P/link" "$([ $rc = 0 ] || echo "exit $rc: $(head -c 300 "$W/link.log")")"
    [ $rc = 0 ] || return
    local want got
    want=$(run_as "$W" ./ref x) got=$(run_as "$W" ./prog x)
    say "$P/runs" "$([ "$got" = "$want" ] || echo "[$got], linked [$want]")"
    got=$(run_as / "$W/prog" x)
    say "$P/runs-from-elsewhere" "$([ "$got" = "$want" ] || echo "[$got], linked [$want]")"
    want=$(run_as "$W" ./ref self) got=$(run_as "$W" ./prog self)
    say "$P/runs-itself" "$([ "$got" = "$want" ] || echo "[$got], linked [$want]")"
    relink_while_running "$W" "$P" "$cc" "$flag" "$lang"
}

# The program runs, reading lines from a fifo; the build links again.
relink_while_running() {
    local W=$1 P=$2 cc=$3 flag=$4 lang=$5 fd pid
    rm -f "$W/in" && mkfifo "$W/in"
    (cd "$W" && exec ./prog loop <in >loop.out 2>loop.err) &
    pid=$!
    exec {fd}>"$W/in"
    local i
    for ((i = 0; i < 250; i++)); do has_line ready "$W/loop.out" && break; nap 0.02; done
    line() { echo x >&"$fd"; for ((i = 0; i < 250; i++)); do has_line '^line' "$W/loop.out" "$1" && break; nap 0.02; done; }
    line 1
    (cd "$W" && $cc $lang -g -DVALUE=2 -c "$SRC/value.c" -o value.o && $cc "$flag" main.o value.o -o prog) \
        >"$W/relink.out" 2>&1
    local rc=$?
    say "$P/relink-reloads" "$([ $rc = 0 ] && grep -q 'hotld: reloaded value.o' "$W/relink.out" ||
        echo "exit $rc: $(head -c 300 "$W/relink.out" | tr '\n' '|')")"
    line 2
    say "$P/state-kept" "$(grep -q '^line 2 value 2$' "$W/loop.out" || echo "$(tail -n 2 "$W/loop.out" | tr '\n' '|')")"
    cp "$W/prog" "$W/prog.before"
    (cd "$W" && $cc $lang -g -DUNDEFINED -c "$SRC/value.c" -o value.o && $cc "$flag" main.o value.o -o prog) \
        >"$W/bad.out" 2>&1
    rc=$?
    say "$P/undefined-fails-the-step" "$([ $rc != 0 ] && grep -qE "value.o: undefined reference to \`nowhere(\\(\\))?'" "$W/bad.out" ||
        echo "exit $rc: $(head -c 300 "$W/bad.out" | tr '\n' '|')")"
    line 3
    # the file as it was (clang's driver removes the output of any failed link)
    say "$P/failed-link-leaves-all" "$(grep -q '^line 3 value 2$' "$W/loop.out" || echo "program: $(tail -n 1 "$W/loop.out")")$([ ! -e "$W/prog" ] || cmp -s "$W/prog" "$W/prog.before" || echo "; the executable changed")"
    # a good link whose reload fails (a variable's value cannot follow its
    # new type) fails the step and leaves no output: make tries again
    (cd "$W" && $cc $lang -g -DVALUE=3 -DPOINTER_STATE -c "$SRC/value.c" -o value.o && $cc "$flag" main.o value.o -o prog) \
        >"$W/unreloadable.out" 2>&1
    rc=$?
    say "$P/failed-reload-fails-the-step" "$([ $rc != 0 ] && grep -q "hotld: error: reload failed: .*'state'" "$W/unreloadable.out" ||
        echo "exit $rc: $(head -c 300 "$W/unreloadable.out" | tr '\n' '|')")"
    say "$P/failed-reload-leaves-no-output" "$([ ! -e "$W/prog" ] || echo "prog is there, newer than its objects")"
    line 4
    say "$P/failed-reload-leaves-program" "$(grep -q '^line 4 value 2$' "$W/loop.out" || echo "program: $(tail -n 1 "$W/loop.out")")"
    # a one-step compile and link: other files (the compiler's temporaries)
    (cd "$W" && $cc $lang "$flag" -DVALUE=5 "$SRC/main.c" "$SRC/value.c" -o prog) >"$W/onestep.out" 2>&1
    rc=$?
    say "$P/other-files-not-reloaded" "$([ $rc = 0 ] && grep -q "hotld: warning: prog: the running copy [0-9]* was linked from other files: not reloaded" "$W/onestep.out" ||
        echo "exit $rc: $(head -c 300 "$W/onestep.out" | tr '\n' '|')")"
    line 5
    say "$P/other-files-program-goes-on" "$(grep -q '^line 5 value 2$' "$W/loop.out" || echo "program: $(tail -n 1 "$W/loop.out")")"
    say "$P/other-files-linked" "$(got=$(run_as "$W" ./prog x); [ "${got%|*}" = "value 5 argc 2 argv1 x" ] || echo "[$got]")"
    exec {fd}>&-
    wait "$pid"
    say "$P/exit" "$([ $? = 0 ] || echo "exit $?: $(head -c 300 "$W/loop.err")")"
}

variant gcc gcc "-B$LINKER/" ""
variant clang clang "--ld-path=$LINKER/hotld-ld" ""
variant gxx g++ "-B$LINKER/" "-x c++"

# ---- gcc: the other link lines a project has ----------------------------------
W=$TMP/ldmode-more P=ldmode/gcc
mkdir -p "$W"
(cd "$W" && gcc -g -c "$SRC/main.c" -o main.o && gcc -g -c "$SRC/value.c" -o value.o &&
    gcc -c "$SRC/usestwice.c" -o usestwice.o) >"$W/build.log" 2>&1 || not_ok "$P/build-more" "$(head -c 300 "$W/build.log")"

(cd "$W" && gcc -B"$LINKER/" -shared -fPIC "$SRC/shared.c" -o libtwice.so) >"$W/shared.log" 2>&1
say "$P/shared-by-system-linker" "$(readelf -h "$W/libtwice.so" 2>/dev/null | grep -q 'DYN' || echo "no shared object: $(head -c 300 "$W/shared.log")")"
(cd "$W" && gcc -B"$LINKER/" usestwice.o -L. -ltwice -o usestwice) >"$W/uses.log" 2>&1
got=$(run_as "$W" env LD_LIBRARY_PATH="$W" ./usestwice)
say "$P/uses-shared" "$([ "$got" = "twice 42|0" ] || echo "[$got] $(head -c 200 "$W/uses.log")")"

# A thread-local variable: the check link found no TLS block to put it in
printf '#include <stdio.h>\n__thread int t = 5;\nint main(void) { t++; printf("t %%d\\n", t); return 0; }\n' >"$W/tls.c"
for opt in -O0 -O2; do
    (cd "$W" && gcc $opt -B"$LINKER/" tls.c -o tls) >"$W/tls.log" 2>&1
    got=$(run_as "$W" ./tls)
    say "$P/thread-local$opt" "$([ "$got" = "t 6|0" ] || echo "[$got] $(head -c 300 "$W/tls.log" | tr '\n' '|')")"
done

printf 'main.o\n"value.o"\n-lc\n' >"$W/objs.rsp"
(cd "$W" && "$LINKER/ld" @objs.rsp -o fromrsp) >"$W/rsp.log" 2>&1
got=$(run_as "$W" ./fromrsp x)
say "$P/linker-response-file" "$([ "$got" = "value 1 argc 2 argv1 x|3" ] || echo "[$got] $(head -c 200 "$W/rsp.log")")"
printf 'main.o value.o\n' >"$W/hotld.rsp"
got=$(run_as "$W" "$HOTLD" @hotld.rsp -- x)
say "$P/hotld-response-file" "$([ "$got" = "value 1 argc 2 argv1 x|3" ] || echo "[$got]")"

for opt in -Wl,--wrap=value -static -Wl,-T,none.ld; do
    (cd "$W" && gcc -B"$LINKER/" main.o value.o "$opt" -o refused) >"$W/refused.log" 2>&1
    rc=$? want=${opt#-Wl,}; want=${want%%,*}
    say "$P/refuses$want" "$([ $rc != 0 ] && grep -q "linker option '$want" "$W/refused.log" ||
        echo "exit $rc: $(head -c 300 "$W/refused.log" | tr '\n' '|')")"
done

got=$(cd "$W" && "$HOTLD" --reload-only --session "ldmode-none-$$" main.o value.o 2>&1; echo "|$?")
say "$P/reload-only-without-session" "$(case $got in *"no session runs this program"*"|1") ;; *) echo "[$got]" ;; esac)"

(cd "$W" && gcc -B"$LINKER/" main.o value.o -o prog) >/dev/null 2>&1
timeout 60 gdb -nx -batch -ex 'break value' -ex run -ex bt --args "$W/prog" x >"$W/gdb.out" 2>&1
say "$P/gdb-breaks-in-program" "$(grep -qE '^Breakpoint 1, value \(\) at .*value.c:[0-9]+' "$W/gdb.out" ||
    echo "$(grep -E '^(#|Breakpoint)' "$W/gdb.out" | head -n 3 | tr '\n' '|')")"

# A running copy whose exit comes while the link waits to reload it (a
# thread that blocks every signal keeps it from parking): it runs nothing
# once it has ended, so the link stands, its output kept. (The link failed
# when the reload timed out, and removed the new executable; the
# program's exit waited for the timeout.)
ending_during_reload() {
    local W=$TMP/ldmode-ending P=ldmode/gcc fd pid i
    mkdir -p "$W"
    (cd "$W" && gcc -c "$SRC/ending.c" -o ending.o && gcc -c "$SRC/value.c" -o value.o &&
        gcc -B"$LINKER/" ending.o value.o -lpthread -o prog) >"$W/build.log" 2>&1 ||
        { not_ok "$P/ending-build" "$(head -c 300 "$W/build.log")"; return; }
    rm -f "$W/in" && mkfifo "$W/in"
    (cd "$W" && exec ./prog <in >run.out 2>run.err) &
    pid=$!
    exec {fd}>"$W/in"
    for ((i = 0; i < 250; i++)); do has_line ready "$W/run.out" && break; nap 0.02; done
    (cd "$W" && gcc -DVALUE=2 -c "$SRC/value.c" -o value.o &&
        gcc -B"$LINKER/" ending.o value.o -lpthread -o prog) >"$W/relink.out" 2>&1 &
    local link=$!
    nap 0.5
    echo x >&"$fd"
    exec {fd}>&-
    wait "$link"
    local rc=$?
    wait "$pid"
    say "$P/ending-link-stands" "$([ $rc = 0 ] && [ -x "$W/prog" ] ||
        echo "exit $rc, prog $([ -e "$W/prog" ] && echo kept || echo removed): $(head -c 300 "$W/relink.out" | tr '\n' '|')")"
    say "$P/ending-program-ran" "$(grep -q '^value [12]$' "$W/run.out" || echo "$(head -c 200 "$W/run.out" "$W/run.err" | tr '\n' '|')")"
}
ending_during_reload

# ---- CMake and Meson, with the README's one setting -----------------------
# A game in a static library, as CMake and Meson projects are laid out;
# the build's own command after an edit reloads the running program.
build_system() {
    local name=$1 W=$TMP/ldmode-$1 P=ldmode/$1 fd pid i
    rm -rf "$W" && mkdir -p "$W" && cp "$SRC/main.c" "$SRC/value.c" "$W/"
    printf 'cmake_minimum_required(VERSION 3.13)\nproject(demo C)\nadd_library(parts STATIC value.c)\nadd_executable(game main.c)\ntarget_link_libraries(game parts)\n' >"$W/CMakeLists.txt"
    printf "project('demo', 'c')\nparts = static_library('parts', 'value.c')\nexecutable('game', 'main.c', link_with: parts)\n" >"$W/meson.build"
    case $name in
        cmake) configure=(cmake -S . -B build -G Ninja "-DCMAKE_EXE_LINKER_FLAGS=-B$LINKER/") build=(cmake --build build) ;;
        meson) configure=(meson setup build "-Dc_link_args=-B$LINKER/") build=(ninja -C build) ;;
    esac
    command -v "${configure[0]}" >/dev/null || { not_ok "$P/installed" "${configure[0]} is not installed (scripts/deps.sh)"; return; }
    if ! (cd "$W" && "${configure[@]}" && "${build[@]}") >"$W/build.log" 2>&1; then
        not_ok "$P/builds" "$(tail -n 5 "$W/build.log" | tr '\n' '|')"; return
    fi
    got=$(run_as "$W" ./build/game x)
    say "$P/runs" "$([ "$got" = "value 1 argc 2 argv1 x|3" ] || echo "[$got]")"
    rm -f "$W/in" && mkfifo "$W/in"
    (cd "$W" && exec ./build/game loop <in >loop.out 2>loop.err) &
    pid=$!
    exec {fd}>"$W/in"
    for ((i = 0; i < 250; i++)); do has_line ready "$W/loop.out" && break; nap 0.02; done
    echo x >&"$fd"
    sed -i 's/#define VALUE 1/#define VALUE 4/' "$W/value.c"
    (cd "$W" && "${build[@]}") >"$W/rebuild.out" 2>&1
    local rc=$?
    say "$P/rebuild-reloads" "$([ $rc = 0 ] && grep -q 'hotld: reloaded libparts.a(value.c.o)' "$W/rebuild.out" ||
        echo "exit $rc: $(tail -n 4 "$W/rebuild.out" | tr '\n' '|')")"
    echo x >&"$fd"
    for ((i = 0; i < 250; i++)); do has_line '^line 2' "$W/loop.out" && break; nap 0.02; done
    say "$P/changed-in-place" "$(grep -q '^line 2 value 4$' "$W/loop.out" || echo "$(cat "$W/loop.out" | tr '\n' '|')")"
    # a new source file in the build: value() now calls helper() from it
    printf 'int helper(void)\n{\n    return 40;\n}\n' >"$W/helper.c"
    printf 'int helper(void);\nint value(void)\n{\n    return helper() + 2;\n}\n' >"$W/value.c"
    sed -i 's/add_library(parts STATIC value.c)/add_library(parts STATIC value.c helper.c)/' "$W/CMakeLists.txt"
    sed -i "s/static_library('parts', 'value.c')/static_library('parts', 'value.c', 'helper.c')/" "$W/meson.build"
    (cd "$W" && "${build[@]}") >"$W/newfile.out" 2>&1
    rc=$?
    say "$P/new-file-reloads" "$([ $rc = 0 ] && grep -q 'hotld: reloaded' "$W/newfile.out" ||
        echo "exit $rc: $(tail -n 4 "$W/newfile.out" | tr '\n' '|')")"
    echo x >&"$fd"
    for ((i = 0; i < 250; i++)); do has_line '^line 3' "$W/loop.out" && break; nap 0.02; done
    say "$P/new-file-runs" "$(grep -q '^line 3 value 42$' "$W/loop.out" || echo "$(cat "$W/loop.out" | tr '\n' '|')")"
    exec {fd}>&-
    wait "$pid"
}
build_system cmake
build_system meson

# ---- a test program that runs itself again: gtest's death tests -------------
W=$TMP/ldmode-gtest P=ldmode/gtest
mkdir -p "$W"
if [ ! -e /usr/lib/x86_64-linux-gnu/libgtest.a ]; then
    not_ok "$P/installed" "libgtest-dev is not installed (scripts/deps.sh)"
elif ! (cd "$W" && g++ -g -c "$SRC/death.cc" -o death.o && g++ death.o -lgtest -lgtest_main -pthread -o ref &&
        g++ -B"$LINKER/" death.o -lgtest -lgtest_main -pthread -o hot) >"$W/build.log" 2>&1; then
    not_ok "$P/build" "$(tail -n 4 "$W/build.log" | tr '\n' '|')"
else
    (cd "$W" && ./ref >ref.out 2>&1); want=$?
    (cd "$W" && ./hot >hot.out 2>&1); got=$?
    say "$P/death-tests" "$([ "$got" = "$want" ] && grep -q 'PASSED  \] 4 tests' "$W/hot.out" ||
        echo "exit $got (linked $want): $(grep -E 'FAILED|Death' "$W/hot.out" | head -n 4 | tr '\n' '|')")"
fi

# ---- every running copy reloads: a program that runs itself again ---------
W=$TMP/ldmode-copies P=ldmode/copies
mkdir -p "$W"
if (cd "$W" && gcc -g -c "$SRC/copies.c" -o copies.o && gcc -g -c "$SRC/value.c" -o value.o &&
    gcc -B"$LINKER/" copies.o value.o -o copies) >"$W/build.log" 2>&1; then
    rm -f "$W/stop"
    (cd "$W" && exec ./copies stop >run.out 2>run.err) &
    pid=$!
    for ((i = 0; i < 250; i++)); do has_line ready "$W/run.out" 2 && break; nap 0.02; done
    (cd "$W" && gcc -g -DVALUE=5 -c "$SRC/value.c" -o value.o && gcc -B"$LINKER/" copies.o value.o -o copies) \
        >"$W/relink.out" 2>&1
    rc=$?
    say "$P/both-reloaded" "$([ $rc = 0 ] && [ "$(grep -c 'hotld: reloaded value.o' "$W/relink.out")" = 2 ] ||
        echo "exit $rc: $(head -c 400 "$W/relink.out" | tr '\n' '|')")"
    sleep 0.2
    touch "$W/stop"
    wait "$pid"
    say "$P/both-run-the-new-code" "$(for who in first second; do has_line "^$who 5\$" "$W/run.out" || echo "$who never printed 5;"; done)"
else
    not_ok "$P/build" "$(head -c 300 "$W/build.log")"
fi

# ---- objects built with -fsanitize= ------------------------------------------
# The linker's check needs ASan's runtime, which must come first: the
# linker starts again with it preloaded, and says nothing of its own blocks.
W=$TMP/ldmode-asan P=ldmode/asan
mkdir -p "$W"
PLANTED=$HOTLD_ROOT/tests/reload/src/sanitizers/planted.c
if (cd "$W" && gcc -g -fsanitize=address,undefined -c "$PLANTED" -o planted.o &&
    gcc -fsanitize=address,undefined planted.o -o ref &&
    gcc -fsanitize=address,undefined -B"$LINKER/" planted.o -o prog) >"$W/build.log" 2>&1; then
    ok "$P/links"
    for mode in clean overflow leak; do
        (cd "$W" && ./ref $mode >ref.out 2>ref.err); want=$?
        (cd "$W" && ./prog $mode >hot.out 2>hot.err); got=$?
        say "$P/$mode" "$([ $got = $want ] || echo "exit $got, linked $want: $(head -c 200 "$W/hot.err")")$(
            [ $mode = overflow ] && ! grep -q 'in main .*planted.c:16' "$W/hot.err" && echo "; frame not named")"
    done
else
    not_ok "$P/links" "$(tail -n 4 "$W/build.log" | tr '\n' '|')"
fi

# ---- ld's single-dash long options (CMake writes -Wl,-export-dynamic) --------
W=$TMP/ldmode-more P=ldmode/gcc
for opt in -Wl,-export-dynamic -rdynamic -Wl,--export-dynamic -Wl,-export-dynamic,-O1; do
    (cd "$W" && gcc -B"$LINKER/" main.o value.o "$opt" -o exported) >"$W/exported.log" 2>&1
    got=$(run_as "$W" ./exported x)
    say "$P/option$opt" "$([ "$got" = "value 1 argc 2 argv1 x|3" ] || echo "[$got] $(head -c 200 "$W/exported.log")")"
done
