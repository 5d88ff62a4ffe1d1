#!/usr/bin/env bash
# tests/run.sh itself, run on suites of its own making: a directory with
# no scripts is no failure; a script's time is kept for the next run,
# which starts the longest first; a script that fails and one that exits
# non-zero without saying so both count as failures.
. "$(dirname "$0")/../lib.sh"
cd "$TMP"
mkdir empty suite cache
printf '#!/bin/sh\necho "ok slow"\n' >suite/a.sh
printf '#!/bin/sh\necho "ok quick"\n' >suite/b.sh
chmod +x suite/*.sh
run() { HOTLD_CACHE=$TMP/cache HOTLD_CCACHE=0 "$HOTLD_ROOT/tests/run.sh" "$@" 2>&1; }

out=$(run "$TMP/empty/")
if [ "$(tail -n 1 <<<"$out")" = "0 passed, 0 failed" ]; then ok runner/empty-suite
else not_ok runner/empty-suite "$(tail -n 2 <<<"$out" | tr '\n' ' ')"; fi

run "$TMP/suite/b.sh" "$TMP/suite/a.sh" >/dev/null
if grep -q " $TMP/suite/a.sh\$" cache/times && grep -q " $TMP/suite/b.sh\$" cache/times; then ok runner/times-kept
else not_ok runner/times-kept "$(tr '\n' ' ' <cache/times 2>/dev/null)"; fi

# the order comes from the kept times, not from this machine's speed
printf '900 %s\n5 %s\n' "$TMP/suite/a.sh" "$TMP/suite/b.sh" >cache/times
out=$(run "$TMP/suite/b.sh" "$TMP/suite/a.sh")
first=$(grep -m 1 '^/' <<<"$out" | cut -d: -f1)
if [ "$first" = "$TMP/suite/a.sh" ]; then ok runner/longest-first
else not_ok runner/longest-first "first: $first"; fi

printf '#!/bin/sh\necho "not ok broken: on purpose"\n' >suite/c.sh
printf '#!/bin/sh\nexit 3\n' >suite/d.sh
chmod +x suite/*.sh
out=$(run "$TMP/suite/")
if [ "$(tail -n 1 <<<"$out")" = "2 passed, 2 failed" ]; then ok runner/failures-counted
else not_ok runner/failures-counted "$(tail -n 1 <<<"$out")"; fi
