#!/usr/bin/env bash
# Build every tests/fuzz/fuzz_*.c against the loader's sources with
# clang's libFuzzer, ASan and UBSan, into build/fuzz/.
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/config.h >/dev/null
mkdir -p build/fuzz
dirs=$(scripts/layers.sh --dirs)
srcs=$(for d in $dirs; do ls "$d"/*.c; done | grep -v session/main.c)
includes=$(for d in $dirs; do printf -- '-I%s ' "$d"; done)
for f in tests/fuzz/fuzz_*.c; do
    out=build/fuzz/$(basename "$f" .c)
    if [ ! -e "$out" ] || [ -n "$(find $dirs "$f" -newer "$out" -name '*.[ch]' | head -n 1)" ]; then
        clang -std=c17 -g -O1 -D_GNU_SOURCE -Ibuild $includes -Iinclude -I/usr/include/libdwarf \
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
            "$f" $srcs -o "$out" -ldwarf -lelf -lffi -lreadline -ldl -lgcc_s
    fi
done
