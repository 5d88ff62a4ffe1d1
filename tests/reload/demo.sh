#!/usr/bin/env bash
# `make demo` (examples/demo.sh) really reloads the running game: the
# second command's report names physics.o, and the game under hotld then
# matches the gcc-linked one.
. "$HOTLD_ROOT/tests/lib.sh"
out=$(timeout 120 "$HOTLD_ROOT/examples/demo.sh" 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^hotld: reloaded physics.o: 1 functions changed'; then
    ok demo/reloads
else
    not_ok demo/reloads "exit $rc: $(printf '%s\n' "$out" | grep -v '^[.#@%*o+&$]*$' | grep -v '^frame' | tail -n 4 | tr '\n' '|')"
fi
if printf '%s\n' "$out" | grep -q '^== 50 frames under hotld: identical to the gcc-linked executable$'; then
    ok demo/matches-linked
else
    not_ok demo/matches-linked "no identical-output line"
fi
