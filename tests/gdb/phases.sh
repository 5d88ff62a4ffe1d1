#!/usr/bin/env bash
# hotld -v under a debugger there at the start: the debug image is made
# before main, which waits for it, so -v names it among the link's
# phases ("hotld: debug image"), once, before the program's output.
# Without a debugger the control thread makes it while main runs, and -v
# says nothing of it: no line of hotld's among the program's.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
command -v gdb >/dev/null 2>&1 || { not_ok gdb/phases/tool-gdb "gdb is not installed"; exit 0; }
cd "$TMP"
cat >a.c <<'C'
#include <stdio.h>
int twice(int x);
int main(void) { printf("answer %d\n", twice(21)); return 0; }
C
cat >b.c <<'C'
int twice(int x) { return 2 * x; }
C
gcc -g -c a.c -o a.o && gcc -g -c b.c -o b.o || { not_ok gdb/phases/build "gcc failed"; exit 0; }

gdb -nx -batch -ex run --args "$HOTLD" -v a.o b.o >under.txt 2>&1
lines=$(grep -E '^hotld: (total|debug image) |^answer ' under.txt | sed -E 's/ +[0-9.]+ ms$//' | tr '\n' '|')
expect_eq gdb/phases/debug-image-before-main "hotld: total|hotld: debug image|answer 42|" "$lines"

"$HOTLD" -v a.o b.o >plain.txt 2>&1
expect_eq gdb/phases/none-without-debugger "0 1" "$(grep -c '^hotld: debug image' plain.txt) $(grep -c '^answer 42$' plain.txt)"
