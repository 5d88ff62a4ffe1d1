#!/usr/bin/env bash
# base/strbuf.c's growing text: sb_printf formats into the room left and
# again only if the text did not fit (tests/base/strbuf_check.c).
. "$(dirname "$0")/../lib.sh"
cd "$TMP"
if ! gcc -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$HOTLD_ROOT/base" "$HOTLD_ROOT/tests/base/strbuf_check.c" \
        "$HOTLD_ROOT"/build/base/*.o -lpthread -ldl -liberty -o strbuf_check 2>build.log; then
    not_ok "strbuf/build" "$(head -c 300 build.log)"
    exit 0
fi
./strbuf_check
status=$?
[ $status -eq 0 ] || [ $status -eq 1 ] || not_ok "strbuf/exit" "the check ended with status $status"
