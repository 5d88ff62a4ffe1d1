#!/usr/bin/env bash
# Rust (issue 21): rustc with hotld as its linker (through cc, the way a
# build changes the linker: -C link-arg=-B build/linker/) makes a program
# that runs as the one rustc links itself: std's rlibs, thread-locals,
# rustc's own temporary objects (carried in the executable, since rustc
# removes them); gdb breaks on counter::bump and backtraces by Rust's
# names as for rustc's own link; --print shows a &str and a String as
# text; building again while the program runs
# reloads it (rustc's objects are kept beside it, OUT.hotld/, under the
# names the next build's link uses), with its static mut, its
# thread-local and main's Vec kept. At -O0 and -O2, with -g. At -O2 std's
# start-up shim is 5 bytes (push; call main; pop; ret), and main's return
# address lies in the bytes a reload patches: the shim is the same code
# in the new version, so the return address moves there.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/lang/lib.bash"

SRC=$HOTLD_ROOT/tests/lang/src/rust
LINKER=$(dirname "$HOTLD")/linker
RUSTC=$(command -v rustc || ls "$HOME/.cargo/bin/rustc" 2>/dev/null)
if [ -z "$RUSTC" ]; then
    not_ok lang/rust/rustc "rustc is not installed (scripts/deps.sh installs it)"
    exit 1
fi
# rustc links with its own lld since 1.90; hotld is reached through cc
NO_LLD=()
"$RUSTC" -C linker-features=-lld --version >/dev/null 2>&1 && NO_LLD=(-C linker-features=-lld)

# The program runs on a fifo; the source is edited (bump adds 10) and
# built again with the same command: the running program's next line
# counts on from where it was, with the new code.
reload_while_running() {
    cp "$SRC/counter.rs" "$W/live.rs"
    (cd "$W" && "$RUSTC" -g -C opt-level=$opt "${NO_LLD[@]}" -C link-arg=-B"$LINKER/" -o live live.rs) \
        >"$W/live.log" 2>&1 || { not_ok "$P/reload" "$(head -c 300 "$W/live.log")"; return; }
    mkfifo "$W/in"
    (cd "$W" && exec ./live <"$W/in" >"$W/live.out" 2>&1) &
    local pid=$! fd
    exec {fd}>"$W/in"
    printf 'a\nb\n' >&$fd
    for _ in $(seq 100); do has_line '^count 2 ' "$W/live.out" && break; nap 0.1; done
    # Rust's strings as text: a &str, a String (the last line read)
    local sock
    sock=$(ls "${XDG_RUNTIME_DIR:-/tmp}/hotld-$(id -u)"/exe-live-*."$pid".sock 2>/dev/null | head -n 1)
    sock=$(basename "$sock" .sock)
    local name last
    name=$("$HOTLD" --session "$sock" --print NAME 2>&1) last=$("$HOTLD" --session "$sock" --print 'live::LAST' 2>&1)
    if [ "$name" = 'NAME = (struct &str) "counter"' ] && [ "$last" = 'live::LAST = (struct String) "b"' ]; then
        ok "$P/print-strings"
    else not_ok "$P/print-strings" "[$name] [$last] (session '$sock')"; fi
    sed -i 's/COUNT += 1;/COUNT += 10;/' "$W/live.rs"
    (cd "$W" && "$RUSTC" -g -C opt-level=$opt "${NO_LLD[@]}" -C link-arg=-B"$LINKER/" -o live live.rs) \
        >>"$W/live.log" 2>&1
    local rc=$?
    printf 'c\n' >&$fd
    for _ in $(seq 100); do has_line '^count [13]2? calls 2' "$W/live.out" && break; nap 0.1; done
    exec {fd}>&-
    wait $pid
    if [ $rc = 0 ] && grep -qx 'count 12 calls 2 seen a,b,c' "$W/live.out"; then ok "$P/reload-keeps-state"
    else not_ok "$P/reload-keeps-state" "build exit $rc; $(tail -n 2 "$W/live.out" | tr '\n' '|') (expected count 12 calls 2 seen a,b,c); $(tail -c 200 "$W/live.log")"; fi
}

for opt in 0 2; do
    W=$TMP/rust-O$opt P=lang/rust/O$opt
    mkdir -p "$W"
    if ! (cd "$W" && "$RUSTC" -g -C opt-level=$opt -o ref "$SRC/counter.rs" &&
          "$RUSTC" -g -C opt-level=$opt "${NO_LLD[@]}" -C link-arg=-B"$LINKER/" -o prog "$SRC/counter.rs") \
            >"$W/build.log" 2>&1; then
        not_ok "$P/build" "$(head -c 300 "$W/build.log")"; continue
    fi
    ok "$P/build"
    printf 'a\nb\nc\n' >"$W/three"
    run_both "$P/runs-as-linked" "cd '$W' && ./ref" "cd '$W' && ./prog" "$W/three"
    printf 'a\n' >"$W/one"
    gdb=(timeout 60 gdb -nx -batch -ex 'set breakpoint pending on' -ex 'handle SIG40 nostop noprint pass'
         -ex 'break counter::bump' -ex 'run < one' -ex 'bt 2')
    (cd "$W" && "${gdb[@]}" ./ref) >"$W/ref.bt" 2>&1
    (cd "$W" && "${gdb[@]}" ./prog) >"$W/prog.bt" 2>&1
    want=$(frames "$W/ref.bt") got=$(frames "$W/prog.bt")
    if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "$P/gdb-names"
    else not_ok "$P/gdb-names" "frames [$got], rustc's link [$want]"; fi
    reload_while_running
done
