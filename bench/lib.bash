# Helpers shared by bench/load.sh, reload.sh and edit.sh (sourced, not
# run). Sourcing sets $root, $bench, $cache (the build cache: BENCH_CACHE,
# by default bench/.cache), $hotld (the loader to measure), $cflags and
# $cflag_words (BENCH_CFLAGS, -O2 by default), $jobs (parallel compiles)
# and $me (the script, in its errors), and defines die and note.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench=$root/bench
# BENCH_CACHE lets a caller keep its builds apart from make bench's (the
# smoke run in make test builds the same workloads at other sizes, which
# would otherwise rebuild each other's), or start from an empty cache.
# Absolute, since the scripts change directory.
cache=${BENCH_CACHE:-$bench/.cache}
case $cache in /*) ;; *) cache=$PWD/$cache ;; esac
export HOTLD_CACHE=${HOTLD_CACHE:-$cache}
hotld=${HOTLD:-$root/build/hotld}
case $hotld in /*) ;; *) hotld=$root/$hotld ;; esac
cflags=${BENCH_CFLAGS:--O2}
read -ra cflag_words <<<"$cflags"
jobs=$(nproc 2>/dev/null || echo 2)
me=bench/$(basename "$0")

die() { echo "$me: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

# positive SETTING VALUE: VALUE (from the environment's SETTING) is a
# positive integer, or die naming the setting.
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, not '$2'"; }

shorten() { awk -v s="$1" 'BEGIN { if (length(s) > 300) s = substr(s, 1, 300) " ..."; print s }'; }

# Run a build step, logging to $cache/logs/NAME.log; on failure show the
# log's tail and stop.
step() {
    local name=$1; shift
    local log=$cache/logs/$name.log
    if ! "$@" >"$log" 2>&1; then
        echo "$me: build step '$name' failed: $(shorten "$*")" >&2
        tail -n 25 "$log" | sed 's/^/  | /' >&2
        die "full log: $log"
    fi
}

# Compile each C or C++ file given (absolute paths) into OUTDIR/BASENAME.o
# (its name without the extension), in parallel; extra compiler flags come first: compile_all OUTDIR FLAGS... -- FILES...
compile_all() {
    local out=$1; shift
    local flags=()
    while [ "$1" != -- ]; do flags+=("$1"); shift; done
    shift
    mkdir -p "$out"
    # shellcheck disable=SC2016 # the inner script expands its own arguments
    printf '%s\n' "$@" | xargs -P "$jobs" -n 16 sh -c '
        out=$1; shift; n=$1; shift
        i=0; fl=""
        while [ $i -lt "$n" ]; do fl="$fl $1"; shift; i=$((i + 1)); done
        for f; do
            b=$(basename "$f"); b=${b%.*}
            gcc $fl -c "$f" -o "$out/$b.o" || exit 255
        done' sh "$out" "${#flags[@]}" "${flags[@]}"
}

# A workload is cached in $cache/NAME with a stamp of its build inputs:
# their contents, not their paths, so that a clone given the same
# BENCH_CACHE takes the builds as they are.
stamp_of() {
    { echo "format 1"; echo "cflags $cflags"; gcc --version | head -n 1; echo "$extra"
      for f; do sha256sum <"$f"; done; } | sha256sum | cut -c1-16
}
extra=""
cached() { [ -f "$cache/$1/stamp" ] && [ "$(cat "$cache/$1/stamp")" = "$2" ]; }

fetch() {
    local pkg=$1
    if [ ! -d "$HOTLD_CACHE/src/$pkg" ]; then
        note "fetching Debian source package $pkg"
        "$root/scripts/fetch-sources.sh" "$pkg" || die "cannot fetch the $pkg source package"
    fi
    echo "$HOTLD_CACHE/src/$pkg"
}

# The Lua objects (upstream's flags for linux, without luac), cached in
# $cache/lua/obj: both benchmarks use the same build.
lua_defs=(-DLUA_COMPAT_5_3 -DLUA_USE_LINUX)
build_lua_objects() {
    local st src
    src=$(fetch lua5.4)
    [ -f "$src/src/lua.c" ] || die "$src/src/lua.c missing: unexpected lua5.4 source layout"
    st=$(extra="${lua_defs[*]}" stamp_of "$src/src/lua.c" "$src/src/lvm.c")
    cached lua "$st" && return 0
    note "building lua (gcc $cflags)"
    rm -rf "$cache/lua"
    local files=()
    for f in "$src"/src/*.c; do
        [ "$(basename "$f")" = luac.c ] || files+=("$f")
    done
    # Debian's luaconf.h patch includes a header that debian/rules writes.
    mkdir -p "$cache/lua/include"
    printf '#define DEB_HOST_MULTIARCH "%s"\n' "$(gcc -print-multiarch)" \
        >"$cache/lua/include/lua5.4-deb-multiarch.h"
    step lua-compile compile_all "$cache/lua/obj" "${cflag_words[@]}" "${lua_defs[@]}" -I"$cache/lua/include" -- "${files[@]}"
    echo "$st" >"$cache/lua/stamp"
}
