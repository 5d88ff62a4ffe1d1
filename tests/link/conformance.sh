#!/usr/bin/env bash
# Link rules, differentially: each case is a small program whose output
# depends on one rule of GNU ld's (or of ld.so's lookup scope); gcc links
# it with ld.bfd (the oracle), hotld runs it from the same objects, and
# stdout, stderr and exit status must match. Built with gcc and clang.
#   common-archive    a -fcommon `int x;` yields to `int x = 5;` in an
#                     archive member, which is pulled for it
#   common-only       a member that has only another common of it is not
#   common-shared     a -fcommon `int x;` yields to a shared library's
#                     `int x = 7;` (the program's x is the library's),
#                     and `int sync;` keeps its own storage beside
#                     libc's sync()
#   weak              a weak definition pulls no member defining it, and
#                     a weak reference pulls none
#   archive-order     of two archives defining a function, the first
#   archive-own-first a member pulled from the second archive needs g,
#                     which both archives define: ld takes the second's
#                     (an archive is searched from the one being scanned
#                     on, not from the first)
#   strong-over-weak  across objects
#   scope-breadth     -lm -lmymalloc: malloc is libmymalloc's, not that
#                     of libm's dependency libc (ld.so's breadth-first
#                     scope)
#   start-stop        __start_SEC/__stop_SEC span every object's entries
#   fnptr-nopie       one function, one address: &puts taken by -fno-pie
#                     code (a 32-bit absolute field) equals &puts taken
#                     through the GOT and in data by PIE code
set -u
. "$HOTLD_ROOT/tests/lib.sh"

W=$TMP/conformance
mkdir -p "$W"

# src FILE TEXT: a source file of the case.
src() { printf '%s\n' "$2" >"$W/$1"; }

src common_main.c '#include <stdio.h>
int x;
int main(void) { printf("x=%d\n", x); return 0; }'
src common_def.c 'int x = 5;'
src common_com.c '#include <stdio.h>
int x;
__attribute__((constructor)) static void pulled(void) { puts("member pulled"); }'
src cs_main.c '#include <stdio.h>
int x;
int sync;
void lib_set(int v);
int main(void) { printf("x=%d sync=%d\n", x, sync); lib_set(9); printf("x=%d\n", x); return 0; }'
src cs_lib.c 'int x = 7;
void lib_set(int v) { x = v; }'
src weak_main.c '#include <stdio.h>
__attribute__((weak)) int f(void) { return 1; }
extern int g(void) __attribute__((weak));
int main(void) { printf("f=%d g=%d\n", f(), g ? g() : -1); return 0; }'
src weak_lib.c 'int f(void) { return 2; }
int g(void) { return 3; }'
src order_main.c '#include <stdio.h>
int h(void);
int main(void) { printf("h=%d\n", h()); return 0; }'
src order_1.c 'int h(void) { return 1; }'
src order_2.c 'int h(void) { return 2; }'
src own_main.c '#include <stdio.h>
int f(void);
int main(void) { printf("f=%d\n", f()); return 0; }'
src own_f.c 'int g(void);
int f(void) { return g() * 10; }'
src own_g1.c 'int g(void) { return 1; }'
src own_g2.c 'int g(void) { return 2; }'
src sw_weak.c '#include <stdio.h>
__attribute__((weak)) int level = 1;
int main(void) { printf("level=%d\n", level); return 0; }'
src sw_strong.c 'int level = 2;'
src scope_main.c '#include <math.h>
#include <stdio.h>
#include <stdlib.h>
extern int my_mallocs;
int main(void) { volatile double d = 8.0; void *p = malloc(10); printf("mine=%d sqrt=%d\n", my_mallocs > 0, (int)sqrt(d)); free(p); return 0; }'
src scope_malloc.c '#include <stddef.h>
int my_mallocs;
static char pool[1 << 20];
static size_t used;
void *malloc(size_t n) { my_mallocs++; void *p = pool + used; used += (n + 15) & ~(size_t)15; return p; }
void free(void *p) { (void)p; }'
src ss_main.c '#include <stdio.h>
struct entry { const char *name; };
extern struct entry __start_myset[], __stop_myset[];
__attribute__((used, section("myset"))) static struct entry one = {"one"};
int main(void) { for (struct entry *e = __start_myset; e < __stop_myset; e++) printf("%s\n", e->name); return 0; }'
src ss_more.c 'struct entry { const char *name; };
__attribute__((used, section("myset"))) static struct entry two = {"two"}, three = {"three"};'
src fp_main.c '#include <stdio.h>
#include <stdlib.h>
extern int (*pie_ptr)(const char *), (*pie_data)(const char *);
extern int (*pie_get(void))(const char *);
int (*nopie_data)(const char *) = puts;
int main(void)
{
    int (*p)(const char *) = puts;
    printf("code=%d data=%d pie-got=%d pie-data=%d\n", p == pie_get(), nopie_data == p, pie_ptr == p, pie_data == p);
    return 0;
}'
src fp_pie.c '#include <stdio.h>
int (*pie_ptr)(const char *) = puts;
int (*pie_data)(const char *) = puts;
int (*pie_get(void))(const char *) { return puts; }'

# case NAME "OBJECTS AND LIBRARIES..." [REFERENCE-FLAGS]: link with $CC
# (ld.bfd) and run, run with hotld, compare.
case_() {
    local name=$1 inputs=$2 flags=${3:-}
    if ! (cd "$W/$CC" && $CC $inputs $flags -o "$name" -Wl,-rpath,"$W/$CC") >"$W/$CC/$name.log" 2>&1; then
        not_ok "conformance/$CC/$name" "the reference link failed: $(head -c 300 "$W/$CC/$name.log")"
        return
    fi
    run_both "conformance/$CC/$name" "cd '$W/$CC' && ./$name" "cd '$W/$CC' && '$HOTLD' $inputs"
}

for CC in gcc clang; do
    mkdir -p "$W/$CC"
    (
        cd "$W/$CC" || exit 1
        for f in common_main common_def common_com weak_main weak_lib cs_main order_main order_1 order_2 own_main own_f own_g1 own_g2 sw_weak sw_strong \
                 scope_main ss_main ss_more fp_pie; do
            $CC -fcommon -c "../$f.c" -o "$f.o" || exit 1
        done
        $CC -fno-pie -c ../fp_main.c -o fp_main.o || exit 1
        $CC -shared -fPIC ../scope_malloc.c -o libmymalloc.so &&
            $CC -shared -fPIC ../cs_lib.c -o libcs.so &&
            ar rcs libdef.a common_def.o && ar rcs libcom.a common_com.o && ar rcs libweak.a weak_lib.o &&
            ar rcs libord1.a order_1.o && ar rcs libord2.a order_2.o &&
            ar rcs libown1.a own_g1.o && ar rcs libown2.a own_f.o own_g2.o
    ) >"$W/$CC.build.log" 2>&1 || { not_ok "conformance/$CC/build" "$(head -c 300 "$W/$CC.build.log")"; continue; }
    case_ common-archive "common_main.o libdef.a"
    case_ common-only "common_main.o libcom.a"
    case_ common-shared "cs_main.o -L. -lcs"
    case_ weak "weak_main.o libweak.a"
    case_ archive-order "order_main.o libord1.a libord2.a"
    case_ archive-own-first "own_main.o libown1.a libown2.a"
    case_ strong-over-weak "sw_weak.o sw_strong.o"
    case_ scope-breadth "scope_main.o -L. -lm -lmymalloc"
    case_ start-stop "ss_main.o ss_more.o"
    case_ fnptr-nopie "fp_main.o fp_pie.o" -no-pie
done
