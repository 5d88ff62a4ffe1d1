#!/usr/bin/env bash
# hotld as the linker of a real autotools project (issue 17): mawk from
# Debian's source, configured with the one setting `./configure
# LDFLAGS=-B$HOTLD/build/linker/` (configure's own link-and-run checks
# included) and built by its own `make`; against the same source built
# without it (the oracle):
#   - awk programs give the same output and exit status;
#   - a running `mawk -W interactive` is reloaded by the project's own
#     `make` after an edit of bi_funct.c: the next line shows the new
#     code, and the awk program's own state (a counter) is kept;
#   - an edit that does not link fails `make` with ld's message, and the
#     running mawk goes on with the code it had.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

LINKER=$HOTLD_ROOT/build/linker
SRCPKG=$HOTLD_CACHE/src/mawk
W=$TMP/mawk
mkdir -p "$W"
say() { local name=$1; shift; if [ -z "$*" ]; then ok "$name"; else not_ok "$name" "$*"; fi; }

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" mawk 2>&1); then
    not_ok mawk/fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi
command -v yacc >/dev/null || "$HOTLD_ROOT/scripts/deps.sh" byacc >/dev/null 2>&1

# build DIR [CONFIGURE-ARGS...]: a copy of the source, configured and made
build() {
    local dir=$1; shift
    rm -rf "$dir" && cp -r "$SRCPKG" "$dir" &&
        (cd "$dir" && ./configure "$@" && make -j2) >"$dir.log" 2>&1
}
if ! build "$W/ref"; then not_ok mawk/build-ref "$(tail -n 5 "$W/ref.log" | tr '\n' '|')"; exit 1; fi
if ! build "$W/hot" LDFLAGS=-B"$LINKER/"; then not_ok mawk/build "$(tail -n 5 "$W/hot.log" | tr '\n' '|')"; exit 1; fi
ok mawk/build
cmp -s "$W/ref/config.h" "$W/hot/config.h" && ok mawk/configure-same ||
    not_ok mawk/configure-same "config.h differs: $(diff "$W/ref/config.h" "$W/hot/config.h" | head -n 4 | tr '\n' '|')"

run() { # MAWK PROGRAM INPUT: "stdout|status"
    local out; out=$(printf '%b' "$3" | "$1" "$2" 2>&1); echo "$out|$?"
}
checks=(
    '{ print toupper($0), length($0) }|hello world\nsecond line\n'
    '{ n[$1]++ } END { for (k in n) s = s k n[k] ; print length(s) }|a\nb\na\nc\n'
    'BEGIN { printf "%.3f %d %s\\n", atan2(1, 1) * 4, 2^10, substr("hotld", 2, 3) }|'
    '{ gsub(/o/, "0"); print } END { exit 3 }|foo boo\n'
    'BEGIN { split("a:b:c", p, ":"); print p[3] p[1]; print index("linker", "ker") }|'
)
for i in "${!checks[@]}"; do
    prog=${checks[$i]%%|*} input=${checks[$i]#*|}
    want=$(run "$W/ref/mawk" "$prog" "$input") got=$(run "$W/hot/mawk" "$prog" "$input")
    say "mawk/program-$i" "$([ "$got" = "$want" ] || echo "[$got], linked [$want]")"
done

# The running interpreter, fed line by line, rebuilt by its own make.
M=$W/hot
rm -f "$M/in" && mkfifo "$M/in"
(cd "$M" && exec ./mawk -W interactive '{ n++; print n, toupper($0) }' <in >run.out 2>run.err) &
pid=$!
exec {fd}>"$M/in"
line() { echo "$1" >&"$fd"; for ((i = 0; i < 250; i++)); do [ "$(wc -l <"$M/run.out")" -ge "$2" ] && break; sleep 0.02; done; }
line abc 1
say mawk/runs "$([ "$(sed -n 1p "$M/run.out")" = "1 ABC" ] || echo "[$(cat "$M/run.out")]")"
sed -i 's/\*q = (char) toupper((UChar) \* q);/*q = (char) tolower((UChar) * q);/' "$M/bi_funct.c"
(cd "$M" && make) >"$M/remake.out" 2>&1
rc=$?
say mawk/make-reloads "$([ $rc = 0 ] && grep -q 'hotld: reloaded .*bi_funct.o' "$M/remake.out" ||
    echo "exit $rc: $(tail -n 3 "$M/remake.out" | tr '\n' '|')")"
line AbC 2
say mawk/new-code-state-kept "$([ "$(sed -n 2p "$M/run.out")" = "2 abc" ] || echo "[$(cat "$M/run.out" | tr '\n' '|')]")"
sed -i 's/\*q = (char) tolower((UChar) \* q);/*q = (char) hotld_no_such_function((UChar) * q);/' "$M/bi_funct.c"
(cd "$M" && make) >"$M/broken.out" 2>&1
rc=$?
say mawk/link-error-fails-make "$([ $rc != 0 ] && grep -q "undefined reference to \`hotld_no_such_function'" "$M/broken.out" ||
    echo "exit $rc: $(tail -n 3 "$M/broken.out" | tr '\n' '|')")"
line XyZ 3
say mawk/link-error-leaves-program "$([ "$(sed -n 3p "$M/run.out")" = "3 xyz" ] || echo "[$(cat "$M/run.out" | tr '\n' '|')]")"
exec {fd}>&-
wait "$pid"
say mawk/exit "$([ $? = 0 ] || echo "exit $?: $(head -c 300 "$M/run.err")")"
