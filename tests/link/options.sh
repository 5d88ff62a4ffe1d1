#!/usr/bin/env bash
# Command-line behaviour that changes what the program sees: archive
# position and -l/-L, --entry, the default --name, and argument passing
# after "--". Compared with the gcc-linked reference like the other tests.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/link/helpers.bash"

need_tools tools gcc ar timeout || true
B=$TMP/opt
mkdir -p "$B/lib"

for s in main opts; do bg_job compile "$B/$s.o" gcc -c "$LINK_SRC/libc/$s.c"; done
for s in prog ref_main; do bg_job compile "$B/$s.o" gcc -c "$LINK_SRC/entry/$s.c"; done
bg_job compile "$B/arch_main.o" gcc -c "$LINK_SRC/archive/main.c"
MEMBERS="arch_leaf arch_helper arch_unused arch_override arch_weakref arch_data arch_entry"
for m in $MEMBERS; do bg_job compile "$B/lib/$m.o" gcc -c "$LINK_SRC/archive/$m.c"; done
bg_wait

built=1
for f in main opts prog ref_main arch_main; do check_built "build/opt/$f.c" "$B/$f.o" || built=0; done
for m in $MEMBERS; do check_built "build/opt/$m.c" "$B/lib/$m.o" || built=0; done
[ $built = 1 ] || exit 0
members=()
for m in $MEMBERS; do members+=("$m.o"); done
(cd "$B/lib" && ar rcs libarch.a "${members[@]}") ||
    not_ok build/opt/libarch.a "ar failed"

# ref_link NAME OUT ARGS...: gcc link; "not ok" and return 1 if it fails.
ref_link() {
    local name=$1 out=$2; shift 2
    gcc "$@" -o "$out" >"$out.log" 2>&1 && return 0
    not_ok "$name" "reference link failed: $(head -c 400 "$out.log" | tr '\n' ' ')"
    return 1
}

# ---- archives: position on the command line and -l/-L ---------------------
if ref_link options/archive "$B/arch" "$B/arch_main.o" -L"$B/lib" -larch; then
    R="exec -a arch $(q "$B/arch")"
    L=$(q "$B/lib") M=$(q "$B/arch_main.o") A=$(q "$B/lib/libarch.a")
    run_both options/archive-after-object      "$R" "$HOT --name arch $M $A"
    run_both options/archive-before-object     "$R" "$HOT --name arch $A $M"
    run_both options/l-after-object            "$R" "$HOT --name arch $M -L$L -larch"
    run_both options/l-before-object           "$R" "$HOT --name arch -L$L -larch $M"
    run_both options/L-after-l                 "$R" "$HOT --name arch -larch $M -L$L"
    run_both options/archive-twice             "$R" "$HOT --name arch $A $M $A"
    run_both asan/options/archive-before-object "$R" "$HOT_ASAN --name arch -L$L -larch $M"
fi

# ---- --entry: the reference's main just calls alt_start --------------------
if ref_link options/entry "$B/entry" "$B/prog.o" "$B/ref_main.o"; then
    R="exec -a prog $(q "$B/entry")"
    run_both options/entry           "$R x y" "$HOT --name prog --entry alt_start $(q "$B/prog.o") -- x y"
    run_both options/entry-after-obj "$R z"   "$HOT --name prog $(q "$B/prog.o") --entry alt_start -- z"
    run_both asan/options/entry      "$R x y" "$HOT_ASAN --name prog --entry alt_start $(q "$B/prog.o") -- x y"
fi

# ---- argv[0] and argument passing (the libc program prints argv, runs
# getopt, which names argv[0] in its error message, and calls warnx) --------
if ref_link options/args "$B/main" "$B/main.o" "$B/opts.o"; then
    # Default --name: the first object's file name without ".o" ("main").
    run_both options/default-name "cd $(q "$B") && exec -a main ./main -x" \
        "cd $(q "$B") && $HOT main.o opts.o -- -x"
    run_both options/name "exec -a some-name $(q "$B/main") -x" \
        "$HOT --name some-name $(q "$B/main.o" "$B/opts.o") -- -x"
    run_both options/name-after-objects "exec -a other $(q "$B/main") -x" \
        "$HOT $(q "$B/main.o" "$B/opts.o") --name other -- -x"
    run_both options/empty-dashdash "exec -a main $(q "$B/main")" \
        "$HOT --name main $(q "$B/main.o" "$B/opts.o") --"
    # Words after "--" that look like hotld options belong to the program.
    run_both options/args-look-like-options \
        "exec -a main $(q "$B/main") -v --help -lm --name x --entry y -- -v" \
        "$HOT --name main $(q "$B/main.o" "$B/opts.o") -- -v --help -lm --name x --entry y -- -v"
    run_both options/args-special-chars \
        "exec -a main $(q "$B/main") '' ' ' 'a b' \$'tab\\there' '*' \$'\\xc3\\xa9'" \
        "$HOT --name main $(q "$B/main.o" "$B/opts.o") -- '' ' ' 'a b' \$'tab\\there' '*' \$'\\xc3\\xa9'"
    run_both asan/options/args "exec -a main $(q "$B/main") -a -b x y" \
        "$HOT_ASAN --name main $(q "$B/main.o" "$B/opts.o") -- -a -b x y"
    # Standard input reaches the program unchanged.
    printf 'line one\nline two\nthree' >"$B/stdin.txt"
    run_both options/stdin "exec -a main $(q "$B/main")" \
        "$HOT --name main $(q "$B/main.o" "$B/opts.o")" "$B/stdin.txt"
fi
