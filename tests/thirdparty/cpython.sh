#!/usr/bin/env bash
# Third-party program test: the CPython 3.11 interpreter, built from
# Debian's python3.11 source package with its own build (./configure without
# --enable-shared; make -j2), so that `python` is linked from the
# interpreter's objects with -Xlinker -export-dynamic and the standard
# library's extension modules are shared objects it dlopens
# (build/lib.linux-x86_64-3.11/*.so) that resolve Py* against it. hotld runs
# the interpreter from the inputs of the link line the build used, and its
# stdout, stderr and exit status must match the linked ./python's: the
# version and path configuration, extension modules (math, json, decimal,
# ctypes, sqlite3, ssl, zlib, struct, select), a module import without
# -export-dynamic (failing the same way), a subset of CPython's regression
# suite (one check per test module: summary and exit status), and one script
# under the ASan+UBSan build of hotld. A running interpreter is hot-reloaded
# with a changed builtin_abs (Python/bltinmodule.c) while a Python loop
# counts lines from a FIFO.
#
# Both runs start from the build directory (`cd $B; ./python`), which is how
# the built interpreter finds its standard library: getpath reads
# pybuilddir.txt next to argv[0], so hotld gets `--name ./python` (and the
# reload, run elsewhere, `--name $B/python`). The regression suite runs
# through $B/python-hotld, a script that runs hotld with the same link line
# and its own name as argv[0]: sys.executable, and the interpreters the tests
# start with it, go through hotld too.
#
# Builds are cached in $HOTLD_CACHE/build/cpython-KEY, KEY hashing the
# compiler version, the configure flags, the source version and the text of
# build_cpython and link_args.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

SD=$HOTLD_ROOT/tests/thirdparty/cpython   # the test scripts
SRCPKG=$HOTLD_CACHE/src/python3.11
# Upstream's defaults (the bundled expat and libmpdec, the system's libffi).
# pyexpat and _elementtree do not build this way from Debian's tree
# (pyexpat.c includes internal headers without Py_BUILD_CORE; Debian builds
# them from its patched Modules/Setup): no check needs them.
CONFIGURE_FLAGS=""
# The regression tests compared (each one is a check); all take under 10 s.
REGRTESTS="test_math test_json test_struct test_zlib test_sqlite3 test_ctypes test_decimal test_select test_capi"
# Both runs of every check see the same environment; no .pyc is written
# into the cached build tree (the build compiled Lib/ once).
unset PYTHONHOME PYTHONPATH PYTHONSTARTUP PYTHONWARNINGS PYTHONUSERBASE PYTHONSAFEPATH \
      PYTHONPYCACHEPREFIX PYTHONINSPECT PYTHONOPTIMIZE PYTHONVERBOSE PYTHONDEVMODE
export PYTHONDONTWRITEBYTECODE=1 PYTHONNOUSERSITE=1 LC_ALL=C.UTF-8
export HOTLD   # python-hotld runs "$HOTLD"

q() { printf '%q' "$1"; }
tail_log() { tail -n 8 "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-600; }
comment() { local l; while IFS= read -r l; do echo "# $1$l"; done <<<"$2"; }  # PREFIX TEXT

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" python3.11 2>&1); then
    not_ok cpython-fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi

# link_args LINE: what hotld takes of the link command the build ran
# ("gcc -Xlinker -export-dynamic -o python Programs/python.o ... -ldl -lm"),
# one word a line on stdout; what it drops goes to stderr. Kept: objects,
# archives, -l/-L and the export options (-Xlinker -export-dynamic is
# upstream's LINKFORSHARED on Linux: extension modules need the interpreter's
# Py* symbols). Dropped: the driver (gcc, the first word) and `-o python`
# (hotld writes no file), and anything else hotld refuses: compiler flags
# (-g, -O2, -pthread ...) and other linker options, such as the -Wl,-O1
# -Wl,-Bsymbolic-functions that Debian's link-opt.diff adds to configure.ac
# (not in effect here: ./configure is upstream's, not regenerated), which
# only tune how ld writes a file and change nothing of how the program runs.
link_args() {
    local w prev="" first=1 words
    read -ra words <<<"$1"
    for w in "${words[@]}"; do
        if [ $first = 1 ]; then first=0; printf '%s\n' "$w" >&2; continue; fi
        case $prev in
            -o) printf '%s\n' "$w" >&2; prev=""; continue ;;
            -Xlinker)
                case $w in
                    -export-dynamic | --export-dynamic | -E) printf '%s\n' -Xlinker "$w" ;;
                    *) printf '%s\n' "-Xlinker $w" >&2 ;;
                esac
                prev=""; continue ;;
        esac
        case $w in
            -o) prev=$w; printf '%s\n' "$w" >&2 ;;
            -Xlinker) prev=$w ;;
            *.o | *.a | -l?* | -L?*) printf '%s\n' "$w" ;;
            -rdynamic | -E | --export-dynamic | -Wl,-E | -Wl,--export-dynamic | -Wl,-export-dynamic) printf '%s\n' "$w" ;;
            *) printf '%s\n' "$w" >&2 ;;
        esac
    done
}

# build_cpython: configure and build a copy of the source, record the
# interpreter's link line (from make's output) and the compile command of
# Python/bltinmodule.o (for the reload), compile Lib/ to .pyc, link the
# reference python-noexport without -export-dynamic, and write python-hotld.
# Sets B (the build directory) and BUILD_LOG; non-zero on failure.
build_cpython() {
    local key tmp rc lockfd
    key=$({ declare -f build_cpython link_args; gcc --version | head -n 1; echo "$CONFIGURE_FLAGS"
            head -n 1 "$SRCPKG/debian/changelog"; } | sha256sum | cut -c1-16)
    B=$HOTLD_CACHE/build/cpython-$key
    BUILD_LOG=$B.log
    [ -f "$B/.complete" ] && return 0
    # Concurrent runs sharing the cache wait for each other's build.
    mkdir -p "${B%/*}" && exec {lockfd}>"$B.lock" && flock "$lockfd" || return 1
    if [ -f "$B/.complete" ]; then exec {lockfd}>&-; return 0; fi
    tmp=$B.tmp.$$
    rm -rf "$tmp" && mkdir -p "$tmp" || return 1
    (
        # Run by make test-real, this is a child of make: CPython's make
        # must not join its jobserver, nor print "make[1]: Entering
        # directory" lines into the commands read from its output.
        unset MAKEFLAGS MFLAGS MAKELEVEL
        cp -a "$SRCPKG"/. "$tmp"/ || exit 1
        cd "$tmp" || exit 1
        echo "== ./configure $CONFIGURE_FLAGS"
        # shellcheck disable=SC2086
        env -u CC -u CFLAGS -u CPPFLAGS -u LDFLAGS -u LIBS ./configure $CONFIGURE_FLAGS || exit 1
        echo "== make -j2"
        make -j2 >make.log 2>&1; rc=$?
        cat make.log
        [ $rc -eq 0 ] || exit 1
        # The modules the checks use: setup.py only warns when one fails
        # (a missing -dev package, see scripts/deps.sh).
        ./python -c 'import math, _json, _decimal, _ctypes, _sqlite3, _ssl, _hashlib, zlib, _struct, select, _testcapi' ||
            { echo "== an extension module is missing"; exit 1; }
        grep -E -- ' -o python Programs/python\.o ' make.log >link.txt || { echo "== no link line for python"; exit 1; }
        [ "$(wc -l <link.txt)" -eq 1 ] || { echo "== several link lines for python"; exit 1; }
        link_args "$(cat link.txt)" >hotld-args.txt 2>dropped.txt || exit 1
        grep -qx Programs/python.o hotld-args.txt && grep -qx -- -export-dynamic hotld-args.txt || exit 1
        make --no-print-directory -n -W Python/bltinmodule.c Python/bltinmodule.o >cc-bltinmodule.txt || exit 1
        grep -q -- '-o Python/bltinmodule.o Python/bltinmodule.c' cc-bltinmodule.txt || exit 1
        # The same link without the export option, as a reference for the
        # failing import.
        sed -e 's/ -Xlinker -export-dynamic / /' -e 's/ -o python / -o python-noexport /' link.txt >link-noexport.txt
        sh link-noexport.txt || exit 1
        # hotld's python: the link line's inputs, found next to this script.
        # shellcheck disable=SC2016
        {
            echo '#!/bin/sh'
            echo '# python run by hotld ($HOTLD) from the inputs of its link line; argv[0] is'
            echo '# this script, so sys.executable, and the interpreters Python starts with'
            echo '# it, go through hotld too. Written by tests/thirdparty/cpython.sh.'
            echo 'd=$(dirname "$(realpath "$0")")'
            printf 'exec "${HOTLD:?}" --name "$0"'
            while IFS= read -r w; do
                case $w in -*) printf ' %s' "$w" ;; *) printf ' "$d/%s"' "$w" ;; esac
            done <hotld-args.txt
            echo ' -- "$@"'
        } >python-hotld && chmod +x python-hotld || exit 1
        echo "== compileall"
        ./python -E -m compileall -q -j2 -x 'lib2to3/tests/data|test/bad|tests/data' Lib >compileall.log 2>&1
        ./python -c 'import sys; print(sys.version)' || exit 1
    ) >"$BUILD_LOG" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        touch "$tmp/.complete" && rm -rf "$B" && mv "$tmp" "$B" || rc=1
        # Drop builds made with an older recipe, toolchain or source.
        for old in "$HOTLD_CACHE/build/cpython-"*; do
            case $old in "$B" | "$B".*) ;; *) rm -rf "$old" ;; esac
        done
    fi
    rm -rf "$tmp"
    exec {lockfd}>&-
    return $rc
}

wait_line() { # FILE PATTERN: up to 10 s
    for _ in $(seq 100); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

# py_check NAME STDIN ARGS...: ./python vs hotld --name ./python with the
# link line's inputs, both run from the build directory.
py_check() {
    local name=$1 in=$2 args="" a
    shift 2
    for a in "$@"; do args="$args $(q "$a")"; done
    run_both "cpython-$name" \
        "cd $(q "$B") && exec ./python$args" \
        "cd $(q "$B") && $(q "$HOTLD") --name ./python $HOT_ARGS --$args" "$in"
}

# regrtest_check TEST: `-m test TEST` by ./python and by python-hotld; the
# summary (from "== Tests result" on, without the duration: the result,
# which tests passed, failed or were skipped) and the exit status must match.
regrtest_check() {
    local t=$1 ref=$TMP/regrtest-ref-$1.txt hot=$TMP/regrtest-hot-$1.txt rs hs
    mkdir -p "$TMP/regrtest"
    (cd "$B" && exec ./python -m test --tempdir "$TMP/regrtest" "$t") </dev/null >"$ref" 2>&1; rs=$?
    (cd "$B" && exec ./python-hotld -m test --tempdir "$TMP/regrtest" "$t") </dev/null >"$hot" 2>&1; hs=$?
    summary() { sed -n '/^== Tests result: /,$p' "$1" | grep -v '^Total duration:'; }
    if [ "$(summary "$ref")" = "" ]; then
        not_ok "cpython-regrtest-$t" "no summary from the reference (exit $rs): $(tail_log "$ref")"
    elif [ $rs -ne $hs ] || [ "$(summary "$ref")" != "$(summary "$hot")" ]; then
        not_ok "cpython-regrtest-$t" "exit $hs, expected $rs; $(summary "$hot" | tr '\n' ' ' | cut -c1-200) $(grep -E '^(ERROR|FAIL|Fatal|Traceback|hotld)|Error:' "$hot" | head -n 5 | tr '\n' '|' | cut -c1-400)"
    else
        ok "cpython-regrtest-$t"
        grep -q '^Tests result: SUCCESS' "$ref" || echo "# $t: the reference's result is not SUCCESS: $(summary "$ref" | tr '\n' ' ')"
    fi
}

# Hot reload of the running interpreter: a copy of the interpreter's objects
# runs count.py, reading lines from a FIFO; Python/bltinmodule.c is edited in
# the copy (builtin_abs returns PyNumber_Negative(x)), recompiled with the
# build's own command and reloaded by running the same hotld command again;
# the loop's counter must go on and abs() answer with the new code; then the
# original object comes back.
cpython_reload_check() {
    local d=$TMP/reload session=cpython-reload-$$ name=cpython-reload report rc fd pid
    rm -rf "$d" && mkdir -p "$d/Python" || return
    # shellcheck disable=SC2046
    if ! (cd "$B" && cp --parents $(grep -vE '^-' hotld-args.txt) "$d"/); then
        not_ok "$name" "cannot copy the objects"; return
    fi
    # The compile command's include paths (-I. -I./Include ...) and the
    # #include "clinic/bltinmodule.c.h" next to the source, from the copy.
    if ! ln -s "$B/Include" "$d/Include" || ! ln -s "$B/pyconfig.h" "$d/pyconfig.h" ||
       ! ln -s "$B/Python/clinic" "$d/Python/clinic"; then
        not_ok "$name" "cannot link the headers"; return
    fi
    sed 's/return PyNumber_Absolute(x);/return PyNumber_Negative(x);/' "$B/Python/bltinmodule.c" >"$d/Python/bltinmodule.c"
    if cmp -s "$B/Python/bltinmodule.c" "$d/Python/bltinmodule.c"; then
        not_ok "$name" "could not patch builtin_abs in Python/bltinmodule.c"; return
    fi
    mkfifo "$d/in"
    # shellcheck disable=SC2086
    (cd "$d" && exec "$HOTLD" --session "$session" --name "$B/python" $HOT_ARGS -- "$SD/count.py" <in >out 2>err) &
    pid=$!
    exec {fd}>"$d/in"
    echo abc >&$fd
    if ! wait_line "$d/out" "^1 1 3$"; then
        not_ok "$name" "no first answer: $(head -c 300 "$d/err")"; exec {fd}>&-; kill "$pid"; wait "$pid"; return
    fi
    cp "$d/Python/bltinmodule.o" "$d/bltinmodule.orig"
    if ! (cd "$d" && sh "$B/cc-bltinmodule.txt") >"$d/cc.log" 2>&1; then
        not_ok "$name" "cannot compile the edited bltinmodule.c: $(tail_log "$d/cc.log")"; exec {fd}>&-; wait "$pid"; return
    fi
    # shellcheck disable=SC2086
    report=$(cd "$d" && "$HOTLD" --session "$session" --name "$B/python" $HOT_ARGS -- "$SD/count.py" 2>&1); rc=$?
    comment "reload: " "$report"
    if [ $rc -ne 0 ] || [[ $report != *"reloaded bltinmodule.o"* ]]; then
        not_ok "$name" "reload failed ($rc): $report"
    else
        ok "$name"
        # The report must not warn: the edit changes one function's code,
        # no type and no variable.
        if grep -q 'warning' <<<"$report"; then
            not_ok "$name/no-warning" "$(grep warning <<<"$report" | head -n 3 | tr '\n' ' ' | cut -c1-500)"
        else ok "$name/no-warning"; fi
        echo abcd >&$fd
        if wait_line "$d/out" "^2 -2 4$"; then ok "$name/new-code-keeps-state"; else
            not_ok "$name/new-code-keeps-state" "$(tail -n 2 "$d/out" | tr '\n' ' ') $(tail -n 3 "$d/err" | tr '\n' ' ')"; fi
        cp "$d/bltinmodule.orig" "$d/Python/bltinmodule.o"
        # shellcheck disable=SC2086
        report=$(cd "$d" && "$HOTLD" --session "$session" --name "$B/python" $HOT_ARGS -- "$SD/count.py" 2>&1)
        comment "reload back: " "$report"
        echo ab >&$fd
        if wait_line "$d/out" "^3 3 2$"; then ok "$name/back-to-original"; else
            not_ok "$name/back-to-original" "$report $(tail -n 2 "$d/out" | tr '\n' ' ')"; fi
    fi
    exec {fd}>&-
    wait "$pid"
    rc=$?
    if [ $rc -eq 0 ] && [ "$(tail -n 1 "$d/out")" = "done 3" ]; then ok "$name/exit"; else
        not_ok "$name/exit" "exit $rc, last line '$(tail -n 1 "$d/out")': $(tail_log "$d/err")"; fi
}

if ! build_cpython; then
    not_ok cpython-build "build failed, log $BUILD_LOG: $(tail_log "$BUILD_LOG")"
    exit 1
fi
ok cpython-build
HOT_ARGS=$(tr '\n' ' ' <"$B/hotld-args.txt")
echo "# link line: $(cut -c1-300 "$B/link.txt") ..."
echo "# hotld is given $(wc -l <"$B/hotld-args.txt") words of it; dropped: $(tr '\n' ' ' <"$B/dropped.txt")"

# The interpreter finds the same build tree, paths and version.
py_check version /dev/null -c 'import sys, sysconfig; print(sys.version); print(sys.executable, sys.prefix, sys.path, sysconfig.is_python_build())'
py_check stdlib-imports /dev/null "$SD/stdlib_imports.py"
py_check stdin-script "$SD/stdlib_imports.py" -
py_check exit-status /dev/null -c 'import sys; print("bye"); sys.stderr.write("err\n"); sys.exit(3)'
py_check uncaught-exception /dev/null -c 'import json; json.loads("{bad")'
py_check interactive "$SD/interactive.txt" -i -q
# Without the export option, an extension module cannot find the
# interpreter's symbols: dlopen fails the same way in both.
run_both cpython-import-without-export-dynamic \
    "cd $(q "$B") && exec ./python-noexport -c 'import math'" \
    "cd $(q "$B") && $(q "$HOTLD") --name ./python-noexport $(grep -vE '^-(Xlinker|export-dynamic)$' "$B/hotld-args.txt" | tr '\n' ' ') -- -c 'import math'"
# sys.executable of the hotld run is python-hotld: interpreters started
# from Python run under hotld as well.
run_both cpython-subprocess \
    "cd $(q "$B") && exec ./python -c 'import subprocess, sys; r = subprocess.run([sys.executable, \"-c\", \"import math; print(math.pi)\"], capture_output=True); print(r.returncode, r.stdout, r.stderr)'" \
    "cd $(q "$B") && exec ./python-hotld -c 'import subprocess, sys; r = subprocess.run([sys.executable, \"-c\", \"import math; print(math.pi)\"], capture_output=True); print(r.returncode, r.stdout, r.stderr)'"
out=$(cd "$B" && ./python-hotld -c 'import os, subprocess, sys; print(subprocess.run([sys.executable, "-c", "import os; print(os.path.basename(os.readlink(\"/proc/self/exe\")))"], capture_output=True, text=True).stdout.strip())' 2>&1)
expect_eq cpython-subprocess-runs-hotld "$(basename "$HOTLD")" "$out"

for t in $REGRTESTS; do regrtest_check "$t"; done

cpython_reload_check

# The ASan+UBSan build of hotld must run the same program identically.
if [ -x "${HOTLD_ASAN:-}" ]; then
    run_both cpython-asan-stdlib-imports \
        "cd $(q "$B") && exec ./python $(q "$SD/stdlib_imports.py")" \
        "cd $(q "$B") && ASAN_OPTIONS=detect_leaks=0 $(q "$HOTLD_ASAN") --name ./python $HOT_ARGS -- $(q "$SD/stdlib_imports.py")"
else
    not_ok cpython-asan-stdlib-imports "ASan build of hotld missing: ${HOTLD_ASAN:-HOTLD_ASAN unset} (make build/asan/hotld)"
fi
