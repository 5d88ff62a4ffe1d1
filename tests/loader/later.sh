#!/usr/bin/env bash
# Debug sections read after the program starts (loader/later.c):
#   - later_read and later_fill against the file's own bytes, and when
#     the file is rewritten in place (the debug bytes are given up, never
#     mixed) or renamed over (the first file's bytes are still read);
#   - end to end, gcc and clang: gdb stops at a breakpoint by line in an
#     object whose debug sections were read after main started, and
#     prints a local and a global, as in the gcc-linked program;
#   - an object rewritten in place while the program runs (as a compiler
#     does): its reload goes through. (Whether the rewrite comes before
#     or after the control thread's read of the debug sections is a race
#     here; the check of later.c above takes both orders.)
. "$(dirname "$0")/../lib.sh"
cd "$TMP"

# 600 functions in each program: objects under 64 KiB are read whole
# (later.c).
{
    echo "struct pad { int x, y; };"
    for i in $(seq 600); do
        echo "int f_$i(int a) { int b = a * $i; struct pad p = {b, a}; return p.x + p.y; }"
    done
} >funcs.h
cat >prog.c <<'C'
#include <stdio.h>
#include "funcs.h"
struct point { int x, y; };
struct point origin = {3, 4};
int sum(int n)
{
    int total = 0;
    for (int i = 1; i <= n; i++)
        total += i * origin.x;   /* the line gdb stops at */
    return total;
}
int main(void)
{
    printf("%d\n", sum(5) + f_600(1));
    return 0;
}
C
cat >other.c <<'C'
int other_function(int a) { return a * 2; }
C
gcc -g -O0 -c prog.c -o prog.o && gcc -O0 -c other.c -o other.o || { not_ok "later/build" "gcc failed"; exit 0; }
if ! gcc -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$HOTLD_ROOT/base" -I"$HOTLD_ROOT/loader" \
        -I"$HOTLD_ROOT/loader/x86_64" "$HOTLD_ROOT/tests/loader/later_check.c" "$HOTLD_ROOT/build/loader/later.o" \
        "$HOTLD_ROOT/build/loader/file.o" "$HOTLD_ROOT"/build/base/*.o -lpthread -ldl -liberty \
        -o later_check 2>build.log; then
    not_ok "later/build-check" "$(head -c 300 build.log)"
    exit 0
fi
./later_check prog.o other.o
status=$?
[ $status -eq 0 ] || [ $status -eq 1 ] || not_ok "later/exit" "the check ended with status $status"

line=$(grep -n 'the line gdb stops at' prog.c | cut -d: -f1)
for cc in gcc clang; do
    $cc -g -O0 -c prog.c -o prog-$cc.o && $cc -g prog-$cc.o -o prog-$cc || { not_ok "later/$cc/build" "$cc failed"; continue; }
    session="later-$cc-$$"
    gdb_run() {
        gdb -batch -nx -ex "set breakpoint pending on" -ex "break prog.c:$line" -ex run \
            -ex "print i" -ex "print origin" -ex "print total" --args "$@" 2>&1 |
            grep -E '^\$[0-9]+ = ' | sed 's/^\$[0-9]* = //'
    }
    want=$(gdb_run ./prog-$cc)
    got=$(gdb_run "$HOTLD" --session "$session" prog-$cc.o)
    expect_eq "later/$cc/gdb-after-start" "$want" "$got"
done

# A rewrite in place while the program runs, then a reload of the
# rewritten object: the program goes on with the new code.
cat >loop.c <<'C'
#include <stdio.h>
#include <unistd.h>
#include "funcs.h"
int value(void) { return 1; }
int main(void)
{
    printf("started\n");
    fflush(stdout);
    for (int i = 0; i < 400; i++) {
        int v = value();
        if (v == 2) { printf("reloaded\n"); return 0; }
        usleep(20000);
    }
    printf("not reloaded\n");
    return 1;
}
C
gcc -g -c loop.c -o loop.o
sed 's/return 1; }/return 2; }/' loop.c >loop2.c
gcc -g -c loop2.c -o loop2.o
"$HOTLD" --session "later-loop-$$" loop.o >loop.out 2>loop.err &
pid=$!
for _ in $(seq 100); do has_line started loop.out && break; nap 0.1; done
cat loop2.o >loop.o   # in place: same inode, new bytes
"$HOTLD" --session "later-loop-$$" loop.o >reload.out 2>&1
wait $pid
expect_eq "later/rewritten-then-reloaded" "started
reloaded" "$(cat loop.out)"
