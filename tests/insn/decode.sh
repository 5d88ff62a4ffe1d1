#!/usr/bin/env bash
# The x86-64 length decoder (loader/x86_64/insn.c) against objdump: every
# instruction start it finds in the functions of real objects -- gcc and
# clang, -O0 to -O3, SSE, AVX2/FMA (VEX) and AVX-512 (EVEX) code -- must be
# an instruction start for objdump too, and no function may fail to decode.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
build_insn_check insn
srcs=("$HOTLD_ROOT"/tests/insn/src/*.c "$HOTLD_ROOT"/examples/game/*.c "$HOTLD_ROOT"/loader/x86_64/*.c)
flags=("gcc -O0" "gcc -O2" "gcc -O3 -mavx2 -mfma" "gcc -O3 -mavx512f -mavx512bw -mavx512vl"
       "clang -O1" "clang -O3 -mavx2 -mfma" "clang -O2 -mavx512f")
for f in "${flags[@]}"; do
    tag=$(echo "$f" | tr ' ' '_')
    for s in "${srcs[@]}"; do
        # shellcheck disable=SC2086
        $f -w -I"$HOTLD_ROOT/base" -I"$HOTLD_ROOT/loader/x86_64" -I"$HOTLD_ROOT/build" -D_GNU_SOURCE -c "$s" -o obj.o 2>/dev/null || continue
        ./insn_check obj.o | sort -u >mine.txt
        objdump -d --no-show-raw-insn obj.o | awk '/^Disassembly of section/ {sec=$4; sub(":","",sec)}
            /^ +[0-9a-f]+:/ {a=$1; sub(":","",a); print sec "+" a}' | sort -u >ref.txt
        bad=$(comm -23 mine.txt ref.txt | head -n 3 | tr '\n' ' ')
        name="insn/$tag/$(basename "$s" .c)"
        if [ -n "$bad" ]; then
            not_ok "$name" "decoder disagrees with objdump at: $bad"
        elif [ "$(wc -l <mine.txt)" -lt 5 ]; then
            not_ok "$name" "too few instructions decoded ($(wc -l <mine.txt))"
        else
            ok "$name ($(wc -l <mine.txt) instructions)"
        fi
    done
done
