# Shared by the language tests (tests/lang/*.sh): gdb's view of the
# program as the toolchain links it against hotld's, and the programs'
# one-line answers.

# requires CHECK TOOL: the test's toolchain; without it, one failed
# check and the test ends.
requires() {
    command -v "$2" >/dev/null && return
    not_ok "$1" "$2 is not installed (scripts/deps.sh installs it)"
    exit 1
}

# frames FILE: "FUNCTION FILE:LINE;" of each frame of a gdb backtrace
# (gccgo's optimized frames say "at  FILE", with two spaces)
frames() { sed -nE 's/^#[0-9]+ +(0x[0-9a-f]+ in )?([^ ]+) \(.*\) at +([^ ]+:[0-9]+)$/\2 \3/p' "$1" | tr '\n' ';'; }

# gdb_breaks BREAK HIT INPUT LINKED ARG...: gdb breaks on BREAK (a name
# as the language spells it) in $W/LINKED, the toolchain's link, and in
# "$HOT ARG...", both reading $W/INPUT; hotld's stop says HIT (a regex),
# and its backtrace starts with the linked program's frames (it goes on
# through hotld's own start). One check, "$P/gdb-names".
gdb_breaks() {
    local brk=$1 hit=$2 input=$3 linked=$4; shift 4
    local gdb=(timeout 60 gdb -nx -batch -ex 'set breakpoint pending on' -ex 'handle SIG40 nostop noprint pass'
               -ex "break $brk")
    (cd "$W" && "${gdb[@]}" -ex "run < $input" -ex bt "./$linked") >"$W/linked.bt" 2>&1
    (cd "$W" && "${gdb[@]}" -ex "run $* < $input" -ex bt --args "$HOT") >"$W/hot.bt" 2>&1
    local want got
    want=$(frames "$W/linked.bt") got=$(frames "$W/hot.bt")
    if [ -n "$want" ] && [ "${got#"$want"}" != "$got" ] && grep -qE "hit Breakpoint 1(\.[0-9]+)?, $hit" "$W/hot.bt"; then
        ok "$P/gdb-names"
    else
        not_ok "$P/gdb-names" "frames [$got], linked [$want]; $(grep -E '^(#|Thread|Breakpoint)' "$W/hot.bt" | head -n 4 | tr '\n' '|')"
    fi
}

# answered NAME LINE EXPECTED: send LINE to the session; EXPECTED (a
# whole line) is its answer.
answered() {
    local name=$1 line=$2 want=$3
    send "$line"
    if wait_for "^${want//./\\.}\$" "$S_OUT"; then ok "$P/$name"
    else not_ok "$P/$name" "$(tail -n 2 "$S_OUT" | tr '\n' '|') (expected $want); $(client_said)"; fi
}
