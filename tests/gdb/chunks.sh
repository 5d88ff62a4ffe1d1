#!/usr/bin/env bash
# The first generation's debug image is split into chunks the first time
# a reload makes it again under gdb; from then on a reload makes again
# only the chunk of the object it replaces (reload/debugswap.c,
# gdb/chunks.c). HOTLD_DEBUG_CHUNK=1 makes each object of this 4-object
# program a chunk of its own. gdb -batch runs it; two reloads are made
# from outside, of b.o and then of c.o, built with gcc -O0, clang -O2
# and g++ -O2:
# - the program answers as the compiler's own link of the same sources
#   does at each stage (the oracle), c.c's static kept;
# - bt names every frame, in chunks and in the reloads' images, with its
#   file and line, and the breakpoint on f_c has one location after both
#   reloads; no section of one image overlaps another image's;
# - after the first reload gdb reads 5 images (4 chunks, the reload's);
#   after the second 6, of which 4 it had before: one chunk was replaced.
. "$(dirname "$0")/lib.bash"

# frames OUT N: "FUNCTION FILE:LINE" of the Nth bt in OUT, ';'-separated
frames() {
    awk -v want="$2" '/^#0 / { n++ } n == want && /^#[0-9]+ / { print }' "$1" |
        sed -nE 's/^#[0-9]+ +(0x[0-9a-f]+ in )?([^ (]+)( \(.*\))? at ([^ ]+:[0-9]+)$/\2 \4/p' | tr '\n' ';'
}

# images OUT N: the Nth list of in-memory images gdb printed, one per line
images() { sed -n "s/^IMAGES //p" "$1" | sed -n "${2}p" | tr ' ' '\n' | sed '/^$/d' | sort; }

# oracle CC FLAGS STAGE N: line N of the compiler's link of the sources
# as they are, fed three lines
oracle() {
    local cc=$1 flags=$2 stage=$3
    $cc -g $flags main.c a.c b.c c.c -o "linked-$stage" 2>>cc.log &&
        printf '1\n2\n3\n' | "./linked-$stage" | sed -n "$(($4 + 1))p"
}

chunk_session() { # TAG CC FLAGS
    local tag=$1 cc=$2 flags=$3 fd
    mkdir -p "$TMP/${tag//\//-}" && cd "$TMP/${tag//\//-}" || return
    cp "$SRC"/chunks/*.c . && mkfifo input
    $cc -g $flags -c main.c a.c b.c c.c 2>cc.log || { not_ok "$tag/build" "$(head -c 300 cc.log)"; return; }
    local want1 want2 want3 session="chunks-${tag//\//-}-$$"
    want1=$(oracle "$cc" "$flags" 1 1)
    cat >cmds.gdb <<EOF
set breakpoint pending on
handle SIG40 nostop noprint pass
set confirm off
python
import re
def overlaps():
    # loaded sections of two different images that share an address
    spans, image = [], None
    for line in gdb.execute("maint info sections -all-objects", to_string=True).splitlines():
        m = re.match(r"Object file: .(<in-memory@[^>]*>)", line)
        if line.startswith("Object file:"):
            image = m.group(1) if m else None
        m = re.match(r" *\[\d+\] +0x([0-9a-f]+)->0x([0-9a-f]+) .* ALLOC", line)
        if image and m and int(m.group(2), 16) > int(m.group(1), 16):
            spans.append((int(m.group(1), 16), int(m.group(2), 16), image))
    spans.sort()
    return sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1] and a[2] != b[2])
def images():
    names = [o.filename for o in gdb.objfiles() if o.filename.startswith("<in-memory")]
    print("IMAGES " + " ".join(names))
    print("OVERLAPS %d" % overlaps())
end
break on_line
commands
  python images()
  continue
end
break f_c
commands
  bt
  info breakpoints
  continue
end
run --session $session main.o a.o b.o c.o < input
EOF
    ( HOTLD_DEBUG_CHUNK=1 timeout 60 gdb -nx -batch -x cmds.gdb --args "$HOTLD" >out.txt 2>&1 ) &
    local gdbpid=$!
    trap '' PIPE
    exec {fd}>input
    wait_line ready && echo 1 >&$fd
    wait_line '^line 1: '
    sed -i 's/\* 2;/* 3;/' b.c && $cc -g $flags -c b.c 2>>cc.log
    want2=$(oracle "$cc" "$flags" 2 2)
    "$HOTLD" --session "$session" main.o a.o b.o c.o >reload1.txt 2>&1
    echo 2 >&$fd
    wait_line '^line 2: '
    sed -i 's/x + 10/x + 20/' c.c && $cc -g $flags -c c.c 2>>cc.log
    want3=$(oracle "$cc" "$flags" 3 3)
    "$HOTLD" --session "$session" main.o a.o b.o c.o >reload2.txt 2>&1
    echo 3 >&$fd
    wait_line '^line 3: '
    exec {fd}>&-
    wait $gdbpid

    if [ "$(grep -c '^OVERLAPS 0$' out.txt)" = 3 ]; then ok "$tag/no-overlap"; else
        not_ok "$tag/no-overlap" "$(grep '^OVERLAPS' out.txt | tr '\n' ' ')"
    fi
    has "$tag/reload-b" 'reloaded b.o' reload1.txt
    has "$tag/reload-c" 'reloaded c.o' reload2.txt
    has "$tag/answer-1" "^$want1\$" out.txt
    has "$tag/answer-after-b" "^$want2\$" out.txt
    has "$tag/answer-after-c" "^$want3\$" out.txt
    local want_bt
    for n in 1 2 3; do
        want_bt='f_c c.c:[0-9]+;f_b b.c:[0-9]+;f_a a.c:[0-9]+;main main.c:[0-9]+;'
        if [[ $(frames out.txt $n) =~ ^$want_bt$ ]]; then ok "$tag/bt-$n"; else
            not_ok "$tag/bt-$n" "frames: $(frames out.txt $n)"
        fi
    done
    if grep -A3 'Num +Type' out.txt | tail -n 4 | grep -qE '^2\.[0-9]'; then
        not_ok "$tag/one-location" "$(grep -A4 'Num +Type' out.txt | tail -n 5 | tr '\n' '|')"
    else
        ok "$tag/one-location"
    fi
    local first second kept
    first=$(images out.txt 2) second=$(images out.txt 3)
    kept=$(comm -12 <(echo "$first") <(echo "$second") | grep -c .)
    [ "$(echo "$first" | grep -c .)" = 5 ] && ok "$tag/split-in-four" ||
        not_ok "$tag/split-in-four" "images after the first reload: $(echo "$first" | tr '\n' ' ')"
    [ "$(echo "$second" | grep -c .)" = 6 ] && [ "$kept" = 4 ] && ok "$tag/one-chunk-made-again" ||
        not_ok "$tag/one-chunk-made-again" "$kept of $(echo "$second" | grep -c .) images kept: $(echo "$second" | tr '\n' ' ')"
    cd "$TMP"
}

chunk_session gdb/chunks/gcc-O0 gcc -O0
chunk_session gdb/chunks/clang-O2 clang -O2
chunk_session gdb/chunks/gxx-O2 "g++ -x c++" -O2
