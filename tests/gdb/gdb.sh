#!/usr/bin/env bash
# Debugging hot-loaded code with a real gdb -batch session: objects built
# by gcc and clang, at -O0 and -O2 (-g), and by gcc at -O0 with -gz (the
# DWARF zlib-compressed, reloaded too), run as `gdb --args hotld OBJS`.
# Breakpoints by name and file:line hit, bt names every frame with its
# line, info locals, print and ptype of a global struct, finish, up/down,
# a watchpoint on a global; under a reload made from outside gdb, the same
# breakpoint hits in the new code with exactly one location and a
# watchpoint on a kept variable keeps firing; old frames keep their names,
# lines and source; gdb -p to a running session; the hotld helper;
# thread-local variables, each thread's own copy.
. "$(dirname "$0")/lib.bash"
# hotld parks threads with SIGRTMIN+6 (SIG40 to gdb) during a reload.
GDB=(gdb -nx -batch -ex 'set breakpoint pending on' -ex 'handle SIG40 nostop noprint pass'
     -ex 'set confirm off')

# Hardware watchpoints need the CPU's debug registers, which some virtual
# machines do not pass on. The gcc-linked program says whether they fire
# here; where they do not, gdb watches in software for hotld too, which is
# what a user on such a machine gets.
printf 'int total;\nint main(void) { for (int i = 0; i < 3; i++) total += i + 1; return 0; }\n' >"$TMP/hw.c"
gcc -g -O0 "$TMP/hw.c" -o "$TMP/hw"
if timeout 30 "${GDB[@]}" -ex 'break main' -ex run -ex 'watch total' -ex continue "$TMP/hw" 2>&1 |
        grep -q '^New value = '; then
    WATCHPOINT='Hardware watchpoint'
else
    GDB+=(-ex 'set can-use-hw-watchpoints 0')
    WATCHPOINT='Watchpoint'
fi

debug_session() { # TAG CC OPT
    local tag=$1 cc=$2 opt=$3
    enter_build "$tag" "$tag/build" "$cc" "$opt" shapes.c scale.c || return
    timeout 60 "${GDB[@]}" -ex 'break scale' -ex 'break scale.c:6' -ex run -ex bt \
        -ex 'info locals' -ex 'print origin' -ex 'print origin.y' -ex 'ptype struct point' \
        -ex continue -ex finish -ex 'up' -ex 'down' -ex 'delete' -ex 'watch total' -ex continue \
        -ex 'info breakpoints' --args "$HOTLD" shapes.o scale.o >out.txt 2>&1
    # -O2 shows arguments as v=v@entry=0, as for a gcc-linked executable
    local args='v=(v@entry=)?0, by=(by@entry=)?2'
    has "$tag/break-by-name" "hit Breakpoint 1, scale \\($args\\) at scale.c:5" out.txt
    has "$tag/break-file-line" "hit Breakpoint 2, scale \\($args\\) at scale.c:[67]" out.txt
    has "$tag/bt-frame-0" "^#0 +scale \\($args\\) at scale.c:5" out.txt
    if [ "${opt%% *}" = -O0 ]; then # -O2 inlines step into main
        has "$tag/bt-static-frame" '^#1 +0x[0-9a-f]+ in step \(i=0\) at shapes.c:16' out.txt
        has "$tag/bt-main" '^#2 +0x[0-9a-f]+ in main \(\) at shapes.c:25' out.txt
        has "$tag/info-locals" '^product = ' out.txt
        has "$tag/up" '^#1 +0x[0-9a-f]+ in main \(\) at shapes.c:25' out.txt
        has "$tag/down" '^#0 +(0x[0-9a-f]+ in )?step \(i=0\) at shapes.c:16' out.txt
    else
        has "$tag/bt-main" '^#[12] +(0x[0-9a-f]+ in )?main \(\) at shapes.c:25' out.txt
    fi
    has "$tag/print-struct" '^\$1 = \{x = 3, y = 4\}' out.txt
    has "$tag/print-field" '^\$2 = 4' out.txt
    has "$tag/ptype" 'type = struct point \{' out.txt
    has "$tag/finish" '^Value returned is \$[0-9]+ = 0' out.txt
    has "$tag/watchpoint" "^$WATCHPOINT [0-9]+: total" out.txt
    has "$tag/watchpoint-fires" 'New value = ' out.txt
    cd "$TMP"
}

reload_session() { # TAG CC OPT
    local tag=$1 cc=$2 opt=$3
    enter_build "$tag-reload" "$tag/reload-build" "$cc" "$opt" loop.c scale.c || return
    # gdb runs the program with stdin from the FIFO; the program's own
    # (line-buffered) output tells where it is, since gdb's is buffered.
    local session="gdb-${tag//\//-}-$$"
    # "run ARGS < in": gdb's run takes the redirection with the arguments
    ( timeout 60 "${GDB[@]}" -ex 'break scale' -ex "run --session $session loop.o scale.o < input" \
        -ex 'print v' -ex continue -ex 'print v' -ex 'info breakpoints' -ex finish \
        -ex continue --args "$HOTLD" >out.txt 2>&1 ) &
    local gdbpid=$!
    # the edit also moves scale's lines down by one
    reload_from_outside "$session" "$cc -g $opt" scale.c \
        's/int product = v \* by;/int product = v * by * 100;/; 1i /* edited */' \
        'scaled 2' 'scaled 400' loop.o scale.o
    wait $gdbpid
    has "$tag/reload-applied" 'reloaded scale.o' reload.txt
    has "$tag/first-hit-old-code" '^\$1 = 1' out.txt
    has "$tag/first-hit-old-line" 'hit Breakpoint 1, scale \(v=(v@entry=)?1, by=(by@entry=)?2\) at scale.c:5' out.txt
    has "$tag/hit-at-new-line" 'hit Breakpoint 1, scale \(v=(v@entry=)?2, by=(by@entry=)?2\) at scale.c:6' out.txt
    has "$tag/hit-in-new-code" '^\$2 = 2' out.txt
    has "$tag/new-code-runs-under-gdb" '^Value returned is \$3 = 400' out.txt
    one_location "$tag/one-location" out.txt
    cd "$TMP"
}

# With gdb (GDBPID) running the program on 'input': one line, then, once
# PATTERN is in the debugger's output ('hotld reload' continued the
# program, which waits for input while the session reloads), another;
# then wait for the debugger. gdb's own output is buffered: the
# program's (line-buffered) output tells where it is.
feed_around_reload() { # GDBPID PATTERN
    local gdbpid=$1 pattern=$2 fd
    exec {fd}>input
    trap '' PIPE
    echo a >&$fd
    for _ in $(seq 150); do has_line "$pattern" out.txt && break; nap 0.1; done
    sleep 1
    echo b >&$fd
    sleep 0.5
    exec {fd}>&-
    wait "$gdbpid"
}

# The gdb helper (gdb/hotld-gdb.py, auto-loaded from beside build/hotld):
# status, where, then a reload made from inside gdb ('hotld reload'),
# history and vars; and a message, not a traceback, when the program is
# not hotld or not running.
helper_session() { # TAG CC
    local tag=$1 cc=$2
    enter_build "$tag-helper" "$tag/helper-build" "$cc" -O0 loop.c scale.c || return
    ( timeout 60 gdb -nx -batch -iex "add-auto-load-safe-path $(dirname "$HOTLD")" \
        -ex 'set breakpoint pending on' -ex 'hotld status' -ex 'break scale.c:6' \
        -ex "run --session helper-${tag//\//-}-$$ loop.o scale.o < input" \
        -ex 'hotld status' -ex 'hotld history' -ex 'hotld where $pc' -ex 'hotld where 0x10' \
        -ex "shell sed -i 's/v \\* by;/v * by * 100;/' scale.c && $cc -g -O0 -c scale.c" \
        -ex 'hotld reload' -ex finish -ex 'hotld history' \
        -ex 'hotld vars' -ex 'print &calls' -ex 'print calls' -ex 'print &runs' -ex 'print runs' -ex 'hotld vars nomatch' -ex 'hotld status' \
        -ex 'delete' -ex continue \
        --args "$HOTLD" >out.txt 2>&1 ) &
    feed_around_reload $! 'scaled 2'
    has "$tag/helper-not-running" "^hotld: the program is not running" out.txt
    has "$tag/helper-status" "^  .*/loop.o +version 0 +code at 0x[0-9a-f]+" out.txt
    has "$tag/helper-where" "^0x[0-9a-f]+: .*/scale.o, version 0, section \.text\+0x[0-9a-f]+" out.txt
    has "$tag/helper-where-symbol" "^  scale \+ [0-9]+ in section" out.txt
    has "$tag/helper-where-outside" "^0x10 is not in code or data hotld loaded" out.txt
    has "$tag/helper-no-history" "^no reloads yet" out.txt
    has "$tag/helper-reload" "^hotld: reloaded scale.o" out.txt
    has "$tag/helper-reload-applied" '^Value returned is \$[0-9]+ = 400' out.txt
    has "$tag/helper-history" "^ +1  hotld: reloaded scale.o" out.txt
    has "$tag/helper-vars" "^  calls +kept +0x[0-9a-f]+ \(4 bytes\) scale.o" out.txt
    has "$tag/helper-status-after" "^  .*/scale.o +version 1 +code at" out.txt
    # gdb reads the copies the program uses, the kept ones 'hotld vars'
    # names, after two calls: a file static and a global
    local var kept
    for var in calls runs; do
        kept=$(awk -v v=$var '$1 == v && $2 == "kept" { print $3 }' out.txt)
        has "$tag/helper-reads-kept-$var" "^\\\$[0-9]+ = \\(int \\*\\) ${kept:-none} <$var(#[0-9]+)?>" out.txt
        if grep -A1 -E "^\\\$[0-9]+ = \\(int \\*\\) ${kept:-none} <$var" out.txt | tail -1 | grep -qE '^\$[0-9]+ = 2$'; then
            ok "$tag/helper-kept-$var-value"
        else
            not_ok "$tag/helper-kept-$var-value" "$(grep -E '^\$' out.txt | tr '\n' '|')"
        fi
    done
    if grep -q Traceback out.txt; then not_ok "$tag/helper-no-traceback" "$(grep -A3 Traceback out.txt | tr '\n' '|')"; else ok "$tag/helper-no-traceback"; fi
    # not hotld: the same program, linked normally
    gcc -g loop.o scale.o -o linked
    timeout 30 gdb -nx -batch -ex "source $HOTLD_ROOT/gdb/hotld-gdb.py" -ex 'break main' -ex 'run < /dev/null' \
        -ex 'hotld status' -ex 'hotld vars' --args ./linked >plain.txt 2>&1
    has "$tag/helper-not-hotld" "^hotld: the program being debugged is not hotld" plain.txt
    cd "$TMP"
}

# 'hotld reload' in a worker that gdb follows (set follow-fork-mode
# child): the first process, which gdb left, applies the reload, and both
# processes run the new code: the worker stops at the breakpoint in it,
# and the first process prints its result.
follow_child_session() { # TAG CC
    local tag=$1 cc=$2
    enter_build "$tag-fork" "$tag/fork-build" "$cc" -O0 forkloop.c scale.c || return
    ( timeout 60 gdb -nx -batch -iex "add-auto-load-safe-path $(dirname "$HOTLD")" \
        -ex 'set breakpoint pending on' -ex 'handle SIG40 nostop noprint pass' \
        -ex 'set follow-fork-mode child' -ex 'break scale.c:6' \
        -ex "run --session fork-${tag//\//-}-$$ forkloop.o scale.o < input" \
        -ex "shell sed -i 's/v \\* by;/v * by * 100;/' scale.c && $cc -g -O0 -c scale.c" \
        -ex 'hotld reload' -ex finish -ex 'hotld status' -ex 'delete' -ex continue \
        --args "$HOTLD" >out.txt 2>&1 ) &
    feed_around_reload $! 'worker scaled 2'
    has "$tag/fork-reload" "^hotld: reloaded scale.o" out.txt
    has "$tag/fork-worker-new-code" '^Value returned is \$[0-9]+ = 400' out.txt
    has "$tag/fork-worker-status" "^  .*/scale.o +version 1 +code at" out.txt
    has "$tag/fork-first-process-new-code" "^first process scaled 10000" out.txt
    if grep -q Traceback out.txt; then not_ok "$tag/fork-no-traceback" "$(grep -A3 Traceback out.txt | tr '\n' '|')"; else ok "$tag/fork-no-traceback"; fi
    cd "$TMP"
}

# An edit undone and done again: the third reload brings back the image
# of the first (reload/reuse.c). The breakpoint must be in that image once,
# at the edited line, and the code it stops in must be the edited code.
reuse_session() { # TAG CC
    local tag=$1 cc=$2
    enter_build "$tag-reuse" "$tag/reuse-build" "$cc" -O0 loop.c scale.c || return
    cp scale.o scale1.o
    sed -i 's/int product = v \* by;/int product = v * by * 100;/; 1i /* edited */' scale.c
    $cc -g -O0 -c scale.c -o scale2.o 2>>cc.log
    local session="gdb-reuse-${tag//\//-}-$$" fd v
    ( timeout 60 "${GDB[@]}" -ex 'break scale' -ex "run --session $session loop.o scale.o < input" \
        -ex 'info breakpoints' -ex finish -ex continue --args "$HOTLD" >out.txt 2>&1 ) &
    local gdbpid=$!
    trap '' PIPE
    exec {fd}>input
    wait_line ready
    for v in 2 1 2; do
        cp "scale$v.o" scale.o
        "$HOTLD" --session "$session" loop.o scale.o >>reload.txt 2>&1
    done
    echo one >&$fd
    wait_line 'scaled 200'
    exec {fd}>&-
    wait $gdbpid
    has "$tag/reuse-brought-back" '^hotld: scale.o: version 1 again' reload.txt
    has "$tag/reuse-hit-edited-line" 'hit Breakpoint 1, scale \(v=1, by=2\) at scale.c:6' out.txt
    has "$tag/reuse-runs-edited-code" '^Value returned is \$1 = 200' out.txt
    one_location "$tag/reuse-one-location" out.txt
    cd "$TMP"
}

# A reload of the object whose main loop is running: the old main stays in
# the backtrace under its own name and line (main#0 at oldmain.c#0:19),
# gdb shows no source text for it (not the new text), and neither 'break
# main' nor 'break oldmain.c:19' finds a location in old code.
old_frame_session() { # TAG CC
    local tag=$1 cc=$2
    enter_build "$tag-oldframe" "$tag/oldframe-build" "$cc" -O0 oldmain.c scale.c || return
    local session="oldframe-${tag//\//-}-$$"
    # 'list' before the reload puts the old text in gdb's source cache,
    # which the helper (loaded as users load it) flushes on the reload
    ( timeout 60 "${GDB[@]}" -iex "add-auto-load-safe-path $(dirname "$HOTLD")" -ex 'break scale' -ex "run --session $session oldmain.o scale.o < input" \
        -ex 'list oldmain.c:9,9' -ex continue -ex 'bt 3' -ex 'break main' -ex 'break oldmain.c:19' -ex 'info breakpoints' \
        -ex 'frame 2' -ex 'list 9,9' -ex 'frame 1' -ex 'list 9,9' -ex 'delete' -ex continue \
        --args "$HOTLD" >out.txt 2>&1 ) &
    local gdbpid=$!
    reload_from_outside "$session" "$cc -g -O0" oldmain.c 's/return scale(i, 2);/return scale(i, 2) + 1000;/' \
        'helped 2' 'helped 1004' oldmain.o scale.o
    wait $gdbpid
    has "$tag/oldframe-reload" 'reloaded oldmain.o' reload.txt
    has "$tag/oldframe-new-helper" '^#1 +0x[0-9a-f]+ in helper \(i=2\) at oldmain.c:9' out.txt
    has "$tag/oldframe-named-with-line" '^#2 +0x[0-9a-f]+ in main#0 \(\) at /.*/sources-[0-9]+/v0/oldmain.c#0:19' out.txt
    # the old frame shows the source it was built from (a snapshot), and
    # the new code its own
    has "$tag/oldframe-old-source" '^9[[:space:]]+return scale\(i, 2\);' out.txt
    has "$tag/new-source" '^9[[:space:]]+return scale\(i, 2\) \+ 1000;' out.txt
    # 'break main' and 'break oldmain.c:19' find the new main only
    local locations
    locations=$(awk '/^Num +Type/ { on = 1 } on && /^[0-9]+(\.[0-9]+)? / { print }' out.txt | grep -c 'oldmain.c:' || true)
    if grep -qE '<main#|main#0 at' out.txt || [ "$locations" != 2 ]; then
        not_ok "$tag/oldframe-no-location" "old code has breakpoint locations: $(grep -A6 'Num +Type' out.txt | tr '\n' '|')"
    else
        ok "$tag/oldframe-no-location"
    fi
    cd "$TMP"
}

# A watchpoint on a variable the reload keeps: it stays at its address, so
# the watchpoint set before the reload fires when the new code writes it.
watch_session() { # TAG CC
    local tag=$1 cc=$2
    enter_build "$tag-watch" "$tag/watch-build" "$cc" -O0 loop.c scale.c || return
    local session="watch-${tag//\//-}-$$"
    ( timeout 60 "${GDB[@]}" -ex 'break scale' -ex "run --session $session loop.o scale.o < input" \
        -ex delete -ex 'watch calls' -ex continue -ex continue -ex continue \
        --args "$HOTLD" >out.txt 2>&1 ) &
    local gdbpid=$!
    reload_from_outside "$session" "$cc -g -O0" scale.c 's/int product = v \* by;/int product = v * by * 100;/' \
        'scaled 2' 'scaled 400' loop.o scale.o
    wait $gdbpid
    has "$tag/watch-reload" 'reloaded scale.o' reload.txt
    has "$tag/watch-before-reload" "^Old value = 0" out.txt
    if grep -A1 '^Old value = 1' out.txt | grep -q '^New value = 2'; then
        ok "$tag/watch-fires-after-reload"
    else
        not_ok "$tag/watch-fires-after-reload" "$(grep -E 'value =|atchpoint' out.txt | tr '\n' '|')"
    fi
    cd "$TMP"
}

# Without hardware watchpoints gdb single-steps every thread to watch in
# software, the reload included, which then takes minutes. The same
# property is checked through what a watchpoint relies on: gdb's address
# of the kept variable is the same before and after the reload, and what
# the new code writes there is what gdb reads.
kept_address_session() { # TAG CC
    local tag=$1 cc=$2
    enter_build "$tag-watch" "$tag/watch-build" "$cc" -O0 loop.c scale.c || return
    local session="watch-${tag//\//-}-$$"
    ( timeout 60 "${GDB[@]}" -ex 'break scale' -ex "run --session $session loop.o scale.o < input" \
        -ex 'print &calls' -ex finish -ex 'print calls' -ex continue -ex 'print &calls' -ex finish \
        -ex 'print calls' -ex delete -ex continue --args "$HOTLD" >out.txt 2>&1 ) &
    local gdbpid=$!
    reload_from_outside "$session" "$cc -g -O0" scale.c 's/int product = v \* by;/int product = v * by * 100;/' \
        'scaled 2' 'scaled 400' loop.o scale.o
    wait $gdbpid
    has "$tag/watch-reload" 'reloaded scale.o' reload.txt
    local addrs; addrs=$(grep -oE '^\$[0-9]+ = \(int \*\) 0x[0-9a-f]+' out.txt | awk '{ print $NF }' | sort -u | wc -l)
    if [ "$(grep -cE '^\$[0-9]+ = \(int \*\) 0x' out.txt)" -eq 2 ] && [ "$addrs" -eq 1 ]; then
        ok "$tag/kept-address"
    else
        not_ok "$tag/kept-address" "$(grep -E '^\$' out.txt | tr '\n' '|')"
    fi
    has "$tag/kept-written-by-new-code" '^\$[0-9]+ = 2$' out.txt
    cd "$TMP"
}

# Run loop.o scale.o as session NAME; once it is ready, run the shell
# command BEFORE, then attach gdb -p with the -ex arguments given (the
# first sets breakpoint 1), and send the program one line once it is set.
attached_run() { # NAME BEFORE GDB-ARGS...
    local session=$1 before=$2 fd
    shift 2
    "$HOTLD" --session "$session" loop.o scale.o <input >prog.txt 2>&1 &
    local pid=$!
    exec {fd}>input
    trap '' PIPE
    wait_line ready prog.txt
    eval "$before"
    ( timeout 60 "${GDB[@]}" "$@" -ex detach -p "$pid" >out.txt 2>&1 ) &
    local gdbpid=$!
    wait_line 'Breakpoint 1 at' out.txt && sleep 0.5 && echo one >&$fd
    wait $gdbpid
    exec {fd}>&-
    wait $pid
}

# gdb -p to a session that is already running: the code loaded before gdb
# came is there, by name and line.
attach_session() { # TAG CC
    local tag=$1 cc=$2
    enter_build "$tag-attach" "$tag/attach-build" "$cc" -O0 loop.c scale.c || return
    attached_run "attach-${tag//\//-}-$$" : -ex 'break scale.c:6' -ex continue -ex bt -ex 'print v'
    has "$tag/attach-breakpoint" 'hit Breakpoint 1, scale \(v=1, by=2\) at scale.c:6' out.txt
    has "$tag/attach-backtrace" '^#1 +0x[0-9a-f]+ in main \(\) at loop.c:14' out.txt
    has "$tag/attach-print" '^\$1 = 1' out.txt
    cd "$TMP"
}

# A reload with no debugger attached leaves the first generation's debug
# image to be made again later (reload/debugswap.c). gdb attached after
# it finds one scale, the new one, at the breakpoint's line, and stops in
# the new code; the old version is scale#0, as after a reload gdb saw.
stale_attach_session() { # TAG CC
    local tag=$1 cc=$2 session="stale-${1//\//-}-$$"
    enter_build "$tag-stale" "$tag/stale-build" "$cc" -O0 loop.c scale.c || return
    attached_run "$session" "sed -i 's/v \\* by;/v * by * 100;/' scale.c && $cc -g -O0 -c scale.c &&
        \"\$HOTLD\" --session $session loop.o scale.o >reload.txt 2>&1" \
        -ex 'break scale.c:6' -ex continue -ex 'info breakpoints' -ex finish -ex "print 'scale#0'"
    has "$tag/stale-reloaded" "^hotld: reloaded scale.o" reload.txt
    has "$tag/stale-breakpoint" 'hit Breakpoint 1, scale \(v=1, by=2\) at scale.c:6' out.txt
    has "$tag/stale-new-code" '^Value returned is \$[0-9]+ = 200' out.txt
    if grep -qE '^1\.2 ' out.txt; then not_ok "$tag/stale-one-location" "$(grep -A3 '^Num' out.txt | tr '\n' '|')"
    else ok "$tag/stale-one-location"; fi
    has "$tag/stale-old-renamed" '^\$[0-9]+ = \{int \(int, int\)\} 0x[0-9a-f]+ <scale#0>' out.txt
    cd "$TMP"
}

# Edit scale.c to multiply by BY more, build it, and reload the session.
rescale_and_reload() { # SESSION CC BY
    sed -i "s/int product = v \* by.*;/int product = v * by * $3;/" scale.c && $2 -g -O0 -c scale.c &&
        "$HOTLD" --session "$1" loop.o scale.o >>reload.txt 2>&1
}

# Two reloads with no debugger attached, the second edit made as soon as
# the first reload is reported: each reload copies its sources before it
# reports (gdb/snapshot.c). gdb attached then stops in the newest code,
# and shows the middle version, scale#1, with the text it was built from
# (v1 of the copies), not the second edit's.
copies_attach_session() { # TAG CC
    local tag=$1 cc=$2 session="copies-${1//\//-}-$$"
    enter_build "$tag-copies" "$tag/copies-build" "$cc" -O0 loop.c scale.c || return
    attached_run "$session" "rescale_and_reload $session $cc 100 && rescale_and_reload $session $cc 1000" \
        -ex 'break scale.c:6' -ex continue -ex finish -ex "info line 'scale#1'" -ex "list 'scale#1'"
    if [ "$(grep -c '^hotld: reloaded scale.o' reload.txt)" = 2 ]; then ok "$tag/copies-reloaded"
    else not_ok "$tag/copies-reloaded" "$(tr '\n' '|' <reload.txt)"; fi
    has "$tag/copies-breakpoint" 'hit Breakpoint 1, scale \(v=1, by=2\) at scale.c:6' out.txt
    has "$tag/copies-new-code" '^Value returned is \$[0-9]+ = 2000' out.txt
    has "$tag/copies-old-copy" '^Line [0-9]+ of "/.*/sources-[0-9]+/v1/scale.c#1"' out.txt
    has "$tag/copies-old-text" '^6[[:space:]]+int product = v \* by \* 100;' out.txt
    cd "$TMP"
}

# Thread-local variables of hot-loaded code, in the thread that stops and
# in another one (tests/link/src/tls: three threads in turn bump their
# own shared_count from 10 and label it; main's copy stays 10).
tls_session() { # TAG CC
    local tag=$1 cc=$2
    mkdir -p "$TMP/$tag" && cd "$TMP/$tag" || return
    cp "$HOTLD_ROOT"/tests/link/src/tls/*.c .
    $cc -g -c main.c vars.c 2>cc.log || { not_ok "$tag/build" "$(head -c 300 cc.log)"; return; }
    timeout 60 "${GDB[@]}" -ex 'break vars_label if shared_count == 12' -ex run \
        -ex 'print shared_count' -ex 'print label' -ex 'print tls_text' -ex 'print shared_zero[511]' \
        -ex 'thread 1' -ex 'print shared_count' -ex 'print label' --args "$HOTLD" main.o vars.o >out.txt 2>&1
    has "$tag/tls-condition" 'hit Breakpoint 1, vars_label \(\) at vars.c' out.txt
    has "$tag/tls-this-thread" '^\$1 = 12$' out.txt
    has "$tag/tls-static" '^\$2 = "bumped by 2"' out.txt
    has "$tag/tls-other-object" '^\$3 = 0x[0-9a-f]+ (<[^>]*> )?"changed"' out.txt
    has "$tag/tls-zeroed" '^\$4 = 2$' out.txt
    has "$tag/tls-main-thread" '^\$5 = 10$' out.txt
    has "$tag/tls-main-thread-static" '^\$6 = "label"' out.txt
    cd "$TMP"
}

# GDB finds hotld's JIT interface in the dynamic symbol table, so a
# stripped hotld still shows loaded code.
stripped_session() {
    enter_build stripped gdb/stripped-build gcc "" shapes.c scale.c || return
    strip -o hotld-stripped "$HOTLD" || { not_ok gdb/stripped-setup "strip failed"; return; }
    timeout 60 "${GDB[@]}" -ex 'break scale.c:6' -ex run -ex 'bt 2' --args ./hotld-stripped shapes.o scale.o \
        >out.txt 2>&1
    has gdb/stripped-hotld-breakpoint 'hit Breakpoint 1, scale \(v=0, by=2\) at scale.c:6' out.txt
    has gdb/stripped-hotld-backtrace '^#1 +0x[0-9a-f]+ in step \(i=0\) at shapes.c:16' out.txt
    cd "$TMP"
}
stripped_session

for cc in gcc clang; do
    old_frame_session "gdb/$cc" "$cc"
    helper_session "gdb/$cc" "$cc"
    follow_child_session "gdb/$cc" "$cc"
    if [ "$WATCHPOINT" = 'Hardware watchpoint' ]; then watch_session "gdb/$cc" "$cc"; else
        kept_address_session "gdb/$cc" "$cc"; fi
    reuse_session "gdb/$cc" "$cc"
    attach_session "gdb/$cc" "$cc"
    stale_attach_session "gdb/$cc" "$cc"
    tls_session "gdb/$cc/tls" "$cc"
    for opt in -O0 -O2; do
        debug_session "gdb/$cc$opt" "$cc" "$opt"
        reload_session "gdb/$cc$opt" "$cc" "$opt"
    done
done
# once: what they check is hotld's, not the compiler's
copies_attach_session gdb/gcc gcc
debug_session gdb/gcc-O0-gz gcc "-O0 -gz" # DWARF in zlib-compressed sections
reload_session gdb/gcc-O0-gz gcc "-O0 -gz"
