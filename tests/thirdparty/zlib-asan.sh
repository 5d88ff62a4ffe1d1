#!/usr/bin/env bash
# An ASan+UBSan build of a real program runs under hotld as linked (issue
# 26): zlib from Debian's source, configured and made by its own build
# with -fsanitize=address,undefined, and its test programs (example,
# minigzip) linked by gcc with the same flags as the oracle:
#   - example's checks and a minigzip round trip give the same output and
#     exit status, with no report;
#   - planted bugs (tests/thirdparty/asan/plant.c, linked into both): an
#     overflow and a leak give the linked build's exit status, and the
#     reports' frames in plant.c name the same functions and lines.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

SRCPKG=$HOTLD_CACHE/src/zlib
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
W=$TMP/zlib-asan
mkdir -p "$W"
say() { local name=$1; shift; if [ -z "$*" ]; then ok "$name"; else not_ok "$name" "$*"; fi; }

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" zlib 2>&1); then
    not_ok zlib-asan/fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi
B=$W/build
if ! (cp -a "$SRCPKG"/. "$B"/ && cd "$B" && env -u LDFLAGS CFLAGS="-O2 -g $SAN" ./configure --static &&
      make -j2 libz.a example.o minigzip.o &&
      gcc -g $SAN -c "$HOTLD_ROOT/tests/thirdparty/asan/plant.c" -o plant.o &&
      gcc $SAN example.o plant.o libz.a -o ref-example && gcc $SAN minigzip.o plant.o libz.a -o ref-minigzip) \
        >"$W/build.log" 2>&1; then
    not_ok zlib-asan/build "$(tail -n 5 "$W/build.log" | tr '\n' '|')"
    exit 1
fi
ok zlib-asan/build

# both NAME CMD-LINKED CMD-HOTLD: the same stdout and status; stderr kept
both() {
    local name=$1 want got
    want=$(cd "$W" && eval "$2" 2>"$W/$name.linked.err"; echo "|$?")
    got=$(cd "$W" && eval "$3" 2>"$W/$name.hot.err"; echo "|$?")
    say "zlib-asan/$name" "$([ "$got" = "$want" ] || echo "[$got], linked [$want]; $(head -c 300 "$W/$name.hot.err" | tr '\n' '|')")$(
        grep -q Sanitizer "$W/$name.hot.err" && [ "${4:-}" != report ] && echo "; a sanitizer report")"
}
H=$(printf '%q' "$HOTLD")
both example "$B/ref-example foo.gz" "$H $B/example.o $B/plant.o $B/libz.a -- foo.gz"
printf 'hotld %.0s' $(seq 1 2000) >"$W/in.txt"
both minigzip "$B/ref-minigzip <in.txt | $B/ref-minigzip -d | cmp - in.txt && echo same" \
    "$H --name minigzip $B/minigzip.o $B/plant.o $B/libz.a <in.txt | $H --name minigzip $B/minigzip.o $B/plant.o $B/libz.a -- -d | cmp - in.txt && echo same"

# frames LOG: "FUNCTION plant.c:LINE" of the report's frames in plant.c
frames() { sed -nE 's/^ +#[0-9]+ 0x[0-9a-f]+ in ([^ ]+) [^ ]*(plant\.c:[0-9]+).*/\1 \2/p' "$1" | tr '\n' ';'; }
for plant in overflow leak; do
    both "plant-$plant" "HOTLD_PLANT=$plant $B/ref-example foo.gz" \
        "HOTLD_PLANT=$plant $H $B/example.o $B/plant.o $B/libz.a -- foo.gz" report
    want=$(frames "$W/plant-$plant.linked.err") got=$(frames "$W/plant-$plant.hot.err")
    say "zlib-asan/plant-$plant-named" "$([ -n "$want" ] && [ "$got" = "$want" ] || echo "frames [$got], linked [$want]")"
done
