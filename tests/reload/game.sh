#!/usr/bin/env bash
# The issue's scenario on the demo game (examples/game, built -O2 -g as its
# Makefile does): while the game runs, struct entity gains two fields in
# engine.h (one in front, so every field moves), the three objects that
# include it are rebuilt, and the same command reloads them. The entity
# array migrates element by element, so the game goes on from exactly where
# it was: its whole output equals the gcc-linked game's. The game's main
# loop is in game.o, which also fills the array before the loop: only the
# loop's code matters for the wait on old code, so the reload goes through.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

FRAMES=50 DELAY=30

test_game() {
    local g=$W/game out=$W/game.out objs=(game.o physics.o render.o libengine.a -lm)
    cp -r "$HOTLD_ROOT/examples/game" "$g" && rm -f "$g"/*.o "$g"/engine/*.o "$g"/*.a
    if ! make -s -C "$g" CC="$CC" >"$W/make.log" 2>&1 ||
       ! (cd "$g" && gcc "${objs[@]}" -o game-linked) >>"$W/make.log" 2>&1; then
        not_ok "$P/build" "$(head -c 300 "$W/make.log")"
        return
    fi
    ok "$P/build"
    (cd "$g" && exec env "${HOT_ENV[@]}" "$HOT" --session "$SNAME" "${objs[@]}" -- "$FRAMES" "$DELAY") \
        >"$out" 2>"$W/game.err" &
    local pid=$!
    RL_PIDS+=("$pid")
    wait_for '^frame 10 ' "$out" || { not_ok "$P/running" "no frame 10: $(head -c 300 "$W/game.err")"; return; }
    sed -i 's/struct entity { struct vec2 pos, vel; char glyph; };/struct entity { int id; struct vec2 pos, vel; float hp; char glyph; };/' \
        "$g/engine/engine.h"
    make -s -C "$g" CC="$CC" game.o physics.o render.o >>"$W/make.log" 2>&1
    S_DIR=$g S_ARGS=(--session "$SNAME" "${objs[@]}" -- "$FRAMES" "$DELAY")
    reload
    expect_reloaded reload "game.o physics.o render.o"
    if printf '%s\n' "$R_OUT" | grep -q "^hotld: migrated 'entities' of .*game.o: \[\].id added, \[\].hp added$"; then
        ok "$P/entities-migrated"
    else
        not_ok "$P/entities-migrated" "no migration line for entities; $(client_said)"
    fi
    wait "$pid"
    check exit-status 0 "$?" "the game's exit status"
    (cd "$g" && ./game-linked "$FRAMES") >"$W/linked.out"
    if cmp -s "$W/linked.out" "$out"; then ok "$P/same-game-as-linked"; else
        not_ok "$P/same-game-as-linked" "output differs from the linked game's: $(diff "$W/linked.out" "$out" | head -n 4 | tr '\n' '|')"
    fi
}

for_variants test_game $RL_VARIANTS gcc-asan
