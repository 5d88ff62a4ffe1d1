#!/usr/bin/env bash
# base/owned.c's table of hotld's own heap blocks: noted, forgotten and
# noted again in a heap's patterns, listed exactly (tests/base/owned_check.c).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
base_check owned
