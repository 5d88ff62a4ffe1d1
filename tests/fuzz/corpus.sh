#!/usr/bin/env bash
# Replay every kept fuzz input (the corpus and past crashes) through the
# fuzz targets, built with ASan and UBSan from build/asan/hotld's objects
# (tests/fuzz/replay.c stands in for libFuzzer): regressions fail here
# quickly, without a fuzzing run or a build of their own. make fuzz runs
# the libFuzzer targets.
. "$(dirname "$0")/../lib.sh"
cd "$HOTLD_ROOT"
if ! make -s --no-print-directory replayers >"$TMP/build.log" 2>&1; then
    not_ok "build fuzz targets" "$(tail -n 5 "$TMP/build.log" | tr '\n' ' ')"
    exit 0
fi
for source in tests/fuzz/fuzz_*.c; do
    name=$(basename "$source" .c)
    name=${name#fuzz_}
    inputs=$(find tests/fuzz/corpus/$name -type f | wc -l)
    if [ "$inputs" -eq 0 ]; then
        not_ok "fuzz corpus $name" "no inputs kept"
        continue
    fi
    if build/asan/replay/fuzz_$name tests/fuzz/corpus/$name >"$TMP/replay.log" 2>&1; then
        ok "fuzz corpus $name ($inputs inputs replayed)"
    else
        input=$(grep '^replay: ' "$TMP/replay.log" | tail -n 1)
        not_ok "fuzz corpus $name" "${input#replay: }: $(grep -m1 -E 'ERROR|runtime error' "$TMP/replay.log")"
    fi
done
