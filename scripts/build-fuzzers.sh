#!/usr/bin/env bash
# Build every tests/fuzz/fuzz_*.c against hotld's sources with clang's
# libFuzzer, ASan and UBSan, into build/fuzz/. The sources are compiled
# once (in parallel, and again only when a source or header changed) and
# linked into each target.
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/config.h >/dev/null
mkdir -p build/fuzz/obj
dirs=$(scripts/layers.sh --dirs)
includes=$(for d in $dirs; do printf -- '-I%s ' "$d"; done)
flags="-std=c17 -g -O1 -D_GNU_SOURCE -Ibuild $includes -Iinclude -I/usr/include/libdwarf -fno-sanitize-recover=undefined"
newest_header=$(ls -t $(for d in $dirs; do ls "$d"/*.h 2>/dev/null; done) include/*.h | head -n 1)

objs=()
stale=()
for d in $dirs; do
    for c in "$d"/*.c; do
        [ "$c" = session/main.c ] && continue
        o=build/fuzz/obj/${c%.c}.o
        objs+=("$o")
        if [ ! -e "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_header" -nt "$o" ]; then
            mkdir -p "$(dirname "$o")"
            stale+=("$c")
        fi
    done
done
if [ "${#stale[@]}" -gt 0 ]; then
    # shellcheck disable=SC2086
    printf '%s\n' "${stale[@]}" |
        xargs -P "$(nproc)" -I{} sh -c 'c={}; clang '"$flags"' -fsanitize=fuzzer-no-link,address,undefined -c "$c" -o "build/fuzz/obj/${c%.c}.o"'
fi

for f in tests/fuzz/fuzz_*.c; do
    out=build/fuzz/$(basename "$f" .c)
    if [ ! -e "$out" ] || [ "$f" -nt "$out" ] || [ -n "$(find build/fuzz/obj -newer "$out" -name '*.o' | head -n 1)" ]; then
        # shellcheck disable=SC2086
        clang $flags -fsanitize=fuzzer,address,undefined "$f" "${objs[@]}" -o "$out" \
            -ldwarf -lelf -lz -lffi -ljson-c -lreadline -liberty -ldl -lgcc_s
    fi
done
