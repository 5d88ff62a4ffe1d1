#!/usr/bin/env bash
# The program's dynamic symbols (issue 24), against the executable gcc
# links with ld.bfd: with -rdynamic (and each spelling of it, as hotld or
# ld options, through -Wl, or -Xlinker), with --dynamic-list, and with
# none. What dlsym finds of the program, and whether a plugin that
# refers to the program's function and variable loads, must match; a
# hidden function is never exported.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/link/helpers.bash"

need_tools tools gcc clang || true
S=$LINK_SRC/exports

# build_pair SET PROGRAM LIBRARY: with $CC, $B=$TMP/SET-$CC gets
# PROGRAM.o and libLIBRARY.so from $S's sources; false if either failed.
build_pair() {
    B=$TMP/$1-$CC
    mkdir -p "$B"
    compile "$B/$2.o" "$CC" -c "$S/$2.c"
    compile "$B/lib$3.so" "$CC" -shared -fPIC "$S/$3.c"
    check_built "$1/$CC/$2" "$B/$2.o" && check_built "$1/$CC/lib$3" "$B/lib$3.so"
}

for CC in gcc clang; do
    build_pair exports host plugin || continue
    # case NAME REFERENCE-FLAGS HOTLD-FLAGS...
    case_() {
        local name=$1 ref=$2; shift 2
        # shellcheck disable=SC2086
        if ! gcc $ref "$B/host.o" -ldl -o "$B/ref-$name" 2>"$B/ref-$name.log"; then
            not_ok "exports/$CC/$name" "reference link failed: $(head -c 300 "$B/ref-$name.log")"; return
        fi
        local flags=""
        [ $# -eq 0 ] || flags=$(q "$@")
        run_both "exports/$CC/$name" "cd $(q "$B") && ./ref-$name ./libplugin.so" \
            "cd $(q "$B") && $HOT $flags host.o -ldl -- ./libplugin.so"
    }
    case_ none ""
    case_ rdynamic -rdynamic -rdynamic
    case_ E -rdynamic -E
    case_ export-dynamic -rdynamic --export-dynamic
    case_ Wl-E -Wl,-E -Wl,-E
    case_ Xlinker -rdynamic -Xlinker -export-dynamic
    case_ dynamic-list "-Wl,--dynamic-list=$S/list.txt" --dynamic-list "$S/list.txt"
    case_ Wl-dynamic-list "-Wl,--dynamic-list=$S/list.txt" "-Wl,--dynamic-list=$S/list.txt"
done

# A library on the command line that calls back into the program: ld
# exports what it refers to (app_log), without -rdynamic.
for CC in gcc clang; do
    build_pair callback callback cb || continue
    if gcc "$B/callback.o" -L"$B" -lcb -ldl -Wl,-rpath,"$B" -o "$B/ref" 2>"$B/ref.log"; then
        run_both "callback/$CC" "$(q "$B/ref")" "$HOT $(q "$B/callback.o") -L$(q "$B") -lcb -ldl"
    else
        not_ok "callback/$CC" "reference link failed: $(head -c 300 "$B/ref.log")"
    fi
done

# A name both the program and its library define, and a library that
# reads the program's variable: the executable's definition interposes
# (with -rdynamic) on the library's own calls and a later plugin's, and
# the library reads the program's storage, with and without -rdynamic.
# hotld looks names up in the libraries' hash tables: the libraries are
# built with each kind (GNU, SysV and both).
for CC in gcc clang; do
    build_pair interpose interpose dup || continue
    for hash in gnu sysv both; do
        H=$B/$hash
        mkdir -p "$H"
        compile "$H/libdup.so" "$CC" -shared -fPIC -Wl,--hash-style=$hash "$S/dup.c"
        compile "$H/libdupplugin.so" "$CC" -shared -fPIC -Wl,--hash-style=$hash "$S/dupplugin.c"
        check_built "interpose/$CC/$hash/libdup" "$H/libdup.so" || continue
        check_built "interpose/$CC/$hash/libdupplugin" "$H/libdupplugin.so" || continue
        for flag in -rdynamic none; do
            f=${flag#none}
            # shellcheck disable=SC2086
            if gcc $f "$B/interpose.o" -L"$H" -ldup -ldl -Wl,-rpath,"$H" -o "$H/ref$f" 2>"$H/ref.log"; then
                run_both "interpose/$CC/$hash/$flag" "$(q "$H/ref$f") $(q "$H/libdupplugin.so")" \
                    "$HOT $f $(q "$B/interpose.o") -L$(q "$H") -ldup -ldl -- $(q "$H/libdupplugin.so")"
            else
                not_ok "interpose/$CC/$hash/$flag" "reference link failed: $(head -c 300 "$H/ref.log")"
            fi
        done
    done
done

# The program looks itself up (dladdr, dladdr1, backtrace_symbols and
# _fd), with and without -rdynamic. File names and addresses are masked;
# an offset from the file (no symbol) depends on the layout, and is too.
mask() { sed -E 's/[^ (]*\(/(/; s/\[0x[0-9a-f]+\]/[ADDR]/; s/\(\+0x[0-9a-f]+\)/(+OFF)/'; }
for CC in gcc clang; do
    B=$TMP/selfsym-$CC
    mkdir -p "$B"
    compile "$B/selfsym.o" "$CC" -O0 -c "$S/selfsym.c"
    check_built "selfsym/$CC/build" "$B/selfsym.o" || continue
    for flag in -rdynamic none; do
        f=${flag#none}
        # shellcheck disable=SC2086
        gcc $f "$B/selfsym.o" -ldl -o "$B/ref$f" && "$B/ref$f" | mask >"$B/ref$f.out"
        # shellcheck disable=SC2086
        $HOTLD $f "$B/selfsym.o" -ldl 2>"$B/hot$f.err" | mask >"$B/hot$f.out"
        if [ -s "$B/ref$f.out" ] && cmp -s "$B/ref$f.out" "$B/hot$f.out"; then
            ok "selfsym/$CC/$flag"
        else
            not_ok "selfsym/$CC/$flag" "$(diff "$B/ref$f.out" "$B/hot$f.out" | head -n 6 | tr '\n' ' ') $(head -c 200 "$B/hot$f.err")"
        fi
    done
done

# Options hotld does not know through -Wl are refused, naming them.
if $HOTLD -Wl,--frobnicate "$TMP/exports-gcc/host.o" >"$TMP/out" 2>"$TMP/err"; then
    not_ok exports/unknown-linker-option "hotld accepted -Wl,--frobnicate"
elif [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q -- "--frobnicate" "$TMP/err"; then
    ok exports/unknown-linker-option
else
    not_ok exports/unknown-linker-option "$(head -c 300 "$TMP/err")"
fi
