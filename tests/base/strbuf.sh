#!/usr/bin/env bash
# base/strbuf.c's growing text: sb_printf formats into the room left and
# again only if the text did not fit (tests/base/strbuf_check.c).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
base_check strbuf
