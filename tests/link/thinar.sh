#!/usr/bin/env bash
# Thin archives (ar T: Meson's static libraries) link as GNU ld links them:
# members read from their files, two members of one base name (a/part.o,
# b/part.o) both found, a member nothing needs left out; against the gcc
# link of the same archive. A thin archive whose member file is gone is one
# error naming both.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

SRC=$HOTLD_ROOT/tests/link/src/thin
W=$TMP/thinar
mkdir -p "$W/a" "$W/b"
if ! (cd "$W" && gcc -c "$SRC/main.c" -o main.o && gcc -c "$SRC/a/part.c" -o a/part.o &&
      gcc -c "$SRC/b/part.c" -o b/part.o && gcc -c "$SRC/lone.c" -o lone.o &&
      ar rcsT libthin.a a/part.o b/part.o lone.o && gcc main.o libthin.a -o ref) >"$W/build.log" 2>&1; then
    not_ok thinar/build "$(head -c 300 "$W/build.log")"
    exit 0
fi
head -c 8 "$W/libthin.a" | grep -q '!<thin>' || not_ok thinar/is-thin "ar T made no thin archive"
want=$(cd "$W" && ./ref; echo "|$?")
got=$(cd "$W" && "$HOTLD" main.o libthin.a 2>&1; echo "|$?")
if [ "$got" = "$want" ]; then ok thinar/links-as-ld; else not_ok thinar/links-as-ld "[$got], ld [$want]"; fi
got=$(cd / && "$HOTLD" "$W/main.o" -L"$W" -lthin 2>&1; echo "|$?")
if [ "$got" = "$want" ]; then ok thinar/by-l-from-elsewhere; else not_ok thinar/by-l-from-elsewhere "[$got], ld [$want]"; fi
got=$(cd "$W" && "$HOTLD" --status main.o libthin.a 2>&1; "$HOTLD" --sizes main.o libthin.a 2>&1)
case $got in *"libthin.a(part.o#2)"*) ok thinar/twins-named ;; *) not_ok thinar/twins-named "$(echo "$got" | grep -m3 part | tr '\n' '|')" ;; esac
mv "$W/lone.o" "$W/lone.gone"
got=$(cd "$W" && "$HOTLD" main.o libthin.a 2>&1; echo "|$?")
case $got in *"libthin.a: its member "*"lone.o: No such file"*"|1") ok thinar/missing-member ;; *) not_ok thinar/missing-member "[$got]" ;; esac
