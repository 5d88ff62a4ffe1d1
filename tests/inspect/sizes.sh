#!/usr/bin/env bash
# hotld --sizes and --refs, on files (no session) and on a running session,
# built by gcc and by clang:
#   sizes: each object's total equals size(1)'s; symbols have their ELF
#     sizes and kinds; an archive's members are listed; --top N; --json
#     parses; the session's answer equals the files' answer;
#   refs: a call and a data reference are found both ways, in text, JSON
#     and DOT; a static is named OBJECT:NAME; an unknown symbol is one
#     error line;
#   drawings: the treemap and the reference graph render in headless
#     Chromium (tests/inspect/svg_renders.py); --svg writes only the
#     drawing (--table: the text too; FILE -: on stdout); the treemap
#     names objects by the fewest last path components that tell them
#     apart (CMake's CMakeFiles/T.dir/a/util.o and .../b/util.o are
#     a/util.o and b/util.o), with the full path in the tooltip.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

SRC=$HOTLD_ROOT/tests/reload/src
GAME=$HOTLD_ROOT/examples/game
# renders NAME FILE MIN-SHAPES: the SVG renders in Chromium.
renders() {
    python3 "$HOTLD_ROOT/tests/inspect/svg_renders.py" "$2" "$3" | sed -E "s|^(not )?ok [^:]*|\\1ok $P/$1|"
}

# json EXPR: evaluate a Python expression on the JSON document in $TMP/out.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TMP/out" 2>&1; }

hot() { (cd "$W" && "$HOTLD" "$@") >"$TMP/out" 2>"$TMP/err"; }

sizes_checks() {
    hot --sizes --json world.o main.o
    local ours theirs
    ours=$(json '" ".join(str(o["total"]) for o in sorted(d["objects"], key=lambda o: o["name"]))')
    theirs=$(cd "$W" && size main.o world.o | awk 'NR > 1 { printf "%s%s", sep, $4; sep = " " }')
    expect_eq "$P/totals-as-size" "$theirs" "$ours"
    local add_size
    add_size=$((16#$(nm -S "$W/world.o" | awk '$4 == "add" { print $2 }')))
    expect_eq "$P/symbol-sizes" "192 data|48 data|4 data|$add_size function" \
        "$(json '"|".join(next(str(s["size"]) + " " + s["kind"] for o in d["objects"] for s in o["symbols"] if s["name"] == n) for n in ("players", "grid", "counter", "add"))')"
    hot --sizes --top 3 --json world.o main.o
    expect_eq "$P/top-sorted" "3 True" "$(json 'len(d["top"]), all(d["top"][i]["size"] >= d["top"][i+1]["size"] for i in range(2))')"
    hot --sizes world.o main.o
    if grep -qE '^ +192  data +players$' "$TMP/out" && grep -qE '^world\.o  [0-9,]+ bytes \(' "$TMP/out"; then ok "$P/text"
    else not_ok "$P/text" "$(head -c 300 "$TMP/out")"; fi
    hot --sizes game.o physics.o render.o libengine.a
    expect_eq "$P/archive-members" "2" "$(grep -cE 'libengine\.a\((vec|rng)\.o\)' "$TMP/out")"
    hot --sizes --svg treemap.svg world.o game.o physics.o render.o libengine.a
    renders treemap "$W/treemap.svg" 20
    expect_eq "$P/svg-only-the-drawing" "0" "$(wc -c <"$TMP/out")"
    hot --sizes --svg - --table world.o main.o
    if grep -qE '^world\.o  [0-9,]+ bytes' "$TMP/out" && grep -q '^<svg' "$TMP/out"; then ok "$P/svg-with-table"
    else not_ok "$P/svg-with-table" "$(head -c 200 "$TMP/out")"; fi
    local t=CMakeFiles/t.dir
    mkdir -p "$W/$t/a" "$W/$t/b"
    cp "$W/physics.o" "$W/$t/a/util.o" && cp "$W/render.o" "$W/$t/b/util.o"
    hot --sizes --svg labels.svg "$t/a/util.o" "$t/b/util.o" game.o
    local labels
    labels=$(grep -oE 'font-weight="bold">[^<]+' "$W/labels.svg" | sed 's/.*>//' | grep -v ' in ' | sort | tr '\n' ' ')
    if [ "$labels" = "a/util.o b/util.o game.o " ] && grep -q "<title>$W/$t/a/util.o" "$W/labels.svg"; then
        ok "$P/treemap-short-labels"
    else
        not_ok "$P/treemap-short-labels" "labels [$labels]; titles $(grep -oE '<title>[^&]*util\.o' "$W/labels.svg" | head -n 2 | tr '\n' ' ')"
    fi
}

refs_checks() {
    hot --refs add world.o main.o
    if grep -qE '^ +call +use_helper ' "$TMP/out" && grep -q '^note: calls within one section' "$TMP/out"; then ok "$P/refs-text"
    else not_ok "$P/refs-text" "$(head -c 300 "$TMP/out")"; fi
    hot --refs players --json world.o main.o
    expect_eq "$P/refs-data" "True True" \
        "$(json 'any(e["name"] == "rename_player" and e["kind"] == "data" for e in d["definitions"][0]["referenced_by"]), any(e["name"] == "players" for e in d["definitions"][0]["references"])')"
    hot --refs use_helper --json world.o main.o
    expect_eq "$P/refs-callees" "True" "$(json 'any(e["name"] == "add" and e["kind"] == "call" for e in d["definitions"][0]["references"])')"
    hot --refs world.o:counter world.o main.o
    if grep -qE '^counter .*world\.o.*local' "$TMP/out" && grep -qE 'bump' "$TMP/out"; then ok "$P/refs-static"
    else not_ok "$P/refs-static" "$(head -c 300 "$TMP/out")"; fi
    hot --refs add --dot refs.dot world.o main.o
    local from to
    from=$(grep -oE '^ *n[0-9]+ \[label="use_helper' "$W/refs.dot" | grep -oE 'n[0-9]+')
    to=$(grep -oE '^ *n[0-9]+ \[label="add' "$W/refs.dot" | grep -oE 'n[0-9]+')
    if grep -q '^digraph' "$W/refs.dot" && [ -n "$from" ] && grep -qE "^ *$from -> $to\\b" "$W/refs.dot"; then ok "$P/refs-dot"
    else not_ok "$P/refs-dot" "$(head -c 300 "$W/refs.dot" | tr '\n' ' ')"; fi
    hot --refs players --svg refs.svg world.o main.o
    renders refs-svg "$W/refs.svg" 5
    hot --refs nosuch world.o main.o; local rc=$?
    if [ $rc -eq 1 ] && [ "$(cat "$TMP/err")" = "hotld: error: no object defines symbol 'nosuch'" ]; then ok "$P/refs-unknown"
    else not_ok "$P/refs-unknown" "exit $rc: $(cat "$TMP/err")"; fi
}

# The same questions asked of a running session give the same answers.
session_checks() {
    mkfifo "$W/in"
    (cd "$W" && exec "$HOTLD" --session "$SNAME" main.o world.o <"$W/in" >"$W/session.out" 2>&1) &
    local pid=$! fd
    exec {fd}>"$W/in"
    for _ in $(seq 100); do has_line ready "$W/session.out" && break; nap 0.1; done
    hot --sizes --json world.o main.o && cp "$TMP/out" "$W/files.json"
    hot --session "$SNAME" --sizes --json
    if cmp -s "$W/files.json" "$TMP/out"; then ok "$P/session-sizes"
    else not_ok "$P/session-sizes" "differs from the files' answer: $(diff "$W/files.json" "$TMP/out" | head -c 300)"; fi
    hot --session "$SNAME" --refs add
    grep -qE '^ +call +use_helper ' "$TMP/out" && ok "$P/session-refs" || not_ok "$P/session-refs" "$(head -c 300 "$TMP/out") $(cat "$TMP/err")"
    echo quit >&$fd
    exec {fd}>&-
    wait $pid
}

for cc in gcc clang; do
    P=inspect/sizes/$cc W=$TMP/$cc SNAME=hotld-test-$$-sizes-$cc
    mkdir -p "$W"
    if ! (cd "$W" && $cc -g -c -I"$SRC" -I"$HOTLD_ROOT/include" "$SRC/image/world.c" "$SRC/image/main.c" &&
          for f in game physics render; do $cc -O2 -g -c "$GAME/$f.c" -o $f.o || exit 1; done &&
          $cc -O2 -g -c "$GAME/engine/vec.c" -o vec.o && $cc -O2 -g -c "$GAME/engine/rng.c" -o rng.o &&
          ar rcs libengine.a vec.o rng.o) >"$W/build.log" 2>&1; then
        not_ok "$P/build" "$(head -c 300 "$W/build.log")"
        continue
    fi
    sizes_checks
    refs_checks
    session_checks
done
