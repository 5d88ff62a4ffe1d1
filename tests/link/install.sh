#!/usr/bin/env bash
# make install (issue 17): into a fresh prefix, hotld, the linker's names
# for builds, hotld.h with its pkg-config file, and the gdb helper with the
# snippet gdb's system init directory loads. A program linked through the
# installed linker directory runs; gdb, given the snippet as it would read
# it from /etc/gdb/gdbinit.d, has the helper's commands for it with no
# safe-path setting; make uninstall takes it all away.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

W=$TMP/install
P=$W/prefix G=$W/gdbinit.d
mkdir -p "$W"
# -o build/hotld: use hotld as built, never rebuild it under other tests
if ! make --no-print-directory -s -C "$HOTLD_ROOT" -o build/hotld install PREFIX="$P" GDBINITDIR="$G" \
        >"$W/install.log" 2>&1; then
    not_ok install/runs "$(tail -n 5 "$W/install.log" | tr '\n' '|')"
    exit 0
fi
missing=""
for f in bin/hotld lib/hotld/ld lib/hotld/hotld-ld include/hotld.h lib/pkgconfig/hotld.pc share/hotld/hotld-gdb.py; do
    [ -e "$P/$f" ] || missing="$missing $f"
done
[ -e "$G/hotld.py" ] || missing="$missing gdbinit.d/hotld.py"
if [ -z "$missing" ]; then ok install/files; else not_ok install/files "missing:$missing"; fi

cflags=$(PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config --cflags hotld 2>&1 | sed "s/ *$//")
if [ "$cflags" = "-I$P/include" ]; then ok install/pkg-config; else not_ok install/pkg-config "[$cflags]"; fi

SRC=$HOTLD_ROOT/tests/link/src/ldmode
(cd "$W" && gcc -g -c "$SRC/main.c" -o main.o && gcc -g -c "$SRC/value.c" -o value.o &&
    gcc -B"$P/lib/hotld/" main.o value.o -o prog) >"$W/link.log" 2>&1
got=$(cd "$W" && ./prog x 2>&1)
got="$got|$?"
if [ "$got" = "value 1 argc 2 argv1 x|3" ]; then ok install/links-and-runs
else not_ok install/links-and-runs "[$got] $(head -c 300 "$W/link.log")"; fi

timeout 60 gdb -nx -batch -iex "source $G/hotld.py" -ex 'set breakpoint pending on' -ex 'break value' -ex run \
    -ex 'hotld status' --args "$W/prog" x >"$W/gdb.out" 2>&1
if grep -q 'value.o  *version 0' "$W/gdb.out"; then ok install/gdb-helper-loaded
else not_ok install/gdb-helper-loaded "$(grep -E 'hotld|Undefined|Breakpoint' "$W/gdb.out" | head -n 4 | tr '\n' '|')"; fi

make --no-print-directory -s -C "$HOTLD_ROOT" -o build/hotld uninstall PREFIX="$P" GDBINITDIR="$G" >"$W/uninstall.log" 2>&1
left=$(find "$P" "$G" -type f -o -type l 2>/dev/null | head -n 5 | tr '\n' ' ')
if [ -z "$left" ]; then ok install/uninstall; else not_ok install/uninstall "left: $left"; fi
