#!/usr/bin/env bash
# x86_insn_only_reads (loader/x86_64/insn.c) against objdump: every
# instruction with a RIP-relative operand that it says only reads that
# operand must, as objdump prints it, have the operand as a source (not
# the last, AT&T's destination) or be a comparison, and not be lea, xchg
# or another instruction that writes it. It may say "writes" of one that
# only reads (that is only cautious: reload/ctorvars.c then takes a
# constructor's read of a variable for setting it), but it must know the
# common loads. gcc and clang, -O0 to -O3, SSE and AVX2 code.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
build_insn_check insn-reads
srcs=("$HOTLD_ROOT"/tests/insn/src/*.c "$HOTLD_ROOT"/examples/game/*.c)
flags=("gcc -O0" "gcc -O3 -mavx2 -mfma" "clang -O0" "clang -O2 -mavx2 -mfma")
for f in "${flags[@]}"; do
    tag=$(echo "$f" | tr ' ' '_')
    : >all-mine.txt
    : >all-ref.txt
    for s in "${srcs[@]}"; do
        # shellcheck disable=SC2086
        $f -w -fPIE -D_GNU_SOURCE -c "$s" -o obj.o 2>/dev/null || continue
        n=$(basename "$s" .c)
        ./insn_check --reads obj.o | sed "s/^/$n:/" >>all-mine.txt
        # objdump's view: R where the RIP-relative operand is read only
        objdump -d --no-show-raw-insn obj.o | awk -v n="$n" '
            /^Disassembly of section/ { sec = $4; sub(":", "", sec) }
            /^ +[0-9a-f]+:/ && /\(%rip\)/ {
                a = $1; sub(":", "", a)
                line = $0; sub(/^ +[0-9a-f]+:[ \t]+/, "", line); sub(/ *#.*/, "", line)
                m = line; sub(/[ \t].*/, "", m)
                ops = line; sub(/^[^ \t]+[ \t]*/, "", ops)
                last = ops; sub(/.*,/, "", last)
                writes = m ~ /^(lea|xchg|xadd|cmpxchg|lock)/ || (last ~ /\(%rip\)/ && m !~ /^(cmp|test|ucomis|comis|vucomis|vcomis|push|bt$|btl$|btq$)/)
                print n ":" sec "+" a " " (writes ? "W" : "R")
            }' >>all-ref.txt
    done
    sort -u all-mine.txt >mine.txt
    sort -u all-ref.txt >ref.txt
    wrong=$(join mine.txt ref.txt | awk '$2 == "R" && $3 == "W" { print $1 }' | head -n 3 | tr '\n' ' ')
    reads=$(join mine.txt ref.txt | awk '$2 == "R" && $3 == "R"' | wc -l)
    missed=$(join mine.txt ref.txt | awk '$2 == "W" && $3 == "R"' | wc -l)
    if [ -n "$wrong" ]; then
        not_ok "insn-reads/$tag" "said to only read an operand objdump shows written: $wrong"
    elif [ "$reads" -lt 20 ]; then
        not_ok "insn-reads/$tag" "only $reads reads known ($missed taken for writes)"
    else
        ok "insn-reads/$tag ($reads reads known, $missed more taken for writes)"
    fi
done
