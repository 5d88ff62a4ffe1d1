#!/usr/bin/env bash
# The layering of hotld's own code (scripts/layers.sh): no file uses a
# symbol of a higher layer, in the plain and the ASan builds; and the check
# itself catches an upward call planted in a copy of the tree, naming the
# symbol and both files, and one between two folders in a circle.
. "$(dirname "$0")/../lib.sh"
R=$HOTLD_ROOT
check() { "$R/scripts/layers.sh" "$@" >"$TMP/out" 2>&1; }

for b in build build/asan; do
    if check "$R/$b"; then ok "layers/$b"; else not_ok "layers/$b" "$(head -n 3 "$TMP/out" | tr '\n' '|')"; fi
done

# A copy of the sources and objects, with one planted file compiled in.
plant() { # FOLDER NAME CODE
    rm -rf "$TMP/src" "$TMP/build"
    mkdir -p "$TMP/src" "$TMP/build"
    for d in $("$R/scripts/layers.sh" --dirs); do
        mkdir -p "$TMP/src/$d" "$TMP/build/$d"
        cp "$R/$d"/*.c "$TMP/src/$d/"
        cp "$R/build/$d"/*.o "$TMP/build/$d/"
    done
    printf '%s\n' "$3" >"$TMP/src/$1/$2.c"
    gcc -c "$TMP/src/$1/$2.c" -o "$TMP/build/$1/$2.o"
}

plant base planted 'int session_main(void *); int planted(void) { return session_main(0); }'
if check "$TMP/build" "$TMP/src"; then
    not_ok layers/planted-upward-call "an upward call from base/ to session/ passed"
elif grep -q "^layers: base/planted.c (base) uses 'session_main' of session/session.c (session), a higher layer$" "$TMP/out"; then
    ok layers/planted-upward-call
else
    not_ok layers/planted-upward-call "not named as expected: $(head -n 2 "$TMP/out" | tr '\n' '|')"
fi

# gdb/ calling reload/ while reload/ calls gdb/: the lower side is named.
plant gdb planted 'int reload_apply(void *, void *, char **); int planted(void) { return reload_apply(0, 0, 0); }'
if ! check "$TMP/build" "$TMP/src" && grep -q "gdb/planted.c (gdb) uses 'reload_apply' of reload/reload.c (reload)" "$TMP/out" &&
    [ "$(wc -l <"$TMP/out")" -eq 1 ]; then
    ok layers/planted-circle
else
    not_ok layers/planted-circle "$(head -n 2 "$TMP/out" | tr '\n' '|')"
fi

# Calls within one layer, and downward, are allowed.
plant session planted 'int reload_apply(void *, void *, char **); int planted(void) { return reload_apply(0, 0, 0); }'
if check "$TMP/build" "$TMP/src"; then ok layers/downward-call; else not_ok layers/downward-call "$(head -n 2 "$TMP/out")"; fi
