#!/usr/bin/env bash
# Build every tests/fuzz/fuzz_*.c against the loader's sources with
# clang's libFuzzer, ASan and UBSan, into build/fuzz/.
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/config.h >/dev/null
mkdir -p build/fuzz
srcs=$(ls loader/*.c gdb/*.c dwarf/*.c inspect/*.c | grep -v loader/main.c)
for f in tests/fuzz/fuzz_*.c; do
    out=build/fuzz/$(basename "$f" .c)
    if [ ! -e "$out" ] || [ -n "$(find loader gdb dwarf inspect "$f" -newer "$out" -name '*.[ch]' | head -n 1)" ]; then
        clang -std=c17 -g -O1 -D_GNU_SOURCE -Ibuild -Iloader -Igdb -Idwarf -Iinspect -Iinclude -I/usr/include/libdwarf \
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
            "$f" $srcs -o "$out" -ldwarf -lelf -lffi -lreadline -ldl -lgcc_s
    fi
done
