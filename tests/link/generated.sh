#!/usr/bin/env bash
# The differential conformance suite (issue 20): GEN_CONFORMANCE_COUNT
# programs (default 40; make fuzz runs 1,000 on a random base) made by
# gen_conformance.py from consecutive seeds starting at
# GEN_CONFORMANCE_SEED (default 1), each built by its own build.sh (gcc or
# clang, -O0 or -O2, C or C++), linked by the compiler's driver with
# ld.bfd and run, and run by hotld from the same inputs. stdout and the
# exit status must match; where ld refuses to link (two strong
# definitions), hotld must refuse too.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/link/helpers.bash"

need_tools tools gcc clang g++ clang++ ar ld python3 || true
count=${GEN_CONFORMANCE_COUNT:-40}
first=${GEN_CONFORMANCE_SEED:-1}
G=$TMP/generated
mkdir -p "$G"

# one SEED: generate, build, link both ways, run both; leaves SEED/verdict
# ("ok" or "not ok: why").
one() {
    local d=$G/$1 hot
    python3 "$HOTLD_ROOT/tests/link/gen_conformance.py" "$1" "$d" || { echo "not ok: generator failed" >"$d.verdict"; return; }
    cd "$d" || return
    if ! bash build.sh >build.log 2>&1; then
        echo "not ok: build failed: $(tail -c 300 build.log | tr '\n' ' ')" >"$d.verdict"; return
    fi
    hot="timeout -s KILL $HOTLD_TIMEOUT $(q "$HOTLD")"
    if ! $(cat driver) $(cat inputs) -Wl,-rpath,"$d" -o ref >ref.link 2>&1; then
        if eval "$hot $(cat inputs)" >hot.out 2>hot.err </dev/null; then
            echo "not ok: ld refused ($(grep -m1 -E 'multiple|undefined' ref.link | cut -c1-150)) but hotld ran it" >"$d.verdict"
        else
            echo ok >"$d.verdict"
        fi
        return
    fi
    timeout 20 ./ref >ref.out 2>&1 </dev/null; local rs=$?
    eval "$hot $(cat inputs)" >hot.out 2>&1 </dev/null; local hs=$?
    if [ $rs -ne $hs ]; then
        echo "not ok: exit $hs, expected $rs: $(head -c 300 hot.out | tr '\n' ' ')" >"$d.verdict"
    elif ! cmp -s ref.out hot.out; then
        echo "not ok: output differs: $(diff ref.out hot.out | head -n 6 | tr '\n' ' ')" >"$d.verdict"
    else
        echo ok >"$d.verdict"
    fi
}

for ((s = first; s < first + count; s++)); do
    bg_job one "$s"
done
bg_wait
for ((s = first; s < first + count; s++)); do
    v=$(cat "$G/$s.verdict" 2>/dev/null || echo "not ok: no verdict")
    what="$(cat "$G/$s/driver" 2>/dev/null) $(cat "$G/$s/inputs" 2>/dev/null)"
    case $v in
        ok) ok "generated/$s" ;;
        *) not_ok "generated/$s" "${v#not ok: } [$what; gen_conformance.py $s DIR]" ;;
    esac
done
