#!/usr/bin/env bash
# Work done ahead of need does not hold up the program's exit. While main
# runs, the control thread reads the objects' DWARF and makes the image a
# debugger would read. A program that ends meanwhile ends now: exit stops
# that work where it is (it used to wait for all of it, a second at most;
# a short program with a 29 MB object ran 35 ms instead of 5).
# The disk is made slow for hotld's own threads (src/slowdisk/slowpread.c:
# 100 ms a read), and the program, whose object holds 2 MB of DWARF,
# returns from main at once: less than half of the object may have been
# read when the session is gone, and the exit status is main's.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

test_background() {
    local i
    for ((i = 1; i <= 20000; i++)); do echo "struct s$i { int a$i; long b; char c[3]; };"; done >"$W/types.c"
    echo 'int main(void) { return 3; }' >>"$W/types.c"
    (cd "$W" && "$CC" "${CFL[@]}" -g -fno-eliminate-unused-debug-types -c types.c -o types.o) >"$W/cc.log" 2>&1 ||
        RL_BUILD_ERRORS="; $(head -c 300 "$W/cc.log" | tr '\n' ' ')"
    "$CC" -shared -fPIC -o "$W/slowpread.so" "$RL_SRC/slowdisk/slowpread.c" -ldl >>"$W/cc.log" 2>&1 ||
        RL_BUILD_ERRORS+="; slowpread.c: $(head -c 300 "$W/cc.log" | tr '\n' ' ')"
    builds_ok || return
    rm -f "$W/slow.log"
    HOT_ENV+=(LD_PRELOAD="$W/slowpread.so" SLOW_LOG="$W/slow.log")
    hot_cmd "$HOT" --session "$SNAME" types.o
    (cd "$W" && exec "${RL_CMD[@]}") >"$W/run.out" 2>"$W/run.err"
    check exit-status 3 "$?" "the exit status"
    local size read
    size=$(stat -c %s "$W/types.o")
    read=$(cat "$W/slow.log" 2>/dev/null | awk '{ n += $1 } END { print n + 0 }')
    check exit-stops-the-image yes "$([ "$read" -lt $((size / 2)) ] && echo yes || echo no)" \
        "the object's bytes read on hotld's threads before exit ($read of $size; stderr: $(head -c 200 "$W/run.err"))"
}

# Not under ASan: a sanitized program's image is made before main, on the
# main thread, for the sanitizer to read (gdb/imagefile.c).
for_variants test_background gcc clang-O2
