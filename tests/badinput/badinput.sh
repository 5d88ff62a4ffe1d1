#!/usr/bin/env bash
# Bad inputs: every case must give exactly one error line on stderr that
# names the file (and the symbol or section where relevant), exit non-zero
# but below 128 (no signal), print nothing on stdout (the program must not
# run), and trigger no sanitizer report. Each case runs under $HOTLD and
# $HOTLD_ASAN. The bad files are patched copies of valid objects, made with
# elfpatch.py so that each corruption is spelled out below.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

HERE=$HOTLD_ROOT/tests/badinput
PATCH="python3 $HERE/elfpatch.py"
B=$TMP/bad
mkdir -p "$B"
TIMEOUT=${HOTLD_TIMEOUT:-30}

for t in gcc clang ar python3 readelf timeout; do
    command -v "$t" >/dev/null 2>&1 || not_ok "tool-$t" "$t is not installed"
done

# ---- valid inputs ------------------------------------------------------------
build() {   # OUT CMD...: build OUT, "not ok" with the log on failure
    local out=$1; shift
    "$@" >"$out.log" 2>&1 && [ -e "$out" ] && return 0
    not_ok "setup/$(basename "$out")" "$* failed: $(head -c 300 "$out.log" | tr '\n' ' ')"
    return 1
}
S=$HERE/src
build "$B/main.o"        gcc -c "$S/main.c" -o "$B/main.o" &
build "$B/helper.o"      gcc -c "$S/helper.c" -o "$B/helper.o" &
build "$B/other.o"       gcc -c "$S/other.c" -o "$B/other.o" &
build "$B/unresolved.o"  gcc -c "$S/unresolved.c" -o "$B/unresolved.o" &
build "$B/dup_a.o"       gcc -c "$S/dup_a.c" -o "$B/dup_a.o" &
build "$B/dup_b.o"       gcc -c "$S/dup_b.c" -o "$B/dup_b.o" &
build "$B/main-lto.o"    gcc -flto -c "$S/main.c" -o "$B/main-lto.o" &
build "$B/main-bitcode.o" clang -flto -c "$S/main.c" -o "$B/main-bitcode.o" &
build "$B/program-exe"   gcc "$S/main.c" "$S/helper.c" -o "$B/program-exe" &
build "$B/libhelper.so"  gcc -shared -fPIC "$S/helper.c" -o "$B/libhelper.so" &
wait
# A 32-bit object: gcc -m32 if it works here, else objcopy to elf32-i386.
gcc -m32 -c "$S/noheaders.c" -o "$B/main32.o" >"$B/main32.o.log" 2>&1 ||
    build "$B/main32.o" objcopy -O elf32-i386 "$B/helper.o" "$B/main32.o"

size_of() { stat -c %s "$1"; }
get() { $PATCH get "$@"; }

# patch NAME FIELD=VALUE...: $B/NAME is main.o with the fields changed.
patch() {
    local out=$1; shift
    $PATCH set "$B/main.o" "$B/$out" "$@" 2>"$B/$out.log" && return 0
    not_ok "setup/$out" "elfpatch failed: $(head -c 300 "$B/$out.log")"
    return 1
}
# cut NAME BYTES: $B/NAME is the first BYTES bytes of main.o.
cut() { head -c "$2" "$B/main.o" >"$B/$1"; }

# ---- the check ---------------------------------------------------------------
# bad NAME "SUBSTRING..." HOTLD-ARGS...: run hotld (plain and ASan) on the
# arguments; stderr must contain every SUBSTRING ('|'-separated; "a/b"
# accepts either a or b).
bad() {
    local name=$1 want=$2; shift 2
    local variant bin why status s
    for variant in plain asan; do
        if [ $variant = plain ]; then bin=$HOTLD; else bin=$HOTLD_ASAN; fi
        ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
            timeout -s KILL "$TIMEOUT" "$bin" "$@" </dev/null >"$B/out" 2>"$B/err"
        status=$?
        why=""
        if [ $status -eq 0 ]; then why="$why; exit status 0"
        elif [ $status -eq 137 ]; then why="$why; killed (timeout after ${TIMEOUT}s or SIGKILL)"
        elif [ $status -ge 128 ]; then why="$why; killed by signal $((status - 128))"
        elif [ $status -eq 126 ] || [ $status -eq 127 ]; then why="$why; could not run $bin"
        fi
        local lines; lines=$(awk 'END { print NR }' "$B/err")
        [ "$lines" -eq 1 ] || why="$why; stderr has $lines lines, expected 1"
        if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error' "$B/err"; then
            why="$why; sanitizer report"
        fi
        [ -s "$B/out" ] && why="$why; stdout not empty: $(head -c 100 "$B/out" | tr '\n' ' ')"
        local IFS='|' alt found
        for s in $want; do        # '|' separates required words, '/' alternatives
            found=0
            IFS=/
            for alt in $s; do grep -qF -- "$alt" "$B/err" && found=1; done
            IFS='|'
            [ $found = 1 ] || why="$why; stderr does not mention '${s//\// or }'"
        done
        unset IFS
        local tag=badinput/$name
        [ $variant = asan ] && tag=asan/badinput/$name
        if [ -z "$why" ]; then ok "$tag"; else
            not_ok "$tag" "${why#; } [stderr: $(head -c 300 "$B/err" | tr '\n' '|')]"
        fi
    done
}

M=$B/main.o H=$B/helper.o
[ -e "$M" ] && [ -e "$H" ] || exit 0    # setup failures were reported

# ---- not an object at all ----------------------------------------------------
bad missing-file      "does-not-exist.o"   "$B/does-not-exist.o" "$H"
printf 'this is not an ELF file\njust text\n' >"$B/text-file.o"
bad text-file         "text-file.o"        "$B/text-file.o" "$H"
: >"$B/empty.o"
bad empty-file        "empty.o"            "$B/empty.o" "$H"
[ -e "$B/program-exe" ] && bad executable "program-exe" "$B/program-exe"
# A shared library named by path is not bad input: ld accepts it, and so
# does hotld (it is dlopened). Checked here because the fixtures are here.
if [ -e "$B/libhelper.so" ]; then
    gcc "$M" "$B/libhelper.so" -Wl,-rpath,"$B" -o "$B/with-so" &&
        run_both shared-object-by-path "exec -a main '$B/with-so'" "'$HOTLD' '$M' '$B/libhelper.so'"
fi
[ -e "$B/main-lto.o" ] && bad lto-gcc "main-lto.o|flto" "$B/main-lto.o" "$H"
[ -e "$B/main-bitcode.o" ] && bad llvm-bitcode "main-bitcode.o|flto" "$B/main-bitcode.o" "$H"

# ---- truncated ---------------------------------------------------------------
cut trunc-in-ehdr.o 20
bad trunc-in-ehdr     "trunc-in-ehdr.o"    "$B/trunc-in-ehdr.o" "$H"
cut trunc-in-shdrs.o "$(get "$M" ehdr.e_shoff+100)"
bad trunc-in-shdrs    "trunc-in-shdrs.o"   "$B/trunc-in-shdrs.o" "$H"
cut trunc-in-text.o "$(get "$M" 'shdr[.text].sh_offset+4')"
bad trunc-in-text     "trunc-in-text.o"    "$B/trunc-in-text.o" "$H"

# ---- wrong kind of ELF -------------------------------------------------------
[ -e "$B/main32.o" ] && bad elf32-object "main32.o" "$B/main32.o"
patch class32.o ehdr.ei_class=1 &&
    bad ei-class-32   "class32.o"          "$B/class32.o" "$H"
patch big-endian.o ehdr.ei_data=2 &&
    bad big-endian    "big-endian.o"       "$B/big-endian.o" "$H"
patch aarch64.o ehdr.e_machine=183 &&
    bad aarch64       "aarch64.o"          "$B/aarch64.o" "$H"

# ---- corrupt headers and section indices ---------------------------------------
patch shstrndx-range.o ehdr.e_shstrndx=999 &&
    bad shstrndx-out-of-range "shstrndx-range.o" "$B/shstrndx-range.o" "$H"
patch shoff-beyond-eof.o "ehdr.e_shoff=$(($(size_of "$M") + 64))" &&
    bad shoff-beyond-eof "shoff-beyond-eof.o" "$B/shoff-beyond-eof.o" "$H"
patch shnum-huge.o ehdr.e_shnum=0xfff0 &&
    bad shnum-huge    "shnum-huge.o"       "$B/shnum-huge.o" "$H"
patch shentsize.o ehdr.e_shentsize=32 &&
    bad shentsize-wrong "shentsize.o"      "$B/shentsize.o" "$H"
patch text-beyond-eof.o "shdr[.text].sh_offset=$(($(size_of "$M") + 4096))" &&
    bad section-beyond-eof ".text|text-beyond-eof.o" "$B/text-beyond-eof.o" "$H"
patch text-size-wraps.o "shdr[.text].sh_size=0xffffffffffffff00" &&
    bad section-size-wraps ".text|text-size-wraps.o" "$B/text-size-wraps.o" "$H"
patch bss-size-huge.o "shdr[.bss].sh_size=0xfffffffffffff000" &&
    bad bss-size-huge ".bss|bss-size-huge.o" "$B/bss-size-huge.o" "$H"
# A .bss within the bounds, but bigger than the image's address space.
patch bss-too-big.o "shdr[.bss].sh_size=0x80000000" &&
    bad bss-too-big-for-the-image ".bss|bss-too-big.o|MiB" "$B/bss-too-big.o" "$H"
patch symtab-link.o "shdr[.symtab].sh_link=999" &&
    bad symtab-link-out-of-range ".symtab/symbol table|symtab-link.o" "$B/symtab-link.o" "$H"
# Sections the link reads, named as debug sections, which a first link
# leaves unread until main runs (loader/later.c). Both crashed hotld,
# found by fuzz_link: the symbol table called .debug_ (its name's bytes
# overwritten), and .text's relocations given the name of
# .rela.debug_info (main.c built with -g). ld goes by the sections' types
# and targets, not their names: built by gcc and by clang, each patched
# object runs under hotld (and its ASan build) as gcc's link of it does.
# runs_as_linked NAME OBJ: the oracle, then both hotlds.
runs_as_linked() {
    local want got variant bin tag
    gcc "$2" "$H" -o "$B/$1-linked" 2>"$B/$1.log" || { not_ok "setup/$1" "gcc cannot link $2"; return; }
    want=$("$B/$1-linked" 2>&1)
    for variant in plain asan; do
        bin=$HOTLD tag=badinput/$1-runs-as-linked
        [ $variant = asan ] && bin=$HOTLD_ASAN tag=asan/$tag
        got=$(ASAN_OPTIONS=detect_leaks=0 timeout -s KILL "$TIMEOUT" "$bin" "$2" "$H" 2>&1)
        expect_eq "$tag" "$want" "$got"
    done
}
for cc in gcc clang; do
    if ! "$cc" -g -c "$S/main.c" -o "$B/main-$cc.o" 2>"$B/main-$cc.log"; then
        not_ok "setup/main-$cc.o" "$cc failed: $(head -c 300 "$B/main-$cc.log")"
        continue
    fi
    # the section names' table is .shstrtab for gcc, .strtab (shared) for clang
    names=$(get "$B/main-$cc.o" ehdr.e_shstrndx)
    o=$(( $(get "$B/main-$cc.o" "shdr[$names].sh_offset") + $(get "$B/main-$cc.o" 'shdr[.symtab].sh_name') ))
    $PATCH set "$B/main-$cc.o" "$B/symtab-debug-$cc.o" "byte[$((o + 1))]=0x64" "byte[$((o + 2))]=0x65" \
        "byte[$((o + 3))]=0x62" "byte[$((o + 4))]=0x75" "byte[$((o + 5))]=0x67" "byte[$((o + 6))]=0x5f" &&
        expect_eq "setup/symtab-debug-$cc.o" 2 "$(get "$B/symtab-debug-$cc.o" 'shdr[.debug_].sh_type')" &&
        runs_as_linked "symtab-named-debug-$cc" "$B/symtab-debug-$cc.o"
    $PATCH set "$B/main-$cc.o" "$B/rela-debug-$cc.o" \
        "shdr[.rela.text].sh_name=$(get "$B/main-$cc.o" 'shdr[.rela.debug_info].sh_name')" &&
        runs_as_linked "text-relocations-named-debug-$cc" "$B/rela-debug-$cc.o"
    # A debug section that runs past the end of the file. Its bytes are
    # read only after main starts, but its size is checked with the rest:
    # the debugger's image, made while main runs, asked for its 154 GB
    # (found by fuzz_later).
    $PATCH set "$B/main-$cc.o" "$B/debug-size-$cc.o" "shdr[.debug_info].sh_size=0x240400010f" &&
        bad "debug-section-beyond-eof-$cc" ".debug_info|debug-size-$cc.o" "$B/debug-size-$cc.o" "$H"
done

# ---- corrupt symbols -----------------------------------------------------------
patch sym-shndx.o "sym[counter].st_shndx=500" &&
    bad symbol-shndx-out-of-range "counter|sym-shndx.o" "$B/sym-shndx.o" "$H"
patch sym-name.o "sym[helper].st_name=0xffffff" &&
    bad symbol-name-out-of-range "sym-name.o" "$B/sym-name.o" "$H"
# An extended section index table (.comment made one) shorter than the
# symbol table, and a symbol that needs it.
patch shndx-short.o "shdr[.comment].sh_type=18" "shdr[.comment].sh_size=4" "shdr[.comment].sh_flags=0" \
        "shdr[.comment].sh_entsize=4" "shdr[.comment].sh_link=index[.symtab]" \
        "sym[counter].st_shndx=0xffff" &&
    bad symbol-shndx-table-short "counter|shndx-short.o" "$B/shndx-short.o" "$H"
# A common symbol (st_value is its alignment) that no layout could hold.
patch common-align.o "sym[counter].st_shndx=0xfff2" "sym[counter].st_value=0xffffffffffffff20" &&
    bad common-align-not-power-of-two "counter|common-align.o" "$B/common-align.o" "$H"
patch common-huge.o "sym[counter].st_shndx=0xfff2" "sym[counter].st_value=8" \
        "sym[counter].st_size=0xfffffffffffff000" &&
    bad common-size-huge "counter|common-huge.o" "$B/common-huge.o" "$H"
strtab_end=$(get "$M" 'shdr[.strtab].sh_offset')
strtab_end=$((strtab_end + $(get "$M" 'shdr[.strtab].sh_size') - 1))
patch strtab-unterminated.o "byte[$strtab_end]=0x41" &&
    bad strtab-unterminated "strtab-unterminated.o" "$B/strtab-unterminated.o" "$H"

# ---- corrupt relocations (entry 0 of .rela.text is a 4-byte PC32) -------------
if [ "$(get "$M" 'rela[.rela.text][0].r_type')" != 2 ]; then
    not_ok setup/rela-entry "main.o's first .rela.text entry is not R_X86_64_PC32"
fi
patch rela-sym.o "rela[.rela.text][0].r_sym=9999" &&
    bad reloc-symbol-out-of-range ".text|rela-sym.o" "$B/rela-sym.o" "$H"
patch rela-offset.o "rela[.rela.text][0].r_offset=0x100000" &&
    bad reloc-offset-beyond-section ".text|rela-offset.o" "$B/rela-offset.o" "$H"
patch rela-offset-edge.o "rela[.rela.text][0].r_offset=shdr[.text].sh_size-2" &&
    bad reloc-straddles-section-end ".text|rela-offset-edge.o" "$B/rela-offset-edge.o" "$H"
patch rela-type250.o "rela[.rela.text][0].r_type=250" &&
    bad reloc-type-250 ".text|250|rela-type250.o" "$B/rela-type250.o" "$H"
patch rela-type100.o "rela[.rela.text][0].r_type=100" &&
    bad reloc-type-100 ".text|100|rela-type100.o" "$B/rela-type100.o" "$H"
patch rela-info.o "shdr[.rela.text].sh_info=999" &&
    bad reloc-target-section-out-of-range ".rela.text|rela-info.o" "$B/rela-info.o" "$H"

# ---- symbol resolution -------------------------------------------------------
[ -e "$B/unresolved.o" ] &&
    bad unresolved-symbol "hotld_test_undefined_function|unresolved.o" "$B/unresolved.o" "$H"
[ -e "$B/dup_a.o" ] && [ -e "$B/dup_b.o" ] &&
    bad duplicate-definition "duplicate_symbol|dup_a.o|dup_b.o" "$B/dup_a.o" "$B/dup_b.o"
bad entry-missing     "no_such_entry"      --entry no_such_entry "$M" "$H"
bad library-not-found "hotld_no_such_lib"  "$M" "$H" -lhotld_no_such_lib

# ---- corrupt archives (main.o needs helper from the archive) --------------------
(cd "$B" && ar rcs libgood.a other.o helper.o) || not_ok setup/libgood.a "ar failed"
# Member headers are 60 bytes; "!<arch>\n" is 8. Find the second member header
# by walking the headers (size field at bytes 48..57, data padded to even).
second_member() {
    local off=8 size
    size=$(dd if="$1" bs=1 skip=$((off + 48)) count=10 2>/dev/null | tr -d ' ')
    echo $((off + 60 + size + size % 2))
}
if [ -e "$B/libgood.a" ]; then
    m2=$(second_member "$B/libgood.a")
    head -c $((m2 + 30)) "$B/libgood.a" >"$B/libtrunc-hdr.a"
    bad archive-truncated-member-header "libtrunc-hdr.a" "$M" "$B/libtrunc-hdr.a"
    # The symbol index ("/" member, big-endian count then offsets).
    [ "$(head -c 9 "$B/libgood.a" | tail -c 1)" = / ] ||
        not_ok setup/armap "libgood.a does not start with a symbol index"
    cp "$B/libgood.a" "$B/libidx-count.a"
    printf '\x7f\xff\xff\xff' | dd of="$B/libidx-count.a" bs=1 seek=68 conv=notrunc 2>/dev/null
    bad archive-index-count "libidx-count.a" "$M" "$B/libidx-count.a"
    cp "$B/libgood.a" "$B/libidx-offset.a"
    printf '\xff\xff\xff\x00\xff\xff\xff\x00' | dd of="$B/libidx-offset.a" bs=1 seek=72 conv=notrunc 2>/dev/null
    bad archive-index-offsets "libidx-offset.a" "$M" "$B/libidx-offset.a"
    # A member whose size field runs past the end of the archive.
    cp "$B/libgood.a" "$B/libbig-member.a"
    printf '%-10s' 99999999 | dd of="$B/libbig-member.a" bs=1 seek=$((m2 + 48)) conv=notrunc 2>/dev/null
    bad archive-member-size "libbig-member.a" "$M" "$B/libbig-member.a"
    # A member header without its "`\n" terminator.
    cp "$B/libgood.a" "$B/libbad-fmag.a"
    printf 'XX' | dd of="$B/libbad-fmag.a" bs=1 seek=$((m2 + 58)) conv=notrunc 2>/dev/null
    bad archive-member-header-magic "libbad-fmag.a" "$M" "$B/libbad-fmag.a"
fi

# ---- many files: read on every core, the first error in their order wins -------
# A first link of 256 or more files reads them in parallel (loader/prefetch.c);
# whichever thread meets an error first, the one reported is the first in
# command-line order, every time. 10 objects of their own, and 260 copies
# of one that defines no global symbol.
many=()
for i in $(seq 10); do
    printf 'int many_%d(void) { return %d; }\n' "$i" "$i" >"$B/many$i.c"
    gcc -c "$B/many$i.c" -o "$B/many$i.o" || not_ok setup/many$i.o "gcc failed"
    many+=("$B/many$i.o")
done
gcc -c -x c /dev/null -o "$B/nothing.o" || not_ok setup/nothing.o "gcc failed"
nothing=("$B"/nothing-{1..260}.o)
tee "${nothing[@]}" <"$B/nothing.o" >/dev/null
many+=("${nothing[@]}")
cut trunc-among-many.o 20
first_of_many() {   # NAME WANT ARGS...: bad, then the same single line 10 times
    local name=$1 want=$2 first i seen=""; shift 2
    bad "$name" "$want" "$@"
    first=$(ASAN_OPTIONS=detect_leaks=0 "$HOTLD" "$@" 2>&1 </dev/null)
    for i in $(seq 10); do
        [ "$(ASAN_OPTIONS=detect_leaks=0 "$HOTLD" "$@" 2>&1 </dev/null)" = "$first" ] || seen="$seen run $i differs;"
    done
    if [ -z "$seen" ]; then ok "badinput/$name-same-every-time"; else
        not_ok "badinput/$name-same-every-time" "first: '$first';$seen"
    fi
}
first_of_many truncated-before-missing "trunc-among-many.o" \
    "$M" "${many[@]:0:3}" "$B/trunc-among-many.o" "${many[@]:3}" "$B/many-missing.o" "$H"
first_of_many missing-before-truncated "many-missing.o" \
    "$M" "${many[@]:0:2}" "$B/many-missing.o" "${many[@]:2}" "$B/trunc-among-many.o" "$H"
