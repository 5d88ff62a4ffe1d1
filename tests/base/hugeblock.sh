#!/usr/bin/env bash
# Huge blocks (base/hugeblock.c), through util.h's allocator: blocks of
# 2 MiB and more are 2 MiB-aligned mappings marked for huge pages,
# zeroed, counted among hotld's own (base/owned.h, so that a reload's
# pointer scan leaves the debugger's images alone); realloc grows them in
# place or moves them whole, and a block shrunk below 2 MiB goes back to
# malloc; a freed block is unmapped; threads and a forked child allocate
# them safely, and past the table's room malloc serves.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
base_check hugeblock
