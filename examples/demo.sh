#!/usr/bin/env bash
# make demo: run the example game under hotld, then change its physics while
# it runs: rebuild physics.o and run the same hotld command again. The game
# keeps its state (positions, velocities, frame count) and picks up the new
# code. Then ask the running game for a value and its largest functions.
# Finally check that hotld runs the game exactly like a gcc-linked
# executable.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
hotld=$root/build/hotld
work=$root/build/demo-game
rm -rf "$work" && mkdir -p "$work" && cp -r "$root/examples/game/." "$work/"
make --no-print-directory -s -C "$work"
cd "$work"
session=demo-$$
cmd=("$hotld" --session "$session" game.o physics.o render.o libengine.a -lm -- 40 60 20)

echo "== ${cmd[*]##*/}   (40 frames, 60 ms each, holding after frame 20)"
"${cmd[@]}" &
game=$!
trap 'kill $game 2>/dev/null || true' EXIT
# The game holds after frame 20 (it sets 'held'), so that the edit below
# reaches it mid-game however long the build takes on this machine.
for _ in $(seq 600); do
    [ "$("$hotld" --session "$session" --print held 2>/dev/null </dev/null)" = "held = 1" ] && break
    sleep 0.1
done

echo "== editing physics.c: no gravity, and walls that absorb half the speed"
sed -i 's/e->vel.y += gravity \* dt;/e->vel.y += 0 * gravity * dt;/; s/bounce = 0.9f/bounce = 0.5f/' physics.c
make --no-print-directory -s physics.o
echo "== ${cmd[*]##*/}   (the same command again: reload)"
report=$("${cmd[@]}" </dev/null)
echo "$report"
echo "== hotld --session $session --print 'entities[0]'   (the running game's state, by its DWARF types)"
"$hotld" --session "$session" --print 'entities[0]' </dev/null || true
echo "== hotld --session $session --sizes --top 3"
"$hotld" --session "$session" --sizes --top 3 </dev/null || true
echo "== hotld --session $session --print 'set held = 0'   (the game goes on, with the new physics)"
"$hotld" --session "$session" --print 'set held = 0' </dev/null
wait $game
trap - EXIT
case $report in
    "hotld: reloaded physics.o"*) ;;
    *) echo "== the second command did not reload the running game" >&2; exit 1 ;;
esac

gcc game.o physics.o render.o libengine.a -lm -o game-linked
if cmp -s <("$hotld" game.o physics.o render.o libengine.a -lm -- 50 </dev/null) <(./game-linked 50); then
    echo "== 50 frames under hotld: identical to the gcc-linked executable"
else
    echo "== output differs from the gcc-linked executable" >&2
    exit 1
fi
