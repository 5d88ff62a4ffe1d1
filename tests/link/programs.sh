#!/usr/bin/env bash
# End-to-end linking: every program in tests/link/src/ is compiled with gcc
# and clang under a matrix of flags, linked by gcc (the reference) and run
# by hotld; stdout, stderr and exit status must match. The runs of the
# ASAN_CONFIGS configurations are repeated under the ASan+UBSan build.
# Besides the required matrix there are three extra configurations:
# -mcmodel=medium (.lbss, GOTPC32), medium + -fcommon (LARGE_COMMON
# symbols) and -g -O1 (relocated .debug_* sections).
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/link/helpers.bash"

need_tools tools gcc clang ar readelf timeout || true

# Configurations: NAME|CFLAGS|REFERENCE LDFLAGS
CONFIGS=(
    "default||"
    "pic|-fPIC|"
    "nopie|-fno-pie|-no-pie"
    "O2|-O2|"
    "O3|-O3|"
    "sections|-ffunction-sections -fdata-sections|"
    "large|-mcmodel=large|"
    "largepic|-mcmodel=large -fPIC|"
    "medium|-mcmodel=medium|"
    "common|-fcommon|"
    "mediumcommon|-mcmodel=medium -fcommon|"
    "debug|-g -O1|"
)
# Relocation types the objects of a configuration must contain, so that the
# configuration really tests what it is meant to. A "CC/CONFIG" key adds
# types that only that compiler emits.
declare -A CONFIG_RELOCS=(
    [default]="R_X86_64_PC32 R_X86_64_PLT32 R_X86_64_64 R_X86_64_TPOFF32 R_X86_64_GOTTPOFF"
    [pic]="R_X86_64_REX_GOTPCRELX R_X86_64_PLT32 R_X86_64_TLSGD"
    [clang/pic]="R_X86_64_TLSLD R_X86_64_DTPOFF32"
    [nopie]="R_X86_64_32 R_X86_64_32S"
    [large]="R_X86_64_GOTPC64 R_X86_64_GOTOFF64 R_X86_64_GOT64"
    [gcc/large]="R_X86_64_PLTOFF64"
    [clang/large]="R_X86_64_PC64"
    [largepic]="R_X86_64_GOTPC64 R_X86_64_GOTOFF64 R_X86_64_GOT64"
    [gcc/largepic]="R_X86_64_PLTOFF64"
    [clang/largepic]="R_X86_64_PC64"
    [medium]="R_X86_64_GOTPC32 R_X86_64_GOTOFF64"
)

# Programs: NAME|SOURCES (link order)|EXTRA CFLAGS|LIBS|ONLY WITH CFLAG|NOT IN
# (a program with the ONLY field is built only in configurations whose
# CFLAGS contain it; NOT IN lists configurations it is not built in).
PROGRAMS=(
    "calls|main.c ops.c data.c||"
    "libc|main.c opts.c||"
    "ctors|a.c b.c c.c||"
    "mathlib|main.c wide.c||-lm"
    "weak|main.c strong.c bigbss.c||"
    "bt|main.c other.c|-fstack-protector-all|"
    "common|a.c b.c|||-fcommon"
    "archive|main.c||"
    "phdr|main.c||"
    "tls|main.c vars.c||"
    # GNU ld refuses the large model's GOT-relative relocations against an
    # IFUNC, so there is no reference to compare with.
    "ifunc|main.c impl.c||||large largepic medium mediumcommon"
)
# Archive members for the "archive" program, in archive order: the helpers
# come before the member that needs them, so one forward pass is not enough.
ARCHIVE_MEMBERS="arch_leaf arch_helper arch_unused arch_override arch_weakref arch_data arch_entry"

# Argument sets (shell words) per program; the default is one run, no args.
declare -A ARGSETS=(
    [libc]=$'\n-a -b foo rest1 \'two words\'\n-v -x -- -a tail'
    [ctors]=$'\nreturn'
)

# Combinations hotld refuses by design, with the text its one-line error
# must contain. -fno-pie code must sit below 2 GiB (R_X86_64_32/32S), but
# it also reads libc data (optind) with 32-bit displacements, and libc's
# data is more than 2 GiB away: the error must name the flag to use.
declare -A REFUSED=(
    [nopie/libc]="rebuild with -fPIE"
)

# expect_refused NAME WANT-TEXT HOTLD-ARGS...: exit 1, one stderr line with WANT-TEXT.
expect_refused() {
    local name=$1 want=$2; shift 2
    "$@" >"$TMP/refused.out" 2>"$TMP/refused.err"
    local status=$? lines
    lines=$(wc -l <"$TMP/refused.err")
    if [ $status -eq 1 ] && [ "$lines" -eq 1 ] && grep -qF -- "$want" "$TMP/refused.err"; then
        ok "$name (refused: $want)"
    else
        not_ok "$name" "expected a one-line error with '$want', got status $status: $(head -c 300 "$TMP/refused.err")"
    fi
}

# in_config CONFIG-NAME CFLAGS ONLY NOT-IN: is the program built there?
in_config() {
    { [ -z "$3" ] || [[ " $2 " == *" $3 "* ]]; } && [[ " $4 " != *" $1 "* ]]
}

COMPILERS="gcc clang"
# Configurations whose runs are repeated under the ASan+UBSan build.
ASAN_CONFIGS=" default largepic "

# gcc's -fPIE code reads libc's variables (stdout, optind) with 32-bit
# displacements, which must reach the copy libc itself uses: an executable
# that holds a copy (a copy relocation, as a static library built -fPIE
# makes ld create) moves it out of a program image's reach.
for h in "$HOTLD" "$HOTLD_ASAN"; do
    copies=$(readelf -rW "$h" | awk '$3 == "R_X86_64_COPY" { print $5 }' | tr '\n' ' ')
    if [ -z "$copies" ]; then ok "hotld-copies-no-libc-variable/${h#"$HOTLD_ROOT"/}"
    else not_ok "hotld-copies-no-libc-variable/${h#"$HOTLD_ROOT"/}" "copy relocations of: $copies"; fi
done

# Every reload runs a new hotld, which maps each library hotld needs:
# readline (and terminfo) only --repl uses, and it opens them itself.
needed=$(readelf -dW "$HOTLD" | grep -oE 'lib(readline|tinfo|ncurses)[^]]*' | tr '\n' ' ')
if [ -z "$needed" ]; then ok "hotld-needs-no-line-editor"
else not_ok "hotld-needs-no-line-editor" "hotld's NEEDED list has $needed"; fi

# ---- compile everything in parallel ----------------------------------------
for cc in $COMPILERS; do
    for cfg in "${CONFIGS[@]}"; do
        IFS='|' read -r cname cflags _ <<<"$cfg"
        for p in "${PROGRAMS[@]}"; do
            IFS='|' read -r pname srcs extra _ only notin <<<"$p"
            in_config "$cname" "$cflags" "$only" "$notin" || continue
            d=$TMP/$cc/$cname/$pname
            mkdir -p "$d"
            for s in $srcs; do
                # shellcheck disable=SC2086
                bg_job compile "$d/${s%.c}.o" $cc $cflags $extra -c "$LINK_SRC/$pname/$s"
            done
            if [ "$pname" = archive ]; then
                for m in $ARCHIVE_MEMBERS; do
                    # shellcheck disable=SC2086
                    bg_job compile "$d/$m.o" $cc $cflags -c "$LINK_SRC/archive/$m.c"
                done
            fi
        done
    done
done
bg_wait

# ---- archives and reference executables (parallel) --------------------------
link_ref() {   # DIR LDFLAGS OBJS... (LIBS at the end): gcc-linked reference
    local d=$1 ldflags=$2; shift 2
    # shellcheck disable=SC2086
    gcc $ldflags "$@" -o "$d/ref" >"$d/ref.log" 2>&1 || rm -f "$d/ref"
}
declare -A READY=()
for cc in $COMPILERS; do
    for cfg in "${CONFIGS[@]}"; do
        IFS='|' read -r cname cflags ldflags <<<"$cfg"
        for p in "${PROGRAMS[@]}"; do
            IFS='|' read -r pname srcs extra libs only notin <<<"$p"
            in_config "$cname" "$cflags" "$only" "$notin" || continue
            d=$TMP/$cc/$cname/$pname
            objs=() good=1
            for s in $srcs; do
                check_built "build/$cc/$cname/$pname/$s" "$d/${s%.c}.o" || good=0
                objs+=("$d/${s%.c}.o")
            done
            if [ "$pname" = archive ]; then
                members=()
                for m in $ARCHIVE_MEMBERS; do
                    check_built "build/$cc/$cname/archive/$m.c" "$d/$m.o" || good=0
                    members+=("$d/$m.o")
                done
                [ $good = 1 ] && { ar rcs "$d/libarch.a" "${members[@]}" || good=0; }
                objs+=("$d/libarch.a")
            fi
            [ $good = 1 ] || continue
            READY[$cc/$cname/$pname]=1
            # shellcheck disable=SC2086
            bg_job link_ref "$d" "$ldflags" "${objs[@]}" $libs
        done
    done
done
bg_wait

# ---- the relocation types each configuration is meant to produce ------------
for cc in $COMPILERS; do
    for cfg in "${CONFIGS[@]}"; do
        IFS='|' read -r cname _ <<<"$cfg"
        want="${CONFIG_RELOCS[$cname]:-} ${CONFIG_RELOCS[$cc/$cname]:-}"
        [ -n "${want// /}" ] || continue
        # shellcheck disable=SC2046
        expect_relocs "relocs/$cc/$cname" "$want" $(ls "$TMP/$cc/$cname"/*/*.o 2>/dev/null)
    done
done

# ---- the objects contain the features the programs are meant to test --------
for cc in $COMPILERS; do
    o=$TMP/$cc
    expect_sections "objects/$cc/O2/calls-merge-sections" \
        ".rodata.str1.1 .rodata.cst4 .rodata.cst8 .rodata.cst16" "$o"/O2/calls/*.o
    libgcc="__udivti3 __umodti3 __divti3 __modti3 __fixunsdfti __floatuntidf __floattidf"
    [ "$cc" = gcc ] && libgcc="$libgcc __popcountdi2"
    expect_syms "objects/$cc/default/mathlib-libgcc-calls" UND "$libgcc" "$o"/default/mathlib/*.o
    expect_syms "objects/$cc/default/bt-stack-protector" UND "__stack_chk_fail backtrace" "$o"/default/bt/*.o
    expect_syms "objects/$cc/common/common-symbols" COM "shared_arr shared_scalar guard_after" "$o"/common/common/*.o
    expect_sections "objects/$cc/debug/debug-sections" ".debug_info .rela.debug_info" "$o"/debug/calls/*.o
done
expect_syms objects/gcc/mediumcommon/large-common LARGE_COM big_common "$TMP"/gcc/mediumcommon/common/*.o
expect_sections objects/gcc/medium/lbss .lbss "$TMP"/gcc/medium/weak/*.o

# ---- run: reference vs hotld (and hotld under ASan for ASAN_CONFIGS) --------
declare -A ASAN_DONE=()
for cc in $COMPILERS; do
    for cfg in "${CONFIGS[@]}"; do
        IFS='|' read -r cname _ <<<"$cfg"
        for p in "${PROGRAMS[@]}"; do
            IFS='|' read -r pname srcs _ libs only _ <<<"$p"
            [ -n "${READY[$cc/$cname/$pname]:-}" ] || continue
            d=$TMP/$cc/$cname/$pname
            name=link/$cc/$cname/$pname
            if [ ! -x "$d/ref" ]; then
                not_ok "$name" "reference link failed: $(head -c 400 "$d/ref.log" | tr '\n' ' ')"
                continue
            fi
            if [ -n "${REFUSED[$cname/$pname]:-}" ]; then
                # shellcheck disable=SC2086
                expect_refused "$name" "${REFUSED[$cname/$pname]}" $HOT "$d"/*.o $libs
                continue
            fi
            hobjs=()
            # The archive goes first: hotld must not depend on the order.
            [ "$pname" = archive ] && hobjs+=("$d/libarch.a")
            for s in $srcs; do hobjs+=("$d/${s%.c}.o"); done
            i=0
            while IFS= read -r args; do
                tag=$name
                [ $i -gt 0 ] && tag=$name/args$i
                ref="exec -a $pname $(q "$d/ref") $args"
                # No "--" when there are no program arguments (both forms are valid).
                hot="--name $pname $(q "${hobjs[@]}") $libs${args:+ -- $args}"
                run_both "$tag" "$ref" "$HOT $hot"
                # Under ASan: the ASAN_CONFIGS, and the first configuration
                # that builds a program limited to some configurations.
                if [[ $ASAN_CONFIGS == *" $cname "* ]] || { [ -n "$only" ] && [ -z "${ASAN_DONE[$cc/$pname/$i]:-}" ]; }; then
                    ASAN_DONE[$cc/$pname/$i]=1
                    run_both "asan/${tag#link/}" "$ref" "$HOT_ASAN $hot"
                fi
                i=$((i + 1))
            done <<<"${ARGSETS[$pname]:-}"
        done
    done
done
