# Shared helpers for test scripts: source it, then call ok/not_ok/expect_*.
# Each check prints exactly one "ok NAME" or "not ok NAME: why" line.
set -u
: "${HOTLD:?run tests through tests/run.sh or make test}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotld-test.XXXXXX")
trap '[ -n "${HOTLD_KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

# Polling loops wait with nap and look with has_line: a process started
# every 20 ms costs milliseconds of a core on a virtual machine, the core
# the program being waited for needs.
# nap SECONDS: sleep(1) without a process: a read that times out on a
# FIFO no one writes.
mkfifo "$TMP/nap"
nap() { read -rt "$1" <>"$TMP/nap" || :; }

# has_line ERE FILE [N]: FILE has at least N (default 1) lines matching
# ERE, as grep -E finds them (a last line not yet ended counts too).
has_line() {
    local re=$1 file=$2 want=${3:-1} n=0 line
    [ -r "$file" ] || return 1
    while IFS= read -r line || [ -n "$line" ]; do
        [[ $line =~ $re ]] && n=$((n + 1))
        [ "$n" -ge "$want" ] && return 0
    done <"$file"
    return 1
}

ok()     { echo "ok $1"; }
not_ok() { echo "not ok $1: $2"; }

# expect_same NAME EXPECTED_FILE ACTUAL_FILE: byte-identical files.
expect_same() {
    if cmp -s "$2" "$3"; then ok "$1"; else
        not_ok "$1" "output differs: $(diff "$2" "$3" | head -n 5 | tr '\n' ' ')"
    fi
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected '$2', got '$3'"; fi
}

# run_both NAME "REF-CMD" "HOTLD-CMD" [STDIN-FILE]: stdout, stderr and exit
# status of a reference executable and of hotld must match exactly.
run_both() {
    local name=$1 ref=$2 hot=$3 in=${4:-/dev/null}
    (eval "$ref") <"$in" >"$TMP/ref.out" 2>"$TMP/ref.err"; local rs=$?
    (eval "$hot") <"$in" >"$TMP/hot.out" 2>"$TMP/hot.err"; local hs=$?
    if [ $rs -ne $hs ]; then
        not_ok "$name" "exit $hs, expected $rs; stderr: $(head -c 300 "$TMP/hot.err")"
    elif ! cmp -s "$TMP/ref.out" "$TMP/hot.out"; then
        not_ok "$name" "stdout differs: $(diff "$TMP/ref.out" "$TMP/hot.out" | head -n 4 | tr '\n' ' ')"
    elif ! cmp -s "$TMP/ref.err" "$TMP/hot.err"; then
        not_ok "$name" "stderr differs: $(diff "$TMP/ref.err" "$TMP/hot.err" | head -n 4 | tr '\n' ' ')"
    else ok "$name"; fi
}
