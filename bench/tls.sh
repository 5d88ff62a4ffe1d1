#!/usr/bin/env bash
# Thread-local access speed: bench/workloads/tls.c, built -O2 -fPIC (every
# access a general- or local-dynamic sequence), run by hotld against the
# same objects linked by gcc, in one run. GNU ld relaxes the sequences to
# local exec; so does hotld (loader/tls_relocate.c), so the ratio should be
# 1. The large code model's sequences, which hotld leaves to
# __tls_get_addr, show what the relaxation is worth. Medians of
# BENCH_TLS_RUNS runs (default 9) of the program's own ns/iteration.
set -eu
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build cache, as bench/lib.bash picks it (BENCH_CACHE).
cache=${BENCH_CACHE:-$root/bench/.cache}
case $cache in /*) ;; *) cache=$PWD/$cache ;; esac
cache=$cache/tls
hotld=${HOTLD:-$root/build/hotld}
runs=${BENCH_TLS_RUNS:-9}
die() { echo "bench/tls.sh: $*" >&2; exit 1; }

# build NAME FLAGS...: objects and the gcc-linked reference in $cache/NAME.
build() {
    local d=$cache/$1; shift
    mkdir -p "$d"
    (cd "$d" && gcc -O2 "$@" -c "$root/bench/workloads/tls.c" "$root/bench/workloads/tls_other.c" &&
        gcc tls.o tls_other.o -o linked) || die "building $d failed"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ns CMD...: the program's ns/iteration, median of $runs runs.
ns() {
    for _ in $(seq "$runs"); do "$@" | awk '{ print $1 }'; done | median
}

build pic -fPIC
build large -fPIC -mcmodel=large
printf '%-28s %10s %10s %8s\n' "objects" "linked ns" "hotld ns" "ratio"
for v in pic large; do
    d=$cache/$v
    linked=$(ns "$d/linked")
    hot=$(ns "$hotld" "$d/tls.o" "$d/tls_other.o")
    label="-O2 -fPIC"; [ $v = large ] && label="-O2 -fPIC -mcmodel=large"
    awk -v l="$label" -v a="$linked" -v b="$hot" 'BEGIN { printf "%-28s %10.3f %10.3f %8.2f\n", l, a, b, b / a }'
done
