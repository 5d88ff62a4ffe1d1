#!/usr/bin/env bash
# Replay every kept fuzz input (the corpus and past crashes) through the
# fuzz targets, built with ASan and UBSan: regressions fail here quickly,
# without a fuzzing run.
. "$(dirname "$0")/../lib.sh"
cd "$HOTLD_ROOT"
if ! scripts/build-fuzzers.sh >"$TMP/build.log" 2>&1; then
    not_ok "build fuzz targets" "$(tail -n 5 "$TMP/build.log" | tr '\n' ' ')"
    exit 0
fi
for source in tests/fuzz/fuzz_*.c; do
    target=build/fuzz/$(basename "$source" .c)
    name=${target#build/fuzz/fuzz_}
    inputs=$(find tests/fuzz/corpus/$name -type f | wc -l)
    if [ "$inputs" -eq 0 ]; then
        not_ok "fuzz corpus $name" "no inputs kept"
        continue
    fi
    if "$target" -runs=0 -timeout=60 -artifact_prefix="$TMP/" tests/fuzz/corpus/$name >"$TMP/replay.log" 2>&1; then
        ok "fuzz corpus $name ($inputs inputs replayed)"
    else
        not_ok "fuzz corpus $name" "$(grep -m1 -E 'ERROR|runtime error' "$TMP/replay.log")"
    fi
done
