#!/usr/bin/env bash
# Thread-local storage beyond the link matrix (programs.sh runs the "tls"
# program in every configuration): each TLS model forced with
# -ftls-model, TLS descriptors (gcc's -mtls-dialect=gnu2, local dynamic
# through _TLS_MODULE_BASE_ too), indirect __tls_get_addr calls (-fno-plt),
# each checked to contain the relocation types it is meant to. The
# relaxation is observed, not assumed: a relaxed program never calls
# __tls_get_addr (a gdb breakpoint there is never hit), while hand-written
# sequences of shapes hotld does not rewrite do call it, through GOT slots,
# and still work, in every thread. A block larger than glibc's static TLS surplus makes hotld
# restart itself with room for it; a shared library's thread-local
# variable works from -fPIC code and is refused, with the flag to use,
# from initial-exec code.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/link/helpers.bash"
need_tools tools gcc clang readelf gdb || true
SRC=$LINK_SRC/tls

# Variants: NAME|COMPILERS|CFLAGS|RELOCATION TYPES THE OBJECTS MUST HAVE
VARIANTS=(
    "gd|gcc clang|-fPIC -ftls-model=global-dynamic|R_X86_64_TLSGD"
    "ld|gcc clang|-fPIC -ftls-model=local-dynamic -O2|R_X86_64_TLSLD R_X86_64_DTPOFF32"
    "ie|gcc clang|-ftls-model=initial-exec|R_X86_64_GOTTPOFF"
    "le|gcc clang|-ftls-model=local-exec|R_X86_64_TPOFF32"
    "noplt|gcc clang|-fPIC -fno-plt -O2|R_X86_64_TLSGD R_X86_64_GOTPCRELX"
    "desc|gcc|-fPIC -mtls-dialect=gnu2|R_X86_64_GOTPC32_TLSDESC R_X86_64_TLSDESC_CALL"
    "desc-O2|gcc|-fPIC -mtls-dialect=gnu2 -O2|R_X86_64_GOTPC32_TLSDESC R_X86_64_TLSDESC_CALL"
    "desc-ld|gcc|-fPIC -mtls-dialect=gnu2 -ftls-model=local-dynamic|R_X86_64_GOTPC32_TLSDESC R_X86_64_DTPOFF32"
    "largepic|gcc clang|-mcmodel=large -fPIC|R_X86_64_TLSGD"
    "largepic-O2|gcc|-mcmodel=large -fPIC -O2|R_X86_64_TLSLD R_X86_64_PLTOFF64"
)

# build DIR CC CFLAGS...: compile the tls program and link the reference.
build() {
    local d=$1 cc=$2; shift 2
    mkdir -p "$d"
    (cd "$d" && "$cc" "$@" -c "$SRC/main.c" "$SRC/vars.c" && gcc main.o vars.o -o ref) >"$d/cc.log" 2>&1
}

# tls_get_addr_calls DIR OBJ...: whether the hotld-run program calls
# __tls_get_addr once in main (hotld's own libraries use it too): 1, or
# empty if it never does; "no main" if gdb did not stop in main.
tls_get_addr_calls() {
    local d=$1; shift
    (cd "$d" && gdb -batch -nx -ex 'set breakpoint pending on' -ex 'break main' -ex 'run' \
        -ex 'break __tls_get_addr' -ex 'continue' -ex 'info breakpoints' \
        --args "$HOTLD" "$@" 2>&1) |
        awk '/^[0-9]+ +breakpoint/ { bp = $1; next }
             /already hit/ { hits[bp] = $4 }
             END { print hits[1] ? hits[2] : "no main" }'
}

for v in "${VARIANTS[@]}"; do
    IFS='|' read -r name compilers cflags relocs <<<"$v"
    for cc in $compilers; do
        d=$TMP/$cc-$name
        # shellcheck disable=SC2086
        if ! build "$d" "$cc" $cflags; then
            not_ok "tls/$cc/$name/build" "$(head -c 300 "$d/cc.log" | tr '\n' ' ')"
            continue
        fi
        expect_relocs "tls/$cc/$name/relocs" "$relocs" "$d"/*.o
        run_both "tls/$cc/$name" "cd '$d' && exec -a main ./ref" "cd '$d' && $HOT main.o vars.o"
    done
done

for v in gd ld largepic-O2; do
    expect_eq "tls/gcc/$v/relaxed" "" "$(tls_get_addr_calls "$TMP/gcc-$v" main.o vars.o)"
done

# Sequences of other shapes (no data16 prefix, a NOP inside) keep their
# model: a real __tls_get_addr call with the GOT pair. (GNU ld refuses to
# link them into an executable, so the expected output is written here.)
d=$TMP/odd
mkdir -p "$d"
cat >"$d/odd.s" <<'S'
        .text
        .globl  odd_gd, odd_ld
odd_gd:                                 # &counter, general dynamic
        push    %rbx
        leaq    counter@tlsgd(%rip), %rdi
        call    __tls_get_addr@PLT
        pop     %rbx
        ret
odd_ld:                                 # &level, local dynamic
        push    %rbx
        leaq    level@tlsld(%rip), %rdi
        nop
        call    __tls_get_addr@PLT
        leaq    level@dtpoff(%rax), %rax
        pop     %rbx
        ret
        .section .tdata,"awT",@progbits
        .align  4
level:  .long   5
S
cat >"$d/main.c" <<'C'
#include <pthread.h>
#include <stdio.h>
__thread int counter = 40;
int *odd_gd(void);
int *odd_ld(void);
static void *bump(void *arg)
{
    *odd_gd() += 2;
    *odd_ld() += 3;
    printf("thread: counter %d level %d same %d\n", *odd_gd(), *odd_ld(), odd_gd() == &counter);
    return arg;
}
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, bump, NULL);
    pthread_join(t, NULL);
    printf("main: counter %d level %d\n", *odd_gd(), *odd_ld());
    return 0;
}
C
if (cd "$d" && gcc -c odd.s main.c) >"$d/cc.log" 2>&1; then
    expect_eq tls/odd-shapes "thread: counter 42 level 8 same 1|main: counter 40 level 5" \
        "$(cd "$d" && $HOT odd.o main.o 2>&1 | tr '\n' '|' | sed 's/|$//')"
    hits=$(tls_get_addr_calls "$d" odd.o main.o)
    if [ -n "$hits" ] && [ "$hits" -gt 0 ] 2>/dev/null; then ok tls/odd-shapes/not-relaxed; else
        not_ok tls/odd-shapes/not-relaxed "expected calls to __tls_get_addr, breakpoint hits: '$hits'"
    fi
else
    not_ok tls/odd-shapes/build "$(head -c 300 "$d/cc.log")"
fi

# More thread-local data than glibc's static TLS surplus (about 1.5 KiB).
d=$TMP/big
mkdir -p "$d"
cat >"$d/big.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
__thread char big[200000] = {1};
static void *touch(void *arg) { big[199999] = 7; return (void *)(long)(big[0] + big[199999]); }
int main(void)
{
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, touch, NULL);
    pthread_join(t, &r);
    printf("thread saw %ld, main %d, marker %s\n", (long)r, big[199999],
           getenv("HOTLD_TLS_RESTARTED") ? "leaked" : "unset");
    return 0;
}
C
if (cd "$d" && gcc -c big.c && gcc big.o -o ref) >"$d/cc.log" 2>&1; then
    run_both tls/big-block "cd '$d' && exec -a big ./ref" "cd '$d' && $HOT big.o"
else
    not_ok tls/big-block/build "$(head -c 300 "$d/cc.log")"
fi

# A shared library's thread-local variable.
d=$TMP/dso
mkdir -p "$d"
cat >"$d/lib.c" <<'C'
__thread int lib_count = 33;
int lib_get(void) { return lib_count; }
C
cat >"$d/use.c" <<'C'
#include <pthread.h>
#include <stdio.h>
extern __thread int lib_count;
int lib_get(void);
static void *bump(void *arg) { lib_count += 5; printf("thread %d %d\n", lib_count, lib_get()); return arg; }
int main(void)
{
    pthread_t t;
    lib_count++;
    pthread_create(&t, NULL, bump, NULL);
    pthread_join(t, NULL);
    printf("main %d %d\n", lib_count, lib_get());
    return 0;
}
C
if (cd "$d" && gcc -shared -fPIC lib.c -o libtlsdso.so && gcc -fPIC -c use.c -o use-pic.o &&
    gcc -c use.c -o use-ie.o && gcc use-pic.o -L. -ltlsdso -Wl,-rpath,"$d" -o ref) >"$d/cc.log" 2>&1; then
    run_both tls/dso-general-dynamic "cd '$d' && exec ./ref" "cd '$d' && $HOT use-pic.o ./libtlsdso.so"
    # initial exec needs the library loaded at the start, as ld's DT_NEEDED
    # has it: hotld starts again with it preloaded
    run_both tls/dso-initial-exec "cd '$d' && exec ./ref" "cd '$d' && $HOT use-ie.o ./libtlsdso.so"
else
    not_ok tls/dso/build "$(head -c 300 "$d/cc.log")"
fi

# The TLS module hotld hands ld.so must not ask for an executable stack:
# without PT_GNU_STACK, ld.so makes every thread's stack executable. The
# program prints its stack's permissions, as the gcc-linked one does.
d=$TMP/stack
mkdir -p "$d"
cat >"$d/stack.c" <<'C'
#include <stdio.h>
#include <string.h>
__thread int counter = 1;
int main(void)
{
    char line[512];
    FILE *maps = fopen("/proc/self/maps", "r");
    while (maps && fgets(line, sizeof line, maps))
        if (strstr(line, "[stack]"))
            printf("stack %.4s, counter %d\n", strchr(line, ' ') + 1, counter);
    return 0;
}
C
if (cd "$d" && gcc -c stack.c && gcc stack.o -o ref) >"$d/cc.log" 2>&1; then
    run_both tls/stack-not-executable "cd '$d' && exec ./ref" "cd '$d' && $HOT stack.o"
else
    not_ok tls/stack/build "$(head -c 300 "$d/cc.log")"
fi
