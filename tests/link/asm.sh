#!/usr/bin/env bash
# Less common relocations, from hand-written assembly (tests/link/src/asm/),
# checked at run time by a C driver that prints one ok/BAD line per use.
# readelf proves each object contains the relocation types it claims.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/link/helpers.bash"

need_tools tools gcc readelf timeout || true
A=$LINK_SRC/asm
B=$TMP/asm
mkdir -p "$B"

# PIE program: relocs.s, gotx.s, gotpcrel.s, gotx_c.c + C driver.
bg_job compile "$B/main.o"     gcc -c "$A/main.c"
bg_job compile "$B/defs.o"     gcc -c "$A/defs.c"
bg_job compile "$B/relocs.o"   gcc -c "$A/relocs.s"
bg_job compile "$B/gotx.o"     gcc -c -Wa,-mrelax-relocations=yes "$A/gotx.s"
bg_job compile "$B/gotpcrel.o" gcc -c -Wa,-mrelax-relocations=no "$A/gotpcrel.s"
bg_job compile "$B/gotx_c.o"   gcc -c -fPIC -fno-plt -Wa,-mrelax-relocations=yes "$A/gotx_c.c"
# Non-PIE program: abs32.s + C driver, all -fno-pie.
bg_job compile "$B/abs32_main.o" gcc -c -fno-pie "$A/abs32_main.c"
bg_job compile "$B/defs_nopie.o" gcc -c -fno-pie "$A/defs.c"
bg_job compile "$B/abs32.o"      gcc -c "$A/abs32.s"
bg_wait

# Relocation types each object must contain.
declare -A CLAIMS=(
    [relocs]="R_X86_64_PC64 R_X86_64_GOTPC32 R_X86_64_GOTPC64 R_X86_64_GOTOFF64 R_X86_64_GOT64
              R_X86_64_GOTPCREL64 R_X86_64_PLTOFF64 R_X86_64_SIZE32 R_X86_64_SIZE64
              R_X86_64_PC16 R_X86_64_PC8"
    [gotx]="R_X86_64_GOTPCRELX R_X86_64_REX_GOTPCRELX"
    [gotpcrel]="R_X86_64_GOTPCREL"
    [gotx_c]="R_X86_64_GOTPCRELX R_X86_64_REX_GOTPCRELX"
    [abs32]="R_X86_64_32 R_X86_64_32S R_X86_64_16 R_X86_64_8"
)
for o in relocs gotx gotpcrel gotx_c abs32; do
    check_built "build/asm/$o" "$B/$o.o" && expect_relocs "relocs/asm/$o" "${CLAIMS[$o]}" "$B/$o.o"
done
# -mrelax-relocations=no must really give the non-relaxable form.
if [ -e "$B/gotpcrel.o" ]; then
    if reloc_types "$B/gotpcrel.o" | grep -q GOTPCRELX; then
        not_ok relocs/asm/gotpcrel-not-relaxable "gotpcrel.o has GOTPCRELX relocations"
    else ok relocs/asm/gotpcrel-not-relaxable; fi
fi

# run_prog NAME LDFLAGS OBJ...: reference vs hotld, and hotld under ASan.
run_prog() {
    local name=$1 ldflags=$2 o good=1; shift 2
    for o in "$@"; do check_built "build/asm/$name/$(basename "$o")" "$o" || good=0; done
    [ $good = 1 ] || return
    # shellcheck disable=SC2086
    if ! gcc $ldflags "$@" -o "$B/$name.ref" >"$B/$name.ref.log" 2>&1; then
        not_ok "asm/$name" "reference link failed: $(head -c 400 "$B/$name.ref.log" | tr '\n' ' ')"
        return
    fi
    run_both "asm/$name" "exec -a $name $(q "$B/$name.ref")" "$HOT --name $name $(q "$@")"
    run_both "asan/asm/$name" "exec -a $name $(q "$B/$name.ref")" "$HOT_ASAN --name $name $(q "$@")"
}
run_prog relocs "" "$B/main.o" "$B/relocs.o" "$B/gotx.o" "$B/gotpcrel.o" "$B/gotx_c.o" "$B/defs.o"
run_prog abs32 -no-pie "$B/abs32_main.o" "$B/abs32.o" "$B/defs_nopie.o"

# GOTPCRELX loads are relaxed as ld.bfd relaxes them: each gotx.s function
# disassembles, in hotld's image (read by gdb through the JIT interface),
# to the instructions it has in the ld-linked program (objdump), with
# addresses and displacements masked. mov becomes lea, call and jmp
# become direct; loads of libc's symbols and the add stay as compiled.
shape() { sed -E 's/^[^\t]*\t//; s/#.*//; s/0x[0-9a-f]+/N/g; s/[0-9a-f]+ </N </g; s/ +/ /g; s/ $//'; }
relaxed_as_ld() {
    local f n gdbx=() ref=$B/relocs.ref
    [ -x "$ref" ] && command -v gdb >/dev/null || { not_ok asm/gotx-relaxed-as-ld "gdb or the reference is missing"; return; }
    : >"$B/gotx.want"
    for f in gotx_mov gotx_mov_stdout gotx_call gotx_jmp gotx_jmp_labs gotx_add gotx_movl; do
        objdump -d --no-show-raw-insn "$ref" | awk -v f="<$f>:" '$2 == f { on = 1; next } on && NF == 0 { exit } on' >"$B/$f.ref"
        n=$(wc -l <"$B/$f.ref")
        shape <"$B/$f.ref" >>"$B/gotx.want"
        gdbx+=(-ex "x/${n}i $f")
    done
    timeout 60 gdb -nx -batch -ex 'handle SIG40 nostop noprint pass' -ex 'break exit' -ex run "${gdbx[@]}" -ex kill \
        --args "$HOTLD" "$B/main.o" "$B/relocs.o" "$B/gotx.o" "$B/gotpcrel.o" "$B/gotx_c.o" "$B/defs.o" \
        </dev/null >"$B/gotx.gdb" 2>&1
    grep -E '^ +0x[0-9a-f]+ <gotx_' "$B/gotx.gdb" | shape >"$B/gotx.got"
    if [ -s "$B/gotx.want" ] && cmp -s "$B/gotx.want" "$B/gotx.got"; then
        ok asm/gotx-relaxed-as-ld
    else
        not_ok asm/gotx-relaxed-as-ld "$(diff "$B/gotx.want" "$B/gotx.got" | head -n 8 | tr '\n' ';')"
    fi
}
relaxed_as_ld

# The reference itself must pass every check (guards against a broken
# driver making both sides print the same BAD line).
for p in relocs abs32; do
    [ -x "$B/$p.ref" ] || continue
    if "$B/$p.ref" | grep -q ' BAD$'; then
        not_ok "asm/$p-reference-sane" "$("$B/$p.ref" | grep ' BAD$' | tr '\n' ';')"
    else ok "asm/$p-reference-sane"; fi
done
