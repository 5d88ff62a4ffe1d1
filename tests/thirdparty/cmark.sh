#!/usr/bin/env bash
# hotld as the linker of a real CMake project (issue 17): cmark from
# Debian's source, configured with the README's one setting
# (-DCMAKE_EXE_LINKER_FLAGS=-B$HOTLD/build/linker/) and built by CMake with
# Ninja; its static library and the programs linked from it:
#   - the project's own test suite (ctest: the spec tests through the
#     cmark executable, the API tests) passes with hotld-linked programs;
#   - a running cmark (reading its input from a pipe) is reloaded by the
#     project's own build after an edit of src/html.c, a member of its
#     static library, and renders with the new code;
#   - an edit that does not link fails the build with ld's message, and
#     a running cmark goes on with the code it had.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

LINKER=$HOTLD_ROOT/build/linker
W=$TMP/cmark
mkdir -p "$W"
say() { local name=$1; shift; if [ -z "$*" ]; then ok "$name"; else not_ok "$name" "$*"; fi; }

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" cmark 2>&1); then
    not_ok cmark/fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi
S=$W/src
cp -r "$HOTLD_CACHE/src/cmark" "$S"
build=(cmake --build build)
if ! (cd "$S" && cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_EXE_LINKER_FLAGS=-B$LINKER/" &&
      "${build[@]}") >"$W/build.log" 2>&1; then
    not_ok cmark/build "$(tail -n 5 "$W/build.log" | tr '\n' '|')"
    exit 1
fi
ok cmark/build
(cd "$S/build" && ctest >"$W/ctest.log" 2>&1)
say cmark/own-tests "$(grep -q '100% tests passed' "$W/ctest.log" || echo "$(tail -n 6 "$W/ctest.log" | tr '\n' '|')")"

# start NAME: a running cmark reading from the fifo NAME.in
start() {
    rm -f "$W/$1.in" && mkfifo "$W/$1.in"
    (cd "$S" && exec ./build/src/cmark <"$W/$1.in" >"$W/$1.out" 2>"$W/$1.err") &
    eval "pid_$1=\$!"
    exec {fd}>"$W/$1.in"
    eval "fd_$1=\$fd"
    printf '*hi* there\n' >&"$fd"
    for ((i = 0; i < 250; i++)); do [ -e "/proc/$!/fd" ] && break; sleep 0.02; done
    sleep 0.3 # the session is up and has read the line
}
# finish NAME: end its input and wait for it (not in a subshell: only
# this shell holds the fifo and can wait); its output is in NAME.out
finish() {
    local fd; eval "fd=\$fd_$1"
    exec {fd}>&-
    eval "wait \$pid_$1"
}

start a
sed -i 's|"<em>"|"<i>"|; s|"</em>"|"</i>"|' "$S/src/html.c"
(cd "$S" && "${build[@]}") >"$W/rebuild.out" 2>&1
rc=$?
say cmark/rebuild-reloads "$([ $rc = 0 ] && grep -q 'hotld: reloaded .*html.c.o' "$W/rebuild.out" ||
    echo "exit $rc: $(tail -n 3 "$W/rebuild.out" | tr '\n' '|')")"
finish a
got=$(cat "$W/a.out" "$W/a.err")
say cmark/renders-with-new-code "$([ "$got" = "<p><i>hi</i> there</p>" ] || echo "[$got]")"

start b
sed -i 's|cmark_strbuf_puts(html, "<i>");|cmark_strbuf_puts(html, hotld_no_such_tag());|' "$S/src/html.c"
(cd "$S" && "${build[@]}") >"$W/broken.out" 2>&1
rc=$?
say cmark/link-error-fails-build "$([ $rc != 0 ] && grep -q "undefined reference to \`hotld_no_such_tag'" "$W/broken.out" ||
    echo "exit $rc: $(tail -n 3 "$W/broken.out" | tr '\n' '|')")"
finish b
got=$(cat "$W/b.out" "$W/b.err")
say cmark/link-error-leaves-program "$([ "$got" = "<p><i>hi</i> there</p>" ] || echo "[$got]")"
