#!/usr/bin/env bash
# Third-party program test: zlib built from Debian's unmodified zlib source
# package with its own build system (./configure --static; make), by gcc and
# by clang. Upstream's test programs (test/example.c, test/minigzip.c, and
# test/infcover.c, which calls zlib's hidden internal functions) are linked
# by gcc against libz.a as references and run by hotld from the same example.o /
# minigzip.o / infcover.o and libz.a; stdout, stderr, exit status and every
# file they write must match byte for byte.
#
# Builds are cached in $HOTLD_CACHE/build/zlib-CC-KEY, KEY hashing the
# compiler versions, the source version and the text of build_zlib.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

SRCPKG=$HOTLD_CACHE/src/zlib
PROGS="example minigzip example64 minigzip64 infcover"

q() { printf '%q' "$1"; }
tail_log() { tail -n 8 "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-600; }

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" zlib 2>&1); then
    not_ok zlib-fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi

# build_zlib CC: configure and build a copy of the source with CC, then link
# the gcc references ref/PROG from PROG.o and libz.a the way zlib's Makefile
# does. Sets B (the build directory) and BUILD_LOG; non-zero on failure.
build_zlib() {
    local cc=$1 key tmp rc lockfd
    key=$({ declare -f build_zlib; echo "$PROGS"; "$cc" --version | head -n 1; gcc --version | head -n 1
            head -n 1 "$SRCPKG/debian/changelog"; } | sha256sum | cut -c1-16)
    B=$HOTLD_CACHE/build/zlib-$cc-$key
    BUILD_LOG=$B.log
    [ -f "$B/.complete" ] && return 0
    # Concurrent runs sharing the cache wait for each other's build.
    mkdir -p "${B%/*}" && exec {lockfd}>"$B.lock" && flock "$lockfd" || return 1
    if [ -f "$B/.complete" ]; then exec {lockfd}>&-; return 0; fi
    tmp=$B.tmp.$$
    rm -rf "$tmp" && mkdir -p "$tmp" || return 1
    (
        cp -a "$SRCPKG"/. "$tmp"/ || exit 1
        cd "$tmp" || exit 1
        echo "== CC=$cc ./configure --static"
        env -u CFLAGS -u CPPFLAGS -u LDFLAGS CC="$cc" ./configure --static || exit 1
        echo "== make"
        make -j2 libz.a example.o minigzip.o example64.o minigzip64.o infcover.o || exit 1
        mkdir -p ref || exit 1
        for p in $PROGS; do
            gcc -o "ref/$p" "$p.o" -L. libz.a || exit 1
        done
        echo hello | ./ref/minigzip | ./ref/minigzip -d | grep -qx hello || exit 1
    ) >"$BUILD_LOG" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        touch "$tmp/.complete" && rm -rf "$B" && mv "$tmp" "$B" || rc=1
        # Drop builds of this compiler made with an older recipe or toolchain.
        for old in "$HOTLD_CACHE/build/zlib-$cc-"*; do
            case $old in "$B" | "$B".*) ;; *) rm -rf "$old" ;; esac
        done
    fi
    rm -rf "$tmp"
    exec {lockfd}>&-
    return $rc
}

# mg_check NAME STDIN ARGS...: reference minigzip (argv[0] "minigzip") vs
# hotld with --name minigzip, both run from $W.
mg_check() {
    local name=$1 in=$2 args="" a
    shift 2
    for a in "$@"; do args="$args $(q "$a")"; done
    run_both "zlib-$CC-minigzip-$name" \
        "cd $(q "$W") && exec -a minigzip $(q "$B/ref/minigzip")$args" \
        "cd $(q "$W") && $(q "$HOTLD") --name minigzip $(q "$B/minigzip.o") $(q "$B/libz.a") --$args" "$in"
}

# Test input: ~1 MB of text (zlib's sources) followed by binary data.
W=$TMP/work
mkdir -p "$W"
cat "$SRCPKG"/*.c "$SRCPKG"/*.h "$SRCPKG"/ChangeLog >"$W/text"

for CC in gcc clang; do
    if ! build_zlib "$CC"; then
        not_ok "zlib-$CC-build" "build failed, log $BUILD_LOG: $(tail_log "$BUILD_LOG")"
        continue
    fi
    ok "zlib-$CC-build"
    cat "$W/text" "$B/libz.a" "$B/ref/example" >"$W/data"
    printf 'hello world\n' >"$W/small"
    : >"$W/empty"

    # example: zlib's API self-test; it also writes a gzip file through gz*.
    for p in example example64; do
        rm -f "$W/ref.gz" "$W/hot.gz"
        run_both "zlib-$CC-$p" \
            "cd $(q "$W") && exec -a $p $(q "$B/ref/$p") ref.gz" \
            "cd $(q "$W") && $(q "$HOTLD") $(q "$B/$p.o") $(q "$B/libz.a") -- hot.gz"
        if [ -s "$W/ref.gz" ]; then
            expect_same "zlib-$CC-$p-gzfile" "$W/ref.gz" "$W/hot.gz"
        else
            not_ok "zlib-$CC-$p-gzfile" "the reference wrote no ref.gz"
        fi
    done
    run_both "zlib-$CC-infcover" \
        "exec -a infcover $(q "$B/ref/infcover")" \
        "$(q "$HOTLD") $(q "$B/infcover.o") $(q "$B/libz.a")"

    # minigzip through pipes: compressed bytes must be identical.
    mg_check compress-stdin "$W/data"
    mg_check compress-small "$W/small"
    mg_check compress-empty "$W/empty"
    for lv in -1 -9 "-f -5" "-h" "-r -3"; do
        # shellcheck disable=SC2086
        mg_check "compress${lv// /}" "$W/data" $lv
    done
    mg_check copyout-level9 /dev/null -c -9 data
    mg_check copyout-missing /dev/null -c no-such-file

    # compress | decompress, each side entirely ref or entirely hotld; the
    # output must also be the input again.
    for lv in "" "-1 -f" "-9 -r"; do
        name=pipe-roundtrip${lv// /}
        run_both "zlib-$CC-minigzip-$name" \
            "cd $(q "$W") && (exec -a minigzip $(q "$B/ref/minigzip") $lv) | (exec -a minigzip $(q "$B/ref/minigzip") -d)" \
            "cd $(q "$W") && $(q "$HOTLD") --name minigzip $(q "$B/minigzip.o") $(q "$B/libz.a") -- $lv | $(q "$HOTLD") --name minigzip $(q "$B/minigzip.o") $(q "$B/libz.a") -- -d" \
            "$W/data"
        expect_same "zlib-$CC-minigzip-$name-identity" "$W/data" "$TMP/hot.out"
    done

    # Decompression of the reference's output, a truncated stream (error
    # exit with argv[0] in the message) and plain input (copied through).
    (exec -a minigzip "$B/ref/minigzip" -9) <"$W/data" >"$W/data.gz"
    head -c 20000 "$W/data.gz" >"$W/trunc.gz"
    mg_check decompress "$W/data.gz" -d
    mg_check decompress-truncated "$W/trunc.gz" -d
    mg_check decompress-plain "$W/small" -d
    mg_check decompress-copyout /dev/null -d -c data.gz
    mg_check decompress-missing /dev/null -d no-such-file.gz

    # argv[0] selects the mode: "zcat" decompresses to stdout.
    run_both "zlib-$CC-minigzip-as-zcat" \
        "cd $(q "$W") && exec -a zcat $(q "$B/ref/minigzip") data.gz" \
        "cd $(q "$W") && $(q "$HOTLD") --name zcat $(q "$B/minigzip.o") $(q "$B/libz.a") -- data.gz"
    # Default name: the first object's file name without .o.
    run_both "zlib-$CC-minigzip-default-name" \
        "cd $(q "$B") && exec -a minigzip ./ref/minigzip -d /nonexistent/x.gz" \
        "cd $(q "$B") && $(q "$HOTLD") minigzip.o libz.a -- -d /nonexistent/x.gz"

    # File mode: minigzip FILE writes FILE.gz and removes FILE, -d reverses
    # it, and "gunzip" as argv[0] means -d. Each side works in its own dir.
    for side in ref hot; do rm -rf "$W/$side" && mkdir -p "$W/$side" && cp "$W/data" "$W/text" "$W/$side/"; done
    run_both "zlib-$CC-minigzip-file-compress" \
        "cd $(q "$W/ref") && (exec -a minigzip $(q "$B/ref/minigzip") -7 data text) && ls" \
        "cd $(q "$W/hot") && $(q "$HOTLD") --name minigzip $(q "$B/minigzip.o") $(q "$B/libz.a") -- -7 data text && ls"
    expect_same "zlib-$CC-minigzip-file-compress-output" "$W/ref/data.gz" "$W/hot/data.gz"
    run_both "zlib-$CC-minigzip-file-decompress" \
        "cd $(q "$W/ref") && (exec -a minigzip $(q "$B/ref/minigzip") -d data.gz) && ls" \
        "cd $(q "$W/hot") && $(q "$HOTLD") --name minigzip $(q "$B/minigzip.o") $(q "$B/libz.a") -- -d data.gz && ls"
    expect_same "zlib-$CC-minigzip-file-decompress-output" "$W/data" "$W/hot/data"
    run_both "zlib-$CC-minigzip-as-gunzip" \
        "cd $(q "$W/ref") && (exec -a gunzip $(q "$B/ref/minigzip") text.gz) && ls" \
        "cd $(q "$W/hot") && $(q "$HOTLD") --name gunzip $(q "$B/minigzip.o") $(q "$B/libz.a") -- text.gz && ls"
    expect_same "zlib-$CC-minigzip-as-gunzip-output" "$W/text" "$W/hot/text"

    # The 64-bit file offset build of minigzip.
    run_both "zlib-$CC-minigzip64-roundtrip" \
        "cd $(q "$W") && (exec -a minigzip64 $(q "$B/ref/minigzip64") -9) | (exec -a minigzip64 $(q "$B/ref/minigzip64") -d)" \
        "cd $(q "$W") && $(q "$HOTLD") $(q "$B/minigzip64.o") $(q "$B/libz.a") -- -9 | $(q "$HOTLD") $(q "$B/minigzip64.o") $(q "$B/libz.a") -- -d" \
        "$W/data"

    # The ASan+UBSan build of hotld must run the same programs identically.
    if [ "$CC" = gcc ]; then
        if [ -x "${HOTLD_ASAN:-}" ]; then
            run_both "zlib-$CC-asan-example" \
                "cd $(q "$W") && exec -a example $(q "$B/ref/example") ref.gz" \
                "cd $(q "$W") && ASAN_OPTIONS=detect_leaks=0 $(q "$HOTLD_ASAN") --name example $(q "$B/example.o") $(q "$B/libz.a") -- hot.gz"
            run_both "zlib-$CC-asan-minigzip" \
                "cd $(q "$W") && exec -a minigzip $(q "$B/ref/minigzip") -9" \
                "cd $(q "$W") && ASAN_OPTIONS=detect_leaks=0 $(q "$HOTLD_ASAN") --name minigzip $(q "$B/minigzip.o") $(q "$B/libz.a") -- -9" \
                "$W/data"
        else
            not_ok "zlib-$CC-asan-example" "ASan build of hotld missing: ${HOTLD_ASAN:-HOTLD_ASAN unset} (make build/asan/hotld)"
        fi
    fi
done
