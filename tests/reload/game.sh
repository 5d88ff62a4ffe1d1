#!/usr/bin/env bash
# The issue's scenario on the demo game (examples/game, built -O2 -g as its
# Makefile does): while the game runs, struct entity gains two fields in
# engine.h (one in front, so every field moves), the three objects that
# include it are rebuilt, and the same command reloads them. The entity
# array migrates element by element, so the game goes on from exactly where
# it was: its whole output equals the gcc-linked game's. The game's main
# loop is in game.o, which also fills the array before the loop: only the
# loop's code matters for the wait on old code, so the reload goes through.
# Before the reload, the running game's image is inspected (--print,
# --call, --refs, --sizes) without changing its course; after it, the
# migrated array's new field is printed.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# The game holds after frame HOLD (its third argument) until the test lets
# it go on, so that the looks and the reload happen there on any machine.
FRAMES=50 DELAY=30 HOLD=10

# The running game's image, without changing what it does: a struct
# global's field, a pure function of the engine library called with the
# game's own values (a struct by value in float registers, and out), the
# largest functions, and who calls physics_step.
image_checks() {
    client "$g" --session "$SNAME" --print entity_count
    check print-global "entity_count = 6" "$R_OUT" "entity_count"
    client "$g" --session "$SNAME" --print 'entities[2].glyph'
    check print-field "entities[2].glyph = 42 '*'" "$R_OUT" "the third entity's glyph"
    # The game is held: the velocity is the same before and after the call.
    local answers same
    answers=$(cd "$g" && printf 'entities[0].vel\nvec_add(entities[0].vel, entities[0].vel)\nentities[0].vel\n' |
        env "${HOT_ENV[@]}" timeout 20 "$HOT" --session "$SNAME" --repl 2>&1)
    same=$(python3 -c 'import re, sys
v = [[float(x) for x in re.findall(r"[xy] = ([-0-9.e+]+)", l)] for l in sys.argv[1].splitlines()]
print(len(v) == 3 and v[0] == v[2] and len(v[0]) == 2 and all(abs(s - 2 * x) < 1e-4 for s, x in zip(v[1], v[0])))' "$answers")
    check call-struct "True" "$same" "vec_add(v, v) = 2 v ($(tr '\n' '|' <<<"$answers"))"
    client "$g" --session "$SNAME" --refs physics_step
    if grep -qE '^ +call +main +game\.o' <<<"$R_OUT"; then ok "$P/refs"; else not_ok "$P/refs" "$(client_said)"; fi
    client "$g" --session "$SNAME" --sizes --json
    check sizes-archive-member "True" "$(python3 -c 'import json, sys; d = json.loads(sys.argv[1])
print(any(o["name"].endswith("libengine.a(vec.o)") for o in d["objects"]))' "$R_OUT" 2>&1)" "libengine.a(vec.o) in --sizes"
}

test_game() {
    local g=$W/game out=$W/game.out objs=(game.o physics.o render.o libengine.a -lm)
    cp -r "$HOTLD_ROOT/examples/game" "$g" && rm -f "$g"/*.o "$g"/engine/*.o "$g"/*.a
    if ! make -s -C "$g" CC="$CC" >"$W/make.log" 2>&1 ||
       ! (cd "$g" && gcc "${objs[@]}" -o game-linked) >>"$W/make.log" 2>&1; then
        not_ok "$P/build" "$(head -c 300 "$W/make.log")"
        return
    fi
    ok "$P/build"
    (cd "$g" && exec env "${HOT_ENV[@]}" "$HOT" --session "$SNAME" "${objs[@]}" -- "$FRAMES" "$DELAY" "$HOLD") \
        >"$out" 2>"$W/game.err" &
    local pid=$!
    RL_PIDS+=("$pid")
    wait_for "^frame $HOLD " "$out" || { not_ok "$P/running" "no frame $HOLD: $(head -c 300 "$W/game.err")"; return; }
    S_DIR=$g
    image_checks
    sed -i 's/struct entity { struct vec2 pos, vel; char glyph; };/struct entity { int id; struct vec2 pos, vel; float hp; char glyph; };/' \
        "$g/engine/engine.h"
    make -s -C "$g" CC="$CC" game.o physics.o render.o >>"$W/make.log" 2>&1
    S_DIR=$g S_ARGS=(--session "$SNAME" "${objs[@]}" -- "$FRAMES" "$DELAY" "$HOLD")
    client "$S_DIR" -v "${S_ARGS[@]}" # -v: the report lists every variable
    expect_reloaded reload "game.o physics.o render.o" warnings
    check says-main-runs-old-code 1 \
        "$(printf '%s\n' "$R_ERR" | grep -c "^hotld: warning: 'main' (game.c:[0-9]*) keeps running its old code in thread ")" \
        "warning that the game's main loop keeps its old code"
    if printf '%s\n' "$R_OUT" | grep -q "^hotld: migrated 'entities' of .*game.o: \[\].id added, \[\].hp added$"; then
        ok "$P/entities-migrated"
    else
        not_ok "$P/entities-migrated" "no migration line for entities; $(client_said)"
    fi
    client "$g" --session "$SNAME" --print 'entities[0].id'
    check print-new-field "entities[0].id = 0" "$R_OUT" "the migrated array's new field"
    client "$g" --session "$SNAME" --print 'set held = 0'
    wait "$pid"
    check exit-status 0 "$?" "the game's exit status"
    (cd "$g" && ./game-linked "$FRAMES") >"$W/linked.out"
    if cmp -s "$W/linked.out" "$out"; then ok "$P/same-game-as-linked"; else
        not_ok "$P/same-game-as-linked" "output differs from the linked game's: $(diff "$W/linked.out" "$out" | head -n 4 | tr '\n' '|')"
    fi
}

for_variants test_game $RL_VARIANTS gcc-asan
