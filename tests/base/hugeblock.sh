#!/usr/bin/env bash
# Blocks of megabytes (base/hugeblock.c, the debugger's image): mappings
# of their own at a huge page, advised for huge pages but for their tail,
# hotld's own for the pointer scan, copied out by xrealloc and unmapped by
# xfree; small ones and those past the table's room are malloc's; and
# malloc's heap, which the program shares, is never advised
# (tests/base/hugeblock_check.c).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
base_check hugeblock
