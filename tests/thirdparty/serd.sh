#!/usr/bin/env bash
# hotld as the linker of a real Meson project (issue 17): serd from
# Debian's source, configured with the README's one setting
# (-Dc_link_args=-B$HOTLD/build/linker/; its library static, so that the
# program links it, not loads it) and built by Ninja:
#   - the project's own test suite (meson test) passes with hotld-linked
#     programs;
#   - a running serdi, converting a stream read from a pipe, is reloaded
#     by the project's own build after an edit of src/writer.c (a member of
#     its thin static library): statements before the reload are written
#     by the old code, statements after it by the new;
#   - an edit that does not link fails the build with ld's message, and
#     the running serdi goes on.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

LINKER=$HOTLD_ROOT/build/linker
W=$TMP/serd
mkdir -p "$W"
say() { local name=$1; shift; if [ -z "$*" ]; then ok "$name"; else not_ok "$name" "$*"; fi; }
command -v meson >/dev/null || "$HOTLD_ROOT/scripts/deps.sh" >/dev/null 2>&1

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" serd 2>&1); then
    not_ok serd/fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi
S=$W/src
cp -r "$HOTLD_CACHE/src/serd" "$S"
if ! (cd "$S" && meson setup build "-Dc_link_args=-B$LINKER/" -Ddocs=disabled -Ddefault_library=static &&
      ninja -C build) >"$W/build.log" 2>&1; then
    not_ok serd/build "$(tail -n 5 "$W/build.log" | tr '\n' '|')"
    exit 1
fi
ok serd/build
(cd "$S/build" && meson test >"$W/test.log" 2>&1)
say serd/own-tests "$(grep -qE '^Fail: +0' "$W/test.log" && grep -qE '^Ok: +[1-9]' "$W/test.log" ||
    echo "$(grep -E '^(Ok|Fail|Expected Fail):' "$W/test.log" | tr '\n' '|') $(tail -n 3 "$W/test.log" | tr '\n' '|')")"

rm -f "$W/in" && mkfifo "$W/in"
(cd "$S" && exec ./build/serdi -e -i ntriples -o ntriples - <"$W/in" >"$W/out.nt" 2>"$W/err.txt") &
pid=$!
exec {fd}>"$W/in"
printf '<http://a> <http://b> "before" .\n\n' >&"$fd"
sleep 0.5
sed -i 's|sink(" .\\n", 3, writer);|sink(" . # hot\\n", 9, writer);|' "$S/src/writer.c"
grep -q '# hot' "$S/src/writer.c" || not_ok serd/edit "src/writer.c has no 'sink(\" .\\n\", 3, writer);' line"
(cd "$S" && ninja -C build) >"$W/rebuild.out" 2>&1
rc=$?
say serd/rebuild-reloads "$([ $rc = 0 ] && grep -q 'hotld: reloaded .*writer.c.o' "$W/rebuild.out" ||
    echo "exit $rc: $(tail -n 3 "$W/rebuild.out" | tr '\n' '|')")"
printf '<http://a> <http://b> "after" .\n\n' >&"$fd"
sleep 0.3
sed -i 's|sink(" . # hot\\n", 9, writer);|sink(hotld_no_such_end(), 9, writer);|' "$S/src/writer.c"
(cd "$S" && ninja -C build) >"$W/broken.out" 2>&1
rc=$?
say serd/link-error-fails-build "$([ $rc != 0 ] && grep -q "undefined reference to \`hotld_no_such_end'" "$W/broken.out" ||
    echo "exit $rc: $(tail -n 3 "$W/broken.out" | tr '\n' '|')")"
printf '<http://a> <http://b> "still" .\n' >&"$fd"
exec {fd}>&-
wait "$pid"
want='<http://a> <http://b> "before" .
<http://a> <http://b> "after" . # hot
<http://a> <http://b> "still" . # hot'
got=$(cat "$W/out.nt")
say serd/old-then-new-code "$([ "$got" = "$want" ] || echo "[$(echo "$got" | tr '\n' '|')] $(head -c 200 "$W/err.txt")")"
