#!/usr/bin/env bash
# Two ends of a pipeline run from the same objects with other arguments
# (zlib's "minigzip | minigzip -d") are two programs, however close their
# starts. A session listens before its program runs; a command that
# reached it in that moment was compared with arguments not yet known,
# taken for a reload of it ("nothing to reload"), and the pipeline's data
# was lost. Held there by an LD_PRELOAD'ed shim (src/pipeline/hold.c),
# the session must answer with its real arguments.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# held_session ARGS...: start "hotld ends.o -- ARGS" in $W under the shim,
# in the background (S_PID), and wait until it is held.
held_session() {
    rm -f "$W/held" "$W/go"
    (cd "$W" && HOLD_DIR=$W LD_PRELOAD=$W/hold.so exec "$HOT" ends.o -- "$@" </dev/null >"$W/held.out" 2>&1) &
    S_PID=$!
    RL_PIDS+=("$S_PID")
    local i
    for i in $(seq 1000); do [ -e "$W/held" ] && return 0; kill -0 "$S_PID" 2>/dev/null || break; nap 0.01; done
    not_ok "$P/held" "the session never reached its hold: $(head -c 300 "$W/held.out")"
    return 1
}

release() { touch "$W/go"; wait "$S_PID"; }

test_pipeline() {
    build ends.o pipeline/ends.c
    builds_ok || return
    gcc -shared -fPIC -o "$W/hold.so" "$RL_SRC/pipeline/hold.c" -ldl || { not_ok "$P/shim" "hold.c did not build"; return; }

    held_session -d || return
    out=$(cd "$W" && echo data | timeout 20 "$HOT" ends.o 2>&1)
    check other-arguments-run-on-their-own "ends: 0 arguments|data" "$(echo "$out" | tr '\n' '|' | sed 's/|$//')" \
        "the command without arguments, while 'ends.o -- -d' starts"
    release
    check held-session-runs "ends: 1 arguments, first -d" "$(cat "$W/held.out")" "the held session's output"

    held_session || return
    out=$(cd "$W" && echo data | timeout 20 "$HOT" ends.o -- -d 2>&1)
    check more-arguments-run-on-their-own "ends: 1 arguments, first -d|data" "$(echo "$out" | tr '\n' '|' | sed 's/|$//')" \
        "the command with -d, while 'ends.o' starts"
    release

    # The real thing, unheld: each end of each pipeline must run.
    local i bad=0
    for i in $(seq 10); do
        out=$(cd "$W" && echo data | timeout 20 "$HOT" ends.o | timeout 20 "$HOT" ends.o -- -d 2>&1)
        [ "$out" = "$(printf 'ends: 1 arguments, first -d\nends: 0 arguments\ndata')" ] || bad=$((bad + 1))
    done
    check pipelines-both-ends-run 0 "$bad" "pipelines of 10 that lost an end"
}

for_variants test_pipeline gcc clang
