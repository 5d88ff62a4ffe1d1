#!/usr/bin/env bash
# hotld's layers, lowest first. A file may use what its own folder and the
# folders below it define; nothing calls up. This list is the one place the
# order is written (docs/ARCHITECTURE.md draws it; the Makefile builds
# these folders).
#
#   scripts/layers.sh --dirs          the folders, lowest first
#   scripts/layers.sh [BUILD_DIR [SOURCE_DIR]]
#                                     check the objects BUILD_DIR (default
#                                     build/) holds for the sources of
#                                     SOURCE_DIR (default: this checkout):
#                                     a line per upward reference, exit 1
#                                     if there is any
#
# The check reads each object's defined and undefined symbols with nm, so
# it sees calls and data references as the linker does, not includes.
set -u
LAYERS=(
    base            # allocation, errors, strings, maps, hashes
    loader/x86_64   # the machine: relocation arithmetic, TLS relaxation,
                    # instruction decoding, jumps and stubs
    dwarf           # DWARF read with libdwarf from bytes, symbols, sections
    loader          # the linker: read, resolve, lay out, relocate, publish
    gdb             # debug images and GDB's JIT interface
    inspect         # the image as data: expressions, values, sizes, refs
    reload          # changing the running program: bind, park, commit
    session         # the command line, the control socket, the program's start
)

if [ "${1:-}" = "--dirs" ]; then
    printf '%s\n' "${LAYERS[@]}"
    exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" 2>/dev/null && pwd) || { echo "layers: ${1:-build}: no such build directory" >&2; exit 2; }
src=$(cd "${2:-$root}" 2>/dev/null && pwd) || { echo "layers: $2: no such source directory" >&2; exit 2; }
cd "$build"

# The layer of an object: its folder's index, longest folder first
# (loader/x86_64 before loader).
layer_of() {
    local best=-1 len=0 i
    for i in "${!LAYERS[@]}"; do
        case "$1" in
        "${LAYERS[$i]}"/*) [ ${#LAYERS[$i]} -gt "$len" ] && best=$i len=${#LAYERS[$i]} ;;
        esac
    done
    echo "$best"
}

objs=()
declare -A layer
for d in "${LAYERS[@]}"; do
    for c in "$src/$d"/*.c; do
        [ -e "$c" ] || continue
        o=$d/$(basename "$c" .c).o
        [ -e "$o" ] || { echo "layers: $build/$o: not built" >&2; exit 2; }
        objs+=("$o")
        layer[$o]=$(layer_of "$o")
    done
done
[ "${#objs[@]}" -gt 0 ] || { echo "layers: no objects under $build" >&2; exit 2; }

# "D sym obj" for definitions, "U sym obj" for references: one nm for all.
table=$(nm -A "${objs[@]}" | awk '{ split($1, f, ":"); o = f[1] }
    NF == 3 && $2 == "U" { print "U", $3, o }
    NF == 3 && $2 ~ /^[TDBRVWC]$/ { print "D", $3, o }')

bad=0
while read -r sym user owner; do
    lu=${layer[$user]} lo=${layer[$owner]}
    if [ "$lu" -lt "$lo" ]; then
        echo "layers: ${user%.o}.c (${LAYERS[$lu]}) uses '$sym' of ${owner%.o}.c (${LAYERS[$lo]}), a higher layer"
        bad=1
    fi
done < <(awk '$1 == "D" { def[$2] = $3 } $1 == "U" { use[++n] = $2 " " $3 }
             END { for (i = 1; i <= n; i++) { split(use[i], u, " "); if (u[1] in def) print u[1], u[2], def[u[1]] } }' \
             <<<"$table" | sort -u)
exit $bad
