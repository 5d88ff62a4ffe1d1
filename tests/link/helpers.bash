# Helpers shared by the tests/link/*.sh scripts (sourced after tests/lib.sh;
# not executable, so tests/run.sh does not run it as a test).

LINK_SRC=$HOTLD_ROOT/tests/link/src
NJOBS=$(nproc 2>/dev/null || echo 2)
# A hung loader must not stall the suite: every hotld run gets a time limit.
HOTLD_TIMEOUT=${HOTLD_TIMEOUT:-30}

# q ARG...: shell-quote arguments for the command strings given to run_both.
q() { printf '%q ' "$@"; }

# Command prefixes (for run_both's eval) that run hotld and its ASan build.
HOT="timeout -s KILL $HOTLD_TIMEOUT $(q "$HOTLD")"
HOT_ASAN="ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 timeout -s KILL $HOTLD_TIMEOUT $(q "$HOTLD_ASAN")"

# Variables the "libc" program looks for in environ (same for both runs).
export HOTLD_TEST_VAR="value with spaces" HOTLD_TEST_OTHER=1

# bg_job CMD...: run CMD in the background, keeping at most NJOBS running;
# bg_wait: wait for them all. The jobs are counted here: counting them
# with jobs | wc took two processes per job.
BG_RUNNING=0
bg_job() {
    "$@" &
    BG_RUNNING=$((BG_RUNNING + 1))
    while [ "$BG_RUNNING" -ge "$NJOBS" ]; do wait -n; BG_RUNNING=$((BG_RUNNING - 1)); done
}
bg_wait() { wait; BG_RUNNING=0; }

# compile OUT CMD...: run a compile command writing OUT; its output goes to
# OUT.log, and OUT is removed if the command fails.
compile() {
    local out=$1; shift
    "$@" -o "$out" >"$out.log" 2>&1 || rm -f "$out"
}

# check_built NAME FILE: "not ok" with the compiler's log if FILE is missing.
# Returns non-zero then, so callers can skip what depends on it.
check_built() {
    if [ -e "$2" ]; then return 0; fi
    not_ok "$1" "build failed: $(head -c 400 "$2.log" 2>/dev/null | tr '\n' ' ')"
    return 1
}

# need_tools NAME TOOL...: one "not ok" per missing tool (never skip silently).
need_tools() {
    local name=$1 t rc=0; shift
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || { not_ok "$name-tool-$t" "$t is not installed"; rc=1; }
    done
    return $rc
}

# reloc_types OBJ...: the distinct relocation type names in the objects.
reloc_types() {
    readelf -rW "$@" 2>/dev/null | awk '$3 ~ /^R_X86_64_/ { print $3 }' | sort -u
}

# expect_relocs NAME "TYPE..." OBJ...: every listed relocation type occurs in
# at least one of the objects (proves the test exercises what it claims).
expect_relocs() {
    local name=$1 want=$2 t missing=""; shift 2
    local have; have=$(reloc_types "$@")
    for t in $want; do
        printf '%s\n' "$have" | grep -qx "$t" || missing="$missing $t"
    done
    if [ -z "$missing" ]; then ok "$name"; else
        not_ok "$name" "objects lack relocation type(s):$missing (have: $(printf '%s\n' "$have" | tr '\n' ' '))"
    fi
}

# expect_syms NAME NDX "SYM..." OBJ...: each SYM is in some object's symbol
# table with section index NDX as readelf prints it (UND, COM, LARGE_COM).
expect_syms() {
    local name=$1 ndx=$2 want=$3 s missing=""; shift 3
    local have; have=$(readelf -sW "$@" 2>/dev/null | awk -v n="$ndx" '$7 == n { print $8 }' | sort -u)
    for s in $want; do
        printf '%s\n' "$have" | grep -qx -- "$s" || missing="$missing $s"
    done
    if [ -z "$missing" ]; then ok "$name"; else
        not_ok "$name" "no $ndx symbol(s):$missing"
    fi
}

# expect_sections NAME "SECTION..." OBJ...: each section occurs in some object.
expect_sections() {
    local name=$1 want=$2 s missing=""; shift 2
    local have; have=$(readelf -SW "$@" 2>/dev/null | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p' | sort -u)
    for s in $want; do
        printf '%s\n' "$have" | grep -qxF -- "$s" || missing="$missing $s"
    done
    if [ -z "$missing" ]; then ok "$name"; else
        not_ok "$name" "no section(s):$missing"
    fi
}
