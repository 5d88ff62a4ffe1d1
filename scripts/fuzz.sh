#!/usr/bin/env bash
# make fuzz: build the libFuzzer targets and run each for a bounded time
# (FUZZ_SECONDS, default 120), growing the corpus in tests/fuzz/corpus/;
# then the long stress run: 1,000 reloads under eight threads with gcc and
# clang, 300 with the ASan+UBSan build (make test runs 50 and 30); then
# the reload torture suite on random seeds for TORTURE_SECONDS (default
# 1800), spread over gcc, clang, -O2 and ASan, C and C++ (make test runs
# two fixed seeds); then the query fuzzer (tests/fuzz/queries.py) for
# QUERY_FUZZ_COUNT (default 30,000) expressions on a random seed against
# each variant of tests/reload/asking.sh (make test sends 1,500); then
# GEN_CONFORMANCE_COUNT (default 1,000) generated programs, from a random
# seed, linked by ld.bfd and by hotld (tests/link/generated.sh; make test
# runs seeds 1 to 40).
# A crash leaves its input in tests/fuzz/crashes/ and fails the run; fix
# the loader, then add the input to the corpus as a regression case.
set -eu
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-120}
scripts/build-fuzzers.sh
mkdir -p tests/fuzz/crashes
for source in tests/fuzz/fuzz_*.c; do
    target=build/fuzz/$(basename "$source" .c)
    name=${target#build/fuzz/fuzz_}
    corpus=tests/fuzz/corpus/$name
    mkdir -p "$corpus"
    echo "fuzz: $name for ${seconds}s (corpus $(ls "$corpus" | wc -l) inputs)"
    "$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -artifact_prefix=tests/fuzz/crashes/ "$corpus" 2>&1 | grep -E '^(#[0-9]+ +DONE|==|SUMMARY)' || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: $name found a crash, see tests/fuzz/crashes/"; exit 1; }
done
STRESS_RELOADS=${STRESS_RELOADS:-1000} STRESS_ASAN_RELOADS=${STRESS_ASAN_RELOADS:-300} tests/run.sh tests/reload/stress.sh
TORTURE_SECONDS=${TORTURE_SECONDS:-1800} tests/run.sh -j 1 tests/torture/torture.sh
QUERY_FUZZ_COUNT=${QUERY_FUZZ_COUNT:-30000} QUERY_FUZZ_SEED=${QUERY_FUZZ_SEED:-$RANDOM} tests/run.sh tests/reload/asking.sh
GEN_CONFORMANCE_COUNT=${GEN_CONFORMANCE_COUNT:-1000} GEN_CONFORMANCE_SEED=${GEN_CONFORMANCE_SEED:-$((RANDOM * 32 + 100))} \
    tests/run.sh tests/link/generated.sh
