#!/usr/bin/env bash
# Third-party program test: a multi-threaded C++ program, the chess engine
# Fairy-Stockfish (a Stockfish 11 fork that also plays variants), built from
# Debian's unmodified fairy-stockfish source package with upstream's
# Makefile flags for Debian's target (ARCH=x86-64 largeboards=yes), by g++
# and by clang++. Its search threads are std::threads, and so are the
# helpers that clear the hash table; its evaluation is the classical one,
# so no NNUE network file is needed. (Debian's stockfish 15.1 is not used:
# "apt-get source stockfish" gets its .dsc, but the archive answers 404 for
# its orig and debian tarballs.)
#
# For each compiler the objects are linked by g++ into a reference
# executable and run by hotld, fed the same UCI commands. Single-threaded
# searches are deterministic, so their output (info lines, node counts,
# bestmove, perft counts, board and evaluation dumps) and exit status must
# match byte for byte once timings are filtered out (nps, time, hashfull,
# bench's totals). Multi-threaded searches are not deterministic: under
# hotld they must end normally with one bestmove per go, each a legal move
# of the position. Checks of program paths that do not depend on the
# compiler's code (files, protocols, one-shot commands) and one bench under
# the ASan+UBSan build of hotld run for gcc's build only, which keeps the
# warm run under 10 s.
#
# Builds are cached in $HOTLD_CACHE/build/fairy-stockfish-CC-KEY, KEY hashing
# the compiler versions, the flags, the source version and the text of
# build_fsf.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

SRCPKG=$HOTLD_CACHE/src/fairy-stockfish
# Upstream src/Makefile for ARCH=x86-64 largeboards=yes, in its order:
# CXXFLAGS= -Wall -Wcast-qual -fno-exceptions -std=c++11 -DLARGEBOARDS
# -DPRECOMPUTED_MAGICS, then per compiler (clang adds -pedantic and -m64),
# then -DNDEBUG -O3 -DIS_64BIT -msse. Not -flto: hotld links machine code,
# and the PGO step of Debian's profile-build is left out too. Plus -g, as
# Debian builds it.
FSF_COMMON="-Wall -Wcast-qual -fno-exceptions -std=c++11 -DLARGEBOARDS -DPRECOMPUTED_MAGICS"
FSF_TAIL="-DNDEBUG -O3 -DIS_64BIT -msse -g"

q() { printf '%q' "$1"; }
tail_log() { tail -n 8 "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-600; }

# fsf_flags CC / fsf_libs CC: the Makefile's CXXFLAGS and its link libraries.
fsf_flags() {
    case $1 in
        gcc) echo "$FSF_COMMON -Wextra -Wshadow $FSF_TAIL" ;;
        clang) echo "$FSF_COMMON -pedantic -Wextra -Wshadow -m64 $FSF_TAIL" ;;
    esac
}
fsf_libs() { case $1 in gcc) echo "-lpthread" ;; clang) echo "-latomic -lpthread" ;; esac; }
cxx_of() { case $1 in gcc) echo g++ ;; clang) echo clang++ ;; esac; }

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" fairy-stockfish 2>&1); then
    not_ok fairy-stockfish-fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi

# build_fsf CC: compile each object of the Makefile's OBJS with CC's C++
# compiler, two at a time, and link the g++ reference fairy-stockfish the
# way the Makefile does (Debian renames stockfish to fairy-stockfish).
# Sets B to the build directory and BUILD_LOG; returns non-zero on failure.
build_fsf() {
    local cc=$1 key tmp rc lockfd
    key=$({ declare -f build_fsf; fsf_flags "$cc"; fsf_libs "$cc"; "$(cxx_of "$cc")" --version | head -n 1
            g++ --version | head -n 1; head -n 1 "$SRCPKG/debian/changelog"; } | sha256sum | cut -c1-16)
    B=$HOTLD_CACHE/build/fairy-stockfish-$cc-$key
    BUILD_LOG=$B.log
    [ -f "$B/.complete" ] && return 0
    # Concurrent runs sharing the cache wait for each other's build.
    mkdir -p "${B%/*}" && exec {lockfd}>"$B.lock" && flock "$lockfd" || return 1
    if [ -f "$B/.complete" ]; then exec {lockfd}>&-; return 0; fi
    tmp=$B.tmp.$$
    rm -rf "$tmp" && mkdir -p "$tmp" || return 1
    (
        cd "$tmp" || exit 1
        # OBJS = benchmark.o bitbase.o ... syzygy/tbprobe.o (continued lines).
        objs=$(sed -n '/^OBJS = /,/[^\\]$/p' "$SRCPKG/src/Makefile" | tr -d '\\' | sed 's/^OBJS = //')
        [ -n "$objs" ] || { echo "no OBJS in the Makefile"; exit 1; }
        echo "== compiling with $(cxx_of "$cc") $(fsf_flags "$cc")"
        printf '%s\n' $objs |
            FCXX=$(cxx_of "$cc") FFLAGS=$(fsf_flags "$cc") S=$SRCPKG/src xargs -P 2 -I{} sh -c \
                'echo "$FCXX $FFLAGS -c $1"; $FCXX $FFLAGS -c "$S/${1%.o}.cpp" -o "$(basename "$1")"' sh {} ||
            exit 1
        for o in $objs; do printf '%s ' "$(basename "$o")"; done >objs.txt || exit 1
        echo "== linking the reference"
        g++ -o fairy-stockfish $(cat objs.txt) $(fsf_libs "$cc") || exit 1
        ./fairy-stockfish bench 16 1 3 >/dev/null 2>&1 || exit 1
    ) >"$BUILD_LOG" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        touch "$tmp/.complete" && rm -rf "$B" && mv "$tmp" "$B" || rc=1
        # Drop builds of this compiler made with an older recipe or toolchain.
        for old in "$HOTLD_CACHE/build/fairy-stockfish-$cc-"*; do
            case $old in "$B" | "$B".*) ;; *) rm -rf "$old" ;; esac
        done
    fi
    rm -rf "$tmp"
    exec {lockfd}>&-
    return $rc
}

# feed P LINE...: print the UCI commands LINE..., one a line, to the engine
# whose pid is in P.pid and whose output goes to P.out. The engine searches
# in its own threads and drops a search at quit or at the end of its input,
# so after each "go" (but "go infinite") this waits, up to 30 s, until P.out
# holds one more "bestmove" or perft "Nodes searched" line, or the engine is
# gone.
feed() {
    local out=$1.out pidf=$1.pid line done=0 i n pid
    shift
    for line in "$@"; do
        printf '%s\n' "$line"
        case $line in "go infinite"*) continue ;; go | "go "*) done=$((done + 1)) ;; *) continue ;; esac
        for ((i = 0; i < 1500; i++)); do
            n=$(grep -cE '^(bestmove|Nodes searched:)' "$out" 2>/dev/null)
            [ "${n:-0}" -ge $done ] && break
            pid=$(cat "$pidf" 2>/dev/null) && [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && break
            sleep 0.02
        done
    done
}

# fed P CMD: shell text for "feed P LINE... | fed P CMD": CMD (shell text
# that execs the engine) in a subshell that first writes its pid to P.pid.
fed() { echo "(echo \$BASHPID >$(q "$1.pid"); $2)"; }

# unvary: drop what depends on the clock (unbuffered, feed reads its output).
unvary() {
    sed -u -E -e 's/ (nps|time|hashfull) [0-9]+//g' -e '/^(Total time \(ms\)|Nodes\/second) +:/d'
}

# ref_cmd / hot_cmd ARGS: shell text running the reference or hotld with
# the program arguments ARGS (already quoted), argv[0] "fairy-stockfish",
# in $W: hotld's session is per directory, and this one is the run's own.
ref_cmd() { echo "cd $(q "$W") && exec -a fairy-stockfish $(q "$B/fairy-stockfish")$1"; }
hot_cmd() { echo "cd $(q "$W") && exec $(q "$HOTLD") --name fairy-stockfish $OBJS $LIBS --$1"; }

# uci_check NAME LINE...: the commands fed to both (stderr merged in stdout).
uci_check() {
    local name=$1 lines="" l
    shift
    for l in "$@"; do lines="$lines $(q "$l")"; done
    run_both "fairy-stockfish-$CC-$name" \
        "rm -f $(q "$TMP/ref.pid"); set -o pipefail
         feed $(q "$TMP/ref")$lines | $(fed "$TMP/ref" "$(ref_cmd "")") 2>&1 | unvary" \
        "rm -f $(q "$TMP/hot.pid"); set -o pipefail
         feed $(q "$TMP/hot")$lines | $(fed "$TMP/hot" "$(hot_cmd "")") 2>&1 | unvary"
}

# args_check NAME ARGS...: a one-shot command given as program arguments.
args_check() {
    local name=$1 args="" a
    shift
    for a in "$@"; do args="$args $(q "$a")"; done
    run_both "fairy-stockfish-$CC-$name" \
        "set -o pipefail; ($(ref_cmd "$args")) 2>&1 | unvary" \
        "set -o pipefail; ($(hot_cmd "$args")) 2>&1 | unvary"
}

# legal_moves POSITION: the moves the reference's perft 1 lists there.
legal_moves() {
    rm -f "$TMP/legal.out" "$TMP/legal.pid"
    feed "$TMP/legal" "$1" "go perft 1" quit | eval "$(fed "$TMP/legal" "$(ref_cmd "")")" >"$TMP/legal.out" 2>&1
    sed -n 's/^\([^ ]*\): 1$/\1/p' "$TMP/legal.out"
}

# mt_check NAME POSITION LINE...: a multi-threaded session under hotld:
# POSITION (commands, one a line), then LINE...; it must exit 0 with an
# empty stderr, and give one bestmove per go, each a legal move there.
mt_check() {
    local name=fairy-stockfish-$CC-$1 pos=$2 legal gos moves bad="" m rc
    shift 2
    legal=$(legal_moves "$pos")
    gos=$(printf '%s\n' "$@" | grep -c '^go')
    rm -f "$TMP/mt.out" "$TMP/mt.pid"
    feed "$TMP/mt" "$pos" "$@" quit | eval "$(fed "$TMP/mt" "$(hot_cmd "")")" >"$TMP/mt.out" 2>"$TMP/mt.err"
    rc=$?
    moves=$(sed -n 's/^bestmove \([^ ]*\).*/\1/p' "$TMP/mt.out")
    for m in $moves; do grep -qxF -- "$m" <<<"$legal" || bad="$bad $m"; done
    if [ $rc -ne 0 ] || [ -s "$TMP/mt.err" ]; then
        not_ok "$name" "exit $rc; stderr: $(head -c 300 "$TMP/mt.err")"
    elif [ -z "$legal" ]; then
        not_ok "$name" "the reference listed no legal move for: $pos"
    elif [ "$(wc -w <<<"$moves")" -ne "$gos" ] || [ -n "$bad" ]; then
        not_ok "$name" "$gos searches gave bestmoves '$(echo $moves)', illegal:${bad:- none}"
    else
        ok "$name"
    fi
}

# mt_bench_check NAME ARGS...: a multi-threaded bench under hotld (nodes
# differ from run to run): exit 0, and every position searched, the last
# "Position: N/N", with one bestmove each.
mt_bench_check() {
    local name=fairy-stockfish-$CC-$1 rc last n
    shift
    (eval "$(hot_cmd " bench $*")") >"$TMP/hot.out" 2>"$TMP/hot.err"; rc=$?
    last=$(sed -n 's/^Position: \([0-9]*\)\/\1$/\1/p' "$TMP/hot.err")
    n=$(grep -c '^bestmove' "$TMP/hot.out")
    if [ $rc -ne 0 ] || [ -z "$last" ] || [ "$n" != "$last" ] || ! grep -qE '^Nodes searched +: [1-9]' "$TMP/hot.err"; then
        not_ok "$name" "exit $rc, $n bestmoves for ${last:-no} last position: $(tail -n 3 "$TMP/hot.err" | tr '\n' ' ')"
    else
        ok "$name"
    fi
}

W=$TMP/work
mkdir -p "$W"
printf '%s\n' "r1bqkbnr/pppp1ppp/2n5/4p3/4P3/5N2/PPPP1PPP/RNBQKB1R w KQkq - 2 3" \
    "6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1" >"$W/fens.txt"
# A variant of our own for the load command, and the ini file loaded twice
# (its variants exist already: an error message each).
printf '[hotld-house:crazyhouse]\ncastling = false\ndoubleStep = false\n' >"$W/hotld.ini"
ITALIAN="position startpos moves e2e4 e7e5 g1f3 b8c6 f1c4 g8f6"
INI=$SRCPKG/src/variants.ini

# search_checks: the UCI protocol with one search thread (deterministic
# searches by depth, nodes with 3 PVs and mate limits, ending at the end of
# input, without quit), the board and evaluation dumps, Chess960; bench as
# program arguments, a one-shot command, on upstream's positions (Debian's
# build test runs "bench 32 1 10 default depth"; depth 6 keeps this short);
# perft in variants with drops (shogi, crazyhouse) and on large boards
# (9x10 xiangqi and janggi, 10x8 capablanca, 10x10 grand), searches in
# grand and crazyhouse.
search_checks() {
    local v lines=()
    uci_check uci-search uci isready "setoption name Threads value 1" "position startpos moves e2e4" \
        "go depth 9" isready "position startpos moves e2e4 c7c5 g1f3" "go depth 8" ucinewgame \
        "setoption name MultiPV value 3" "$ITALIAN" "go nodes 30000" "setoption name MultiPV value 1" \
        "position fen 6k1/5ppp/8/8/8/8/5PPP/3R2K1 w - - 0 1" "go mate 2" \
        "position fen 6k1/5ppp/8/8/8/8/5PPP/3R2K1 b - - 0 1" "go depth 6"
    uci_check uci-board "$ITALIAN" d eval flip d eval compiler "no-such-command x" \
        "position fen 8/8/8/8/8/8/8/8 w - - 0 1" d "setoption name UCI_Chess960 value true" \
        "position fen bbqnnrkr/pppppppp/8/8/8/8/PPPPPPPP/BBQNNRKR w KQkq - 0 1 moves g2g3 d7d5" \
        d "go depth 7" quit
    args_check bench bench 16 1 6 default depth
    for v in xiangqi shogi crazyhouse capablanca janggi grand; do
        lines+=("setoption name UCI_Variant value $v" "position startpos" "go perft 3")
    done
    uci_check variants "${lines[@]}" "go depth 7" "setoption name UCI_Variant value crazyhouse" \
        "position startpos moves e2e4 d7d5 e4d5 d8d5 b1c3 d5a5" "go depth 7" quit
}

# thread_checks: several threads: std::threads started, resized and joined,
# searches stopped by depth, node and time limits and by stop, and bench.
thread_checks() {
    mt_check threads "$ITALIAN" "setoption name Threads value 4" "go depth 8" "go nodes 100000" \
        "go movetime 100" "setoption name Threads value 2" "setoption name Hash value 32" "go depth 8" \
        "setoption name Threads value 3" "go infinite" stop
    mt_bench_check threads-bench 16 4 4 default depth
}

# path_checks: more of the program's paths, run for gcc's build only (the
# checks above cover clang's code): bench on positions from a file and on a
# missing file (exit 1), a perft still running when the one-shot command
# loop ends, variants loaded from Debian's variants.ini by the VariantPath
# option and from files by the load command, the USI and XBoard protocols,
# threads on a large board.
path_checks() {
    args_check bench-fenfile bench 16 1 8 "$W/fens.txt" depth
    args_check bench-missing-file bench 16 1 5 "$W/no-such-file" depth
    args_check go-perft go perft 4
    uci_check variants-ini "setoption name VariantPath value $INI" "setoption name UCI_Variant value orda" \
        "position startpos" d "go perft 3" "go depth 6" "load $W/hotld.ini" "load $INI" \
        "setoption name UCI_Variant value hotld-house" "position startpos moves e2e4 d7d5 e4d5" d "go depth 6" quit
    uci_check usi-xboard usi "position startpos moves 7g7f 3c3d 8h2b+" d "go depth 7" \
        xboard "protover 2" quit
    mt_check threads-xiangqi "setoption name UCI_Variant value xiangqi"$'\n'"position startpos" \
        "setoption name Threads value 4" "go depth 8"
}

# asan_check: the ASan+UBSan build of hotld must run the program identically.
asan_check() {
    if [ ! -x "${HOTLD_ASAN:-}" ]; then
        not_ok "fairy-stockfish-$CC-asan-bench" "ASan build of hotld missing: ${HOTLD_ASAN:-HOTLD_ASAN unset} (make build/asan/hotld)"
        return
    fi
    run_both "fairy-stockfish-$CC-asan-bench" \
        "set -o pipefail; ($(ref_cmd " bench 16 1 5 default depth")) 2>&1 | unvary" \
        "set -o pipefail; (cd $(q "$W") && ASAN_OPTIONS=detect_leaks=0 exec $(q "$HOTLD_ASAN") --name fairy-stockfish $OBJS $LIBS -- bench 16 1 5 default depth) 2>&1 | unvary"
}

for CC in gcc clang; do
    if ! build_fsf "$CC"; then
        not_ok "fairy-stockfish-$CC-build" "build failed, log $BUILD_LOG: $(tail_log "$BUILD_LOG")"
        continue
    fi
    ok "fairy-stockfish-$CC-build"
    OBJS="" LIBS=$(fsf_libs "$CC")
    for o in $(cat "$B/objs.txt"); do OBJS="$OBJS $(q "$B/$o")"; done
    search_checks
    thread_checks
    if [ "$CC" = gcc ]; then
        path_checks
        asan_check
    fi
done
