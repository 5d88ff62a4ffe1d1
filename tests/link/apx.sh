#!/usr/bin/env bash
# APX relocations (issue 20): R_X86_64_CODE_{4,5,6}_GOTPCRELX and
# _GOTTPOFF compute what GOTPCRELX and GOTTPOFF compute, for instructions
# with a longer prefix; hotld applies them through the GOT slot, never
# rewriting the instruction. No assembler here makes APX code, so apx.o's
# GOT loads (-fPIC: REX_GOTPCRELX for counter, GOTPCRELX for bump's call,
# GOTTPOFF for per_thread) are renamed to the APX spellings: the program
# must still print what the ld-linked original prints. A TLS descriptor
# in an APX instruction (CODE_4_GOTPC32_TLSDESC) is refused in one line
# that names the object, the type and the way out.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/link/helpers.bash"

need_tools tools gcc readelf python3 || true
A=$LINK_SRC/apx
B=$TMP/apx
PATCH="python3 $HOTLD_ROOT/tests/badinput/elfpatch.py"
mkdir -p "$B"
compile "$B/apx.o" gcc -fPIC -fno-plt -c "$A/apx.c"
compile "$B/defs.o" gcc -fPIC -c "$A/defs.c"
compile "$B/desc.o" gcc -fPIC -mtls-dialect=gnu2 -c "$A/desc.c"
for o in apx defs desc; do check_built "build/apx/$o" "$B/$o.o" || exit 0; done
gcc "$B/apx.o" "$B/defs.o" -o "$B/apx.ref" || { not_ok apx/reference "gcc failed to link"; exit 0; }

# rename OBJ OUT FROM TO: OUT is OBJ with every relocation of type FROM in
# .rela.text made type TO.
rename() {
    local obj=$1 out=$2 from=$3 to=$4 fields
    fields=$(readelf -rW "$obj" | awk -v from="$from" '
        /^Relocation section/ { sec = $3; gsub(/'\''/, "", sec); i = 0; next }
        $1 ~ /^[0-9a-f]+$/ && NF >= 3 { if (sec == ".rela.text" && $3 == from) printf "rela[.rela.text][%d].r_type=%d ", i, to_; i++ }' to_="$to")
    [ -n "$fields" ] || { not_ok "apx/$out" "$obj has no $from relocation"; return 1; }
    # shellcheck disable=SC2086
    $PATCH set "$obj" "$B/$out" $fields
}

for n in 4 5 6; do
    gotx=$((n == 4 ? 43 : n == 5 ? 46 : 49)) tpoff=$((n == 4 ? 44 : n == 5 ? 47 : 50))
    rename "$B/apx.o" "step$n.o" R_X86_64_REX_GOTPCRELX $gotx &&
        rename "$B/step$n.o" "step$n-b.o" R_X86_64_GOTPCRELX $gotx &&
        rename "$B/step$n-b.o" "code$n.o" R_X86_64_GOTTPOFF $tpoff || continue
    if readelf -rW "$B/code$n.o" | grep -qE 'GOTPCRELX|GOTTPOFF'; then
        not_ok "apx/code$n-renamed" "$(readelf -rW "$B/code$n.o" | grep -E 'GOTPCRELX|GOTTPOFF' | head -n 2 | tr '\n' ' ')"
    fi
    run_both "apx/code$n" "$(q "$B/apx.ref")" "$HOT $(q "$B/code$n.o" "$B/defs.o")"
    run_both "asan/apx/code$n" "$(q "$B/apx.ref")" "$HOT_ASAN $(q "$B/code$n.o" "$B/defs.o")"
done

rename "$B/desc.o" desc4.o R_X86_64_GOTPC32_TLSDESC 45 &&
    if $HOTLD "$B/apx.o" "$B/defs.o" "$B/desc4.o" >"$B/desc.out" 2>"$B/desc.err"; then
        not_ok apx/tlsdesc-refused "hotld linked it"
    elif [ "$(wc -l <"$B/desc.err")" = 1 ] && grep -q 'desc4.o.*R_X86_64_CODE_4_GOTPC32_TLSDESC.*-mtls-dialect=gnu' "$B/desc.err"; then
        ok apx/tlsdesc-refused
    else
        not_ok apx/tlsdesc-refused "$(head -c 300 "$B/desc.err")"
    fi
