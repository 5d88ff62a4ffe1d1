#!/usr/bin/env bash
# make demo: build the example game's objects and run them under hotld,
# next to the same objects linked by gcc, to show they behave the same.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
game=$root/examples/game
hotld=$root/build/hotld
make --no-print-directory -s -C "$game"
cd "$game"
echo "== hotld game.o physics.o render.o libengine.a -lm -- 3"
"$hotld" -v game.o physics.o render.o libengine.a -lm -- 3
gcc game.o physics.o render.o libengine.a -lm -o "$root/build/game-linked"
if cmp -s <("$hotld" game.o physics.o render.o libengine.a -lm -- 50) <("$root/build/game-linked" 50); then
    echo "== 50 frames under hotld: identical to the gcc-linked executable"
else
    echo "== output differs from the gcc-linked executable" >&2
    exit 1
fi
