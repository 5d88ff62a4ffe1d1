#!/usr/bin/env bash
# The debug images are compressed once the session has been idle a while
# (gdb/compress.c, session/server.c): --status counts them. After it says
# that all are, a program built with -g by gcc and by clang, at -O0 and
# -O2:
# - gdb -p finds a breakpoint by file:line, names main's frame with its
#   line and prints a variable, as for the code before (tests/gdb/gdb.sh's
#   attach checks), and the images it read have compressed DWARF
#   (readelf's C flag, on images dumped from gdb);
# The sources are built with their macros (-g3, -fdebug-macro): a few KB
# of DWARF more, which the images then gain by compressing.
# - lldb -p names main's frame with its line;
# - a reload's report names the line old code keeps running at, which
#   hotld reads from the compressed image (libdwarf).
# And a --watch reload that comes while the session's thread compresses an
# image (held open 4 s by HOTLD_COMPRESS_DELAY_MS), which replaces that
# image and frees it: the compression is thrown away and made again, the
# sanitizer build reports nothing, and the program runs the new code.
# Before, the compressing thread read the freed image (heap-use-after-free
# under ASan; a crash or an abort in the plain build).
. "$(dirname "$0")/lib.bash"
GDB=(gdb -nx -batch -ex 'handle SIG40 nostop noprint pass' -ex 'set confirm off')

# all_compressed SESSION: wait (up to 60 s) until --status counts every
# debug image compressed
all_compressed() {
    local line
    for _ in $(seq 600); do
        line=$("$HOTLD" --session "$1" --status 2>&1 | grep '^  debug images: ')
        [[ $line =~ ^\ \ debug\ images:\ ([1-9][0-9]*),\ .*\(([0-9]+)\ compressed\)$ ]] &&
            [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] && return 0
        nap 0.1
    done
    echo "$line"
    return 1
}

compressed_session() { # TAG CC OPT
    local tag=$1 cc=$2 opt=$3 session="compressed-${1//\//-}-$$" fd pid said
    enter_build "${tag//\//-}" "$tag/build" "$cc" "$opt" loop.c scale.c || return
    "$HOTLD" --session "$session" loop.o scale.o <input >prog.txt 2>&1 &
    pid=$!
    exec {fd}>input
    trap '' PIPE
    wait_line ready prog.txt
    if said=$(all_compressed "$session"); then ok "$tag/all-compressed"; else
        not_ok "$tag/all-compressed" "after 60 s, --status says: $said"
    fi
    cat >dump.gdb <<'EOF'
python
d = gdb.parse_and_eval("__jit_debug_descriptor")
e, n = d["first_entry"], 0
while int(e):
    size = int(e["symfile_size"])
    mem = gdb.selected_inferior().read_memory(int(e["symfile_addr"]), size)
    open("image%d.elf" % n, "wb").write(bytes(mem))
    e, n = e["next_entry"], n + 1
end
EOF
    ( timeout 60 "${GDB[@]}" -x dump.gdb -ex 'break scale.c:6' -ex continue -ex bt -ex 'print v' \
        -ex detach -p "$pid" >out.txt 2>&1 ) &
    local gdbpid=$!
    wait_line 'Breakpoint 1 at' out.txt && sleep 0.5 && echo one >&$fd
    wait $gdbpid
    has "$tag/breakpoint" 'hit Breakpoint 1, scale \(v=(v@entry=)?1, by=(by@entry=)?2\) at scale.c:6' out.txt
    has "$tag/backtrace" '^#1 +0x[0-9a-f]+ in main \(\) at loop.c:14' out.txt
    has "$tag/print" '^\$1 = 1' out.txt
    if readelf -S -W image0.elf 2>/dev/null | grep -E ' \.debug_str ' | grep -qE ' [A-Z]*C[A-Z]* '; then
        ok "$tag/dwarf-compressed"
    else
        not_ok "$tag/dwarf-compressed" "$(readelf -S -W image0.elf 2>&1 | grep -E 'debug_str|Error' | head -n 2)"
    fi
    # main waits in fgets, called at loop.c:13
    timeout 60 lldb-14 -b -p "$pid" -o 'thread backtrace all' -o detach >lldb.txt 2>&1
    has "$tag/lldb-backtrace" '`main at loop\.c:13' lldb.txt
    sed -i 's/scaled %d/scaled! %d/' loop.c && $cc -g $opt -c loop.c 2>>cc.log
    "$HOTLD" --session "$session" loop.o scale.o >reload.txt 2>&1
    has "$tag/report-line" "'main' \\(loop.c:1[34]\\) keeps running its old code" reload.txt
    exec {fd}>&-
    wait $pid
    cd "$TMP"
}

# the sanitizer build, --watch: a reload while an image is being compressed
watch_while_compressing() { # TAG CC
    local tag=$1 cc=$2 session="compressing-${1//\//-}-$$" fd pid said
    enter_build "${tag//\//-}" "$tag/build" "$cc" "-O0" loop.c scale.c || return
    HOTLD_COMPRESS_DELAY_MS=4000 ASAN_OPTIONS=detect_leaks=0 \
        "$HOTLD_ASAN" --session "$session" --watch loop.o scale.o <input >prog.txt 2>err.txt &
    pid=$!
    exec {fd}>input
    trap '' PIPE
    wait_line ready prog.txt
    sleep 2 # idle 1 s: the first image's compression has begun, and waits to 5 s
    sed -i 's/v \* by;/v * by + 1000;/' scale.c && $cc -g -O0 -c scale.c -o scale.o.new 2>>cc.log &&
        mv scale.o.new scale.o
    for _ in $(seq 600); do grep -q 'reloaded scale.o' err.txt && break; nap 0.1; done
    for _ in $(seq 600); do # the compression thrown away is made again
        said=$("$HOTLD" --session "$session" --status 2>&1 | grep '^  debug images: ')
        [[ $said =~ ^\ \ debug\ images:\ 2,\ .*\(([1-9])\ compressed\)$ ]] && said="2 images, some compressed" && break
        nap 0.1
    done
    expect_eq "$tag/images-after" "2 images, some compressed" "$said"
    echo one >&$fd
    wait_line 'scaled' prog.txt
    expect_eq "$tag/new-code" "scaled 1002" "$(grep scaled prog.txt)"
    exec {fd}>&-
    wait $pid
    expect_eq "$tag/exit-status" "0" "$?"
    expect_eq "$tag/no-sanitizer-report" "" "$(grep -m1 -E 'Sanitizer|runtime error' err.txt)"
    cd "$TMP"
}

watch_while_compressing gdb/compressed/watch-gcc gcc
compressed_session gdb/compressed/gcc-O0 gcc "-O0 -g3"
compressed_session gdb/compressed/clang-O2 clang "-O2 -fdebug-macro"
