#!/usr/bin/env bash
# The game test (make test): Chocolate Doom from Debian's source package, an
# SDL2 game drawn through OpenGL by Mesa's llvmpipe under Xvfb. llvmpipe's
# worker threads (and Mesa's disk-cache thread) block every signal, so
# hotld cannot park them by signal: this is the program in which every
# reload failed (issue 15).
#
# The game is built by its own build system (CMake), which also links the
# reference executable. hotld runs the same link inputs, game code in the
# static library libdoom.a as CMake lays it out, on Freedoom's first map
# with no monsters and no input, so the picture is still. Checks, each
# read off screenshots (xwd):
#   - the first picture's status bar is the reference executable's, pixel
#     for pixel (the view's lights flicker with time);
#   - a rendering change (r_main.c: always draw at full brightness), put
#     into libdoom.a with the build's own compile flags and reloaded while
#     the game runs, brightens the 3D view beyond both pictures before it (the reference's
#     and hotld's) and leaves the status bar alone;
#   - a gameplay change (p_user.c: the player turns a degree each tic)
#     makes the view turn from one picture to the next, and the brightness
#     stays: the game goes on, with both changes, in the same process.
#
# HOTLD_KEEP_SHOTS=DIR keeps the screenshots there as PNGs, and each
# reload's report.
#
# Builds are cached in $HOTLD_CACHE/build/chocolate-doom-KEY, KEY hashing
# the compiler version, the source version and the text of build_doom.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

SCREEN="python3 $HOTLD_ROOT/tests/game/screen.py"
SRCPKG=$HOTLD_CACHE/src/chocolate-doom
IWAD=/usr/share/games/doom/freedoom1.wad
GAME_ARGS="-iwad $IWAD -warp 1 1 -nomonsters -nosound -nomusic -window -geometry 640x480"

if ! deps_out=$("$HOTLD_ROOT/scripts/deps.sh" cmake xvfb x11-apps libgl1-mesa-dri freedoom libsdl2-dev \
    libsdl2-mixer-dev libsdl2-net-dev libsamplerate0-dev libpng-dev 2>&1); then
    not_ok doom-deps "$(echo "$deps_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi
if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" chocolate-doom 2>&1); then
    not_ok doom-fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi

# build_doom: configure with CMake and build the chocolate-doom target.
# CMake's build directory holds absolute paths, so the build happens in
# place, under a lock, and is complete once .complete exists. Sets B.
build_doom() {
    local key lockfd rc
    key=$({ declare -f build_doom; gcc --version | head -n 1; head -n 1 "$SRCPKG/debian/changelog"; } |
          sha256sum | cut -c1-16)
    B=$HOTLD_CACHE/build/chocolate-doom-$key
    [ -f "$B/.complete" ] && return 0
    mkdir -p "${B%/*}" && exec {lockfd}>"$B.lock" && flock "$lockfd" || return 1
    if [ ! -f "$B/.complete" ]; then
        rm -rf "$B" && mkdir -p "$B" &&
            (cmake -S "$SRCPKG" -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
             make -C "$B" -j2 chocolate-doom) >"$B.log" 2>&1 && touch "$B/.complete"
        rc=$?
        for old in "$HOTLD_CACHE/build/chocolate-doom-"*; do
            case $old in "$B" | "$B".*) ;; *) rm -rf "$old" ;; esac
        done
    fi
    exec {lockfd}>&-
    [ -f "$B/.complete" ]
}

if ! build_doom; then
    not_ok doom-build "$(tail -n 5 "$B.log" | tr '\n' ' ' | cut -c1-600)"
    exit 1
fi
ok doom-build

# The link inputs CMake gives its linker, from src/ of the build, with
# libdoom.a replaced by a copy the edits go into.
W=$TMP/work
mkdir -p "$W/home"
cp "$B/src/doom/libdoom.a" "$W/libdoom.a"
LINK=$(sed -e 's/^[^ ]* //' -e 's/"//g' "$B/src/CMakeFiles/chocolate-doom.dir/link.txt" |
       tr ' ' '\n' | grep -v -e '^-[OgD]' -e '^-o$' -e '^chocolate-doom$' -e '^$' |
       sed "s|^doom/libdoom.a$|$W/libdoom.a|")

# The game's environment: its own display, home and runtime directory, no
# sound device.
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$W/display" 2>"$W/xvfb.log" &
XVFB=$!
for _ in $(seq 100); do [ -s "$W/display" ] && break; nap 0.1; done
export DISPLAY=:$(head -n 1 "$W/display") HOME=$W/home XDG_RUNTIME_DIR=$W/home SDL_AUDIODRIVER=dummy
GAME=""
cleanup() {
    [ -n "$GAME" ] && kill "$GAME" 2>/dev/null && wait "$GAME" 2>/dev/null
    kill "$XVFB" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

shot() { xwd -root -silent -out "$W/$1.xwd"; }

# wait_for_picture NAME: screenshots until the window is up and its status
# bar drawn (the level is loaded), within 60 s; then NAME.xwd is a picture
# of the level taken 2 s later, when the view has settled. Sets WIN to the
# window's "X Y W H".
wait_for_picture() {
    local i
    for i in $(seq 120); do
        shot "$1"
        WIN=$($SCREEN window "$W/$1.xwd")
        set -- "$1" $WIN
        if [ "$4" -ge 600 ] && [ "$5" -ge 440 ] &&
           [ "$(echo "$($SCREEN mean "$W/$1.xwd" "$2" $(($3 + $5 - 60)) 200 50) > 40" | bc)" = 1 ]; then
            sleep 2
            shot "$1"
            return 0
        fi
        sleep 0.5
    done
    return 1
}

# view/status: the 3D view inside the border, and the status bar's ammo
# and health (not the face, which looks around).
view() { set -- $WIN; echo "$(($1 + 40)) $(($2 + 40)) $(($3 - 80)) $(($4 - 160))"; }
status() { set -- $WIN; echo "$1 $(($2 + $4 - 75)) 200 60"; }

# The reference executable, linked by CMake.
(cd "$B/src" && exec ./chocolate-doom $GAME_ARGS >"$W/ref.out" 2>&1) &
GAME=$!
if wait_for_picture ref; then ok doom-reference-runs; else not_ok doom-reference-runs "no picture in 60 s"; exit 1; fi
kill "$GAME"; wait "$GAME" 2>/dev/null; GAME=""
sleep 1

SESSION=doom-$$
(cd "$B/src" && exec "$HOTLD" --session "$SESSION" $LINK -- $GAME_ARGS >"$W/game.out" 2>&1) &
GAME=$!
if wait_for_picture before; then
    ok doom-runs
else
    not_ok doom-runs "no picture in 60 s: $(tail -n 3 "$W/game.out" | tr '\n' ' ')"
    exit 1
fi
# The view's lights flicker with time (sector light effects), so only the
# status bar's numbers are compared with the reference's picture.
d=$($SCREEN differ "$W/ref.xwd" "$W/before.xwd" $(status))
[ "$d" = "0.0000" ] && ok doom-status-bar-as-linked || not_ok doom-status-bar-as-linked "$d of ammo and health differ"

# edit_and_reload NAME FILE SED: FILE of src/doom edited by SED, compiled
# with the build's flags for libdoom, put into the library, then the same
# link again: a reload of that member while the game runs.
edit_and_reload() {
    local name=$1 file=$2 edit=$3 flags report
    sed "$edit" "$SRCPKG/src/doom/$file" >"$W/$file"
    if cmp -s "$SRCPKG/src/doom/$file" "$W/$file"; then
        not_ok "doom-$name-edit" "'$edit' changes nothing in $file"
        return 1
    fi
    flags=$(sed -n 's/^C_[A-Z]* = //p' "$B/src/doom/CMakeFiles/doom.dir/flags.make" | tr '\n' ' ')
    (cd "$B/src/doom" && gcc $flags -I"$SRCPKG/src/doom" -c "$W/$file" -o "$W/$file.o") >"$W/$name.cc" 2>&1 &&
        ar r "$W/libdoom.a" "$W/$file.o" 2>>"$W/$name.cc" || {
        not_ok "doom-$name-compile" "$(tail -n 3 "$W/$name.cc" | tr '\n' ' ')"
        return 1
    }
    report=$(cd "$B/src" && "$HOTLD" --session "$SESSION" $LINK -- $GAME_ARGS 2>&1)
    if [ $? -eq 0 ] && echo "$report" | grep -q "^hotld: reloaded libdoom.a($file.o)"; then
        ok "doom-$name-reloaded"
        if [ -n "${HOTLD_KEEP_SHOTS:-}" ]; then echo "$report" >"$HOTLD_KEEP_SHOTS/$name.report"; fi
    else
        not_ok "doom-$name-reloaded" "$(echo "$report" | tr '\n' '|' | cut -c1-400)"
        return 1
    fi
}

# A rendering change.
if edit_and_reload render r_main.c 's/if (player->fixedcolormap)$/if (1)/'; then
    sleep 1
    shot bright
    before=$(printf '%s\n' "$($SCREEN mean "$W/before.xwd" $(view))" "$($SCREEN mean "$W/ref.xwd" $(view))" |
             sort -n | tail -n 1) # the brighter of two flickers
    after=$($SCREEN mean "$W/bright.xwd" $(view))
    [ "$(echo "$after > $before * 1.3" | bc)" = 1 ] && ok doom-render-change-shows ||
        not_ok doom-render-change-shows "the view's brightness went from $before to $after"
    d=$($SCREEN differ "$W/before.xwd" "$W/bright.xwd" $(status))
    [ "$d" = "0.0000" ] && ok doom-render-change-status-bar-kept ||
        not_ok doom-render-change-status-bar-kept "$d of ammo and health changed"
fi

# A gameplay change.
if edit_and_reload gameplay p_user.c 's/player->mo->angle += (cmd->angleturn<<FRACBITS);/& player->mo->angle += ANG1;/'; then
    sleep 1
    shot turn1
    sleep 0.5
    shot turn2
    d=$($SCREEN differ "$W/turn1.xwd" "$W/turn2.xwd" $(view))
    [ "$(echo "$d > 0.2" | bc)" = 1 ] && ok doom-gameplay-change-turns ||
        not_ok doom-gameplay-change-turns "only $d of the view changed in 0.5 s"
    after=$($SCREEN mean "$W/turn2.xwd" $(view))
    [ "$(echo "$after > $before * 1.3" | bc)" = 1 ] && ok doom-render-change-stays ||
        not_ok doom-render-change-stays "the view's brightness is $after, $before before the first reload"
fi

if kill -0 "$GAME" 2>/dev/null; then ok doom-game-goes-on; else not_ok doom-game-goes-on "$(tail -n 3 "$W/game.out")"; fi
if [ -n "${HOTLD_KEEP_SHOTS:-}" ]; then
    for s in "$W"/*.xwd; do $SCREEN png "$s" "$HOTLD_KEEP_SHOTS/$(basename "$s" .xwd).png"; done
fi
exit 0
