# Shared by the debugger tests: a fresh build of the test sources, checks
# on a debugger's output, and a reload made from outside the debugger while
# the program waits for its next input line.
. "$(dirname "$0")/../lib.sh"
SRC=$HOTLD_ROOT/tests/gdb/src

has() { # NAME PATTERN FILE: one check that FILE has a line matching PATTERN
    if grep -qE -- "$2" "$3"; then ok "$1"; else
        not_ok "$1" "no line matching '$2' in the debugger's output: $(grep -vE '^\[|^$' "$3" | tail -n 6 | tr '\n' '|' | cut -c1-400)"
    fi
}

one_location() { # NAME FILE: breakpoint 1 has one location in FILE's 'info breakpoints'
    if grep -A3 'Num +Type' "$2" | grep -qE '^1\.[0-9]'; then
        not_ok "$1" "the breakpoint has several locations: $(grep -A4 'Num +Type' "$2" | tr '\n' '|')"
    else
        ok "$1"
    fi
}

wait_line() { # PATTERN [FILE]: in FILE (out.txt), up to 15 s
    for _ in $(seq 150); do has_line "$1" "${2:-out.txt}" && return 0; nap 0.1; done
    return 1
}

# Enter a fresh $TMP/DIR holding the test sources, with SOURCES compiled by
# "CC -g FLAGS" and a FIFO 'input' for the program's stdin. Prints a not-ok
# line CHECK and fails if they do not compile.
enter_build() { # DIR CHECK CC FLAGS SOURCES...
    local d=$TMP/$1 check=$2 cc=$3 flags=$4
    shift 4
    mkdir -p "$d" && cd "$d" || return
    cp "$SRC"/*.c .
    mkfifo input
    $cc -g $flags -c "$@" 2>cc.log || { not_ok "$check" "$(head -c 300 cc.log)"; return 1; }
}

# With the debugger running the program on 'input': send it "one", wait for
# FIRST in the output, edit SOURCE with the sed EXPR, rebuild it with
# COMPILE, reload the session with OBJS (report in reload.txt), send "two",
# wait for SECOND. A broken pipe (a failed session) must not kill the test.
reload_from_outside() { # SESSION "COMPILE" SOURCE EXPR FIRST SECOND OBJS...
    local session=$1 compile=$2 source=$3 expr=$4 first=$5 second=$6 fd
    shift 6
    trap '' PIPE
    exec {fd}>input
    wait_line ready && echo one >&$fd
    wait_line "$first"
    sed -i "$expr" "$source"
    $compile -c "$source" 2>>cc.log
    "$HOTLD" --session "$session" "$@" >reload.txt 2>&1
    echo two >&$fd
    wait_line "$second"
    exec {fd}>&-
}
