# Helpers shared by the tests/reload/*.sh scripts (sourced after
# tests/lib.sh; not executable, so tests/run.sh does not run it as a test).
#
# A test runs one program as a hotld session in the background ("terminal
# 1"): stdin from a FIFO that send() writes commands to, stdout and stderr to
# $W/session.out and $W/session.err. The program answers "q TAG" with lines
# "TAG KEY VALUE..." and "TAG end" (see src/rt.h). reload() runs the same
# hotld command again in the foreground ("terminal 2").
#
# Each script calls for_variants FUNCTION: FUNCTION runs once per variant
# (compiler and flags), with these set:
#   V     variant name: gcc, clang, gcc-O2, clang-O2, gcc-asan
#   CC    compiler; CFL: array of its flags (empty for default flags)
#   HOT   the hotld binary ($HOTLD, or $HOTLD_ASAN for *-asan variants)
#   W     an empty work directory for this variant
#   P     prefix of check names: reload/SCRIPT/VARIANT
#   SNAME a session name unique to this script run and variant
# Environment knobs: RELOAD_VARIANTS (default "gcc clang gcc-O2 clang-O2"),
# RELOAD_WAIT (seconds to wait for an answer, default 10), RELOAD_KEEP.

RL_SRC=$HOTLD_ROOT/tests/reload/src
RL_WAIT=${RELOAD_WAIT:-10}
RL_CMD_TIMEOUT=${RELOAD_CMD_TIMEOUT:-20}   # limit for one client command
RL_VARIANTS=${RELOAD_VARIANTS:-gcc clang gcc-O2 clang-O2}
RL_SCRIPT=$(basename "$0" .sh)
RL_PIDS=()          # every session started; killed at exit if still running
RL_Q=0 RL_NS=0
S_PID="" S_FD="" S_RC=""

# Sessions must never outlive the script, even when it fails.
rl_cleanup() {
    local pid
    for pid in "${RL_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${RL_PIDS[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; nap 0.05; done
        kill -KILL "$pid" 2>/dev/null
    done
}
# RELOAD_KEEP=1 keeps the work directories (objects, session output, every
# client command and its stderr in clients.err) for debugging.
if [ -n "${RELOAD_KEEP:-}" ]; then
    trap 'rl_cleanup; echo "# kept $TMP"' EXIT
else
    trap 'rl_cleanup; rm -rf "$TMP"' EXIT
fi
trap 'exit 130' INT TERM

for _t in gcc clang timeout mkfifo awk; do
    command -v "$_t" >/dev/null 2>&1 || not_ok "reload/$RL_SCRIPT/tool-$_t" "$_t is not installed"
done

# The helpers below poll every 20 ms and run for every check, so they
# start no process of their own where bash can do the work (nap, not
# sleep(1)): in a perf profile of make test, bash and the tools it
# started (sleep, grep, cat, date, awk...) took about a third of the CPU
# time.

# slurp VAR FILE: FILE's text into VAR without its trailing newlines, as
# VAR=$(cat FILE) does.
slurp() {
    local -n _into=$1
    IFS= read -r -d '' _into <"$2" || :
    while [[ $_into == *$'\n' ]]; do _into=${_into%$'\n'}; done
}

# hot_cmd CMD...: CMD with the variant's environment (HOT_ENV, env's
# arguments), in RL_CMD.
hot_cmd() {
    RL_CMD=("$@")
    [ "${#HOT_ENV[@]}" -eq 0 ] || RL_CMD=(env "${HOT_ENV[@]}" "$@")
}

# ---- variants -------------------------------------------------------------------

# for_variants FUNCTION [VARIANT...]: run FUNCTION once per variant (default:
# $RL_VARIANTS), each with its own work directory; any session it left
# running is stopped afterwards.
for_variants() {
    local fn=$1 v; shift
    [ $# -gt 0 ] || set -- $RL_VARIANTS
    for v in "$@"; do
        V=$v
        case $v in
            gcc*) CC=gcc ;;
            clang*) CC=clang ;;
            *) not_ok "reload/$RL_SCRIPT/$v" "unknown variant"; continue ;;
        esac
        CFL=()
        case $v in *-O2*) CFL=(-O2) ;; esac
        case $v in *-gz*) CFL+=(-gz) ;; esac # DWARF in zlib-compressed sections
        case $v in *-dts*) CFL+=(-fdebug-types-section) ;; esac # types in type units
        case $v in *-split*) CFL+=(-gsplit-dwarf) ;; esac # types in a .dwo file
        HOT=$HOTLD HOT_ENV=()
        case $v in *-asan*)
            HOT=$HOTLD_ASAN
            HOT_ENV=(ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1) ;;
        esac
        W=$TMP/$RL_SCRIPT-$v
        mkdir -p "$W"
        case $v in *-oldkernel*) # no PROCMAP_QUERY: hotld reads every mapping
            "$CC" -shared -fPIC -o "$W/noquery.so" "$RL_SRC/oldkernel/noquery.c" -ldl
            HOT_ENV+=(LD_PRELOAD="$W/noquery.so") ;;
        esac
        P=reload/$RL_SCRIPT/$v
        SNAME=hotld-test-$$-$RL_SCRIPT-$v
        [ -x "$HOT" ] || not_ok "$P/hotld-binary" "$HOT is not built (make -C \$HOTLD_ROOT build/hotld build/asan/hotld)"
        "$fn"
        session_kill
        case $v in *-asan*) expect_no_sanitizer_report ;; esac
    done
}

# ---- building -------------------------------------------------------------------

# build OUT SRC [FLAG...]: compile SRC (path under src/) to $W/OUT with the
# variant's compiler and flags. On failure, records the compiler's message in
# RL_BUILD_ERRORS and returns 1.
RL_BUILD_ERRORS=""
build() {
    local out=$1 src=$2; shift 2
    if "$CC" "${CFL[@]}" -I"$RL_SRC" -I"$HOTLD_ROOT/include" "$@" -c "$RL_SRC/$src" \
            -o "$W/$out" >"$W/$out.log" 2>&1; then
        return 0
    fi
    RL_BUILD_ERRORS="$RL_BUILD_ERRORS; $CC ${CFL[*]} $* -c $src -o $out: $(head -c 300 "$W/$out.log" | tr '\n' ' ')"
    rm -f "$W/$out"
    return 1
}

# build_cxx OUT SRC [FLAG...]: build() with the variant's C++ compiler.
build_cxx() {
    local CC=${CC/gcc/g++}
    CC=${CC/clang/clang++} build "$@"
}

# builds_ok: one check for all the build() calls so far in this variant;
# returns 1 (the test should stop) if any failed.
builds_ok() {
    if [ -z "$RL_BUILD_ERRORS" ]; then ok "$P/build"; return 0; fi
    not_ok "$P/build" "${RL_BUILD_ERRORS#; }"
    RL_BUILD_ERRORS=""
    return 1
}

# use VERSION_OBJ OBJ: put a prebuilt version in place of OBJ ("the edit").
use() { cp "$W/$1" "$W/$2"; }

# answers FILE TAG: the answer to query TAG in FILE, without the tag, as
# "KEY VALUE;KEY VALUE;".
answers() { awk -v t="$2" '$1 == t && $2 != "end" { $1 = ""; print substr($0, 2) }' "$1" | tr '\n' ';'; }

# linked_answer NAME OBJ...: the answer to one query of the program that
# the compiler ($CXX, else $CC) links from OBJs of $W: the oracle a
# reload's result is compared with. LINKED_HISTORY: commands it is sent
# first, one per line.
linked_answer() {
    local name=$1; shift
    (cd "$W" && "${CXX:-$CC}" "${CFL[@]}" "$@" -o "$name") >>"$W/link.log" 2>&1 &&
        printf '%sq x\n' "${LINKED_HISTORY:-}" | "$W/$name" >"$W/$name.out" && answers "$W/$name.out" x
}

# ---- the session ----------------------------------------------------------------

# session_start [--in DIR] ARG...: start "$HOT ARG..." in $W (or DIR) as
# the session and wait for the program's "ready" line; one check
# "$P/session-start". S_ARGS keeps the arguments for reload().
session_start() {
    S_DIR=$W
    if [ "$1" = --in ]; then S_DIR=$2; shift 2; fi
    S_ARGS=("$@")
    session_kill
    RL_NS=$((RL_NS + 1))
    S_OUT=$W/session$RL_NS.out S_ERR=$W/session$RL_NS.err
    local fifo=$W/session$RL_NS.in
    mkfifo "$fifo" || { not_ok "$P/session-start" "mkfifo failed"; return 1; }
    exec {S_FD}<>"$fifo"
    # The session must not inherit S_FD (it would be a writer of its own
    # stdin, and never see end of input if this script dies).
    hot_cmd "$HOT" "${S_ARGS[@]}"
    ( exec {S_FD}>&-; cd "$S_DIR" && exec "${RL_CMD[@]}" ) \
        <"$fifo" >"$S_OUT" 2>"$S_ERR" &
    S_PID=$! S_RC=""
    RL_PIDS+=("$S_PID")
    if wait_for '^ready$' "$S_OUT"; then ok "$P/session-start"; return 0; fi
    session_reap
    not_ok "$P/session-start" "no 'ready' from the program: $(session_state)"
    return 1
}

session_alive() { [ -n "$S_PID" ] && kill -0 "$S_PID" 2>/dev/null; }

# session_reap: once the session has exited, its exit status goes to S_RC.
# (Not from a $(...) subshell: only this shell can wait for the session.)
session_reap() {
    if [ -z "$S_RC" ] && [ -n "$S_PID" ] && ! session_alive; then
        wait "$S_PID" 2>/dev/null; S_RC=$?
    fi
}

# session_state: a description for failure messages.
session_state() {
    local err; err=$(tail -c 400 "$S_ERR" 2>/dev/null | tr '\n' '|')
    if session_alive; then echo "session running; its stderr: [$err]"; return; fi
    echo "session exited (status ${S_RC:-unknown}); its stderr: [$err]; stdout tail: [$(tail -n 3 "$S_OUT" 2>/dev/null | tr '\n' '|')]"
}

send() { [ -n "$S_FD" ] && printf '%s\n' "$*" >&"$S_FD"; }

# wait_for REGEX FILE [SECONDS]: until a line of FILE matches (an ERE,
# as grep -E takes it; a last line not yet ended counts, as in grep).
# Gives up early when the session has exited. FILE is read as it grows,
# each line once; the lines that start with "$RL_KEEP " are kept in
# RL_KEPT.
RL_KEEP="" RL_KEPT=()
wait_for() {
    local re=$1 file=$2 n=$(( ${3:-$RL_WAIT} * 50 )) i=0 fd="" line held="" gone found=1
    RL_KEPT=()
    while :; do
        gone=""
        [ -n "$S_PID" ] && ! session_alive && gone=1
        [ -z "$fd" ] && [ -e "$file" ] && exec {fd}<"$file"
        if [ -n "$fd" ]; then
            while IFS= read -r -u "$fd" line; do
                line=$held$line held=""
                [[ -n $RL_KEEP && $line == "$RL_KEEP "* ]] && RL_KEPT+=("$line")
                [[ $line =~ $re ]] && { found=0; break 2; }
            done
            held+=$line
            [[ -n $held && $held =~ $re ]] && { found=0; break; }
        fi
        [ -n "$gone" ] && { session_reap; break; }
        i=$((i + 1))
        [ $i -ge $n ] && break
        nap 0.02
    done
    [ -n "$fd" ] && exec {fd}<&-
    return $found
}

# query: send "q TAG" and wait for the answer; QT is its TAG, and
# RL_ANSWER its lines by KEY (the first of each), without TAG and KEY
# (RL_ANSWERED: that TAG).
declare -A RL_ANSWER=()
RL_ANSWERED=""
query() {
    local line words
    RL_Q=$((RL_Q + 1)); QT=q$RL_Q
    send "q $QT"
    RL_KEEP=$QT
    wait_for "^$QT end\$" "$S_OUT"
    local rc=$?
    RL_KEEP="" RL_ANSWER=() RL_ANSWERED=$QT
    for line in "${RL_KEPT[@]}"; do
        read -ra words <<<"$line"
        [ "${#words[@]}" -ge 2 ] && [ -z "${RL_ANSWER[${words[1]}]+set}" ] && RL_ANSWER[${words[1]}]="${words[*]:2}"
    done
    return $rc
}

# qv KEY [TAG] [FIELD]: field FIELD (default 1) after KEY in the answer to
# query TAG (default: the last query). Empty if missing.
qv() {
    local words
    if [ "${2:-$QT}" = "$RL_ANSWERED" ] && [ -n "${RL_ANSWER[$1]+set}" ]; then
        read -ra words <<<"${RL_ANSWER[$1]}"
        echo "${words[${3:-1} - 1]:-}"
        return
    fi
    awk -v t="${2:-$QT}" -v k="$1" -v f="${3:-1}" \
        '$1 == t && $2 == k { print $(2 + f); exit }' "$S_OUT"
}

# session_stop: "quit"; the program returns 0 from main, so the session must
# exit with status 0 (check "$P/exit-status").
session_stop() {
    local i rc
    send quit
    for ((i = 0; i < 250; i++)); do session_alive || break; nap 0.02; done
    if session_alive; then
        not_ok "$P/exit-status" "session still running 5 s after 'quit'; $(session_state)"
        session_kill
        return
    fi
    session_reap; rc=$S_RC
    if [ $rc -eq 0 ]; then ok "$P/exit-status"; else
        not_ok "$P/exit-status" "session exited with status $rc after 'quit'; stderr: $(tail -c 400 "$S_ERR" | tr '\n' '|')"
    fi
    exec {S_FD}>&-
    S_PID="" S_FD=""
}

# session_kill: stop the session without checks (end of a variant).
session_kill() {
    if [ -n "$S_PID" ]; then
        kill -TERM "$S_PID" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do session_alive || break; nap 0.05; done
        kill -KILL "$S_PID" 2>/dev/null
        wait "$S_PID" 2>/dev/null
    fi
    [ -n "$S_FD" ] && exec {S_FD}>&-
    S_PID="" S_FD=""
}

# ---- client commands ("terminal 2") ------------------------------------------------

# client DIR ARG...: run "$HOT ARG..." in DIR with stdin from /dev/null.
# Sets R_RC, R_OUT, R_ERR (text) and R_MS (wall time in ms).
client() {
    local dir=$1 t0=${EPOCHREALTIME/[.,]/}; shift
    hot_cmd timeout -s KILL "$RL_CMD_TIMEOUT" "$HOT" "$@"
    ( [ -n "$S_FD" ] && exec {S_FD}>&-
      cd "$dir" && exec "${RL_CMD[@]}" ) \
        </dev/null >"$W/client.out" 2>"$W/client.err"
    R_RC=$?
    R_MS=$(( (${EPOCHREALTIME/[.,]/} - t0) / 1000 ))
    slurp R_OUT "$W/client.out"
    slurp R_ERR "$W/client.err"
    printf '$ (cd %s && %s)\n%s' "$dir" "$HOT $*" "${R_ERR:+$R_ERR$'\n'}" >>"$W/clients.err"
}

# reload [DIR]: the session's command again, from $S_DIR (or DIR).
reload() { client "${1:-$S_DIR}" "${S_ARGS[@]}"; }

# What a client command did, for failure messages.
client_said() {
    local why="exit $R_RC"
    [ "$R_RC" -eq 137 ] && why="killed after ${RL_CMD_TIMEOUT}s"
    echo "$why; stdout: [$(printf '%s' "$R_OUT" | head -c 300 | tr '\n' '|')]; stderr: [$(printf '%s' "$R_ERR" | head -c 300 | tr '\n' '|')]"
}

# ---- questions to the session (--print, --call) -------------------------------

# hotld's answer with addresses replaced by ADDR: they differ per run.
masked() { printf '%s' "$R_OUT" | sed -E 's/0x[0-9a-f]+/ADDR/g'; }

# ask NAME EXPECTED HOTLD-ARGS...: the session's answer (stdout, masked)
# must be EXPECTED and the exit status 0.
ask() {
    local name=$1 want=$2; shift 2
    client "$S_DIR" --session "$SNAME" "$@"
    if [ "$R_RC" -eq 0 ] && [ "$(masked)" = "$want" ]; then ok "$P/$name"
    else not_ok "$P/$name" "expected [$want]; $(client_said); $(session_state)"; fi
}

# refuse NAME PATTERN HOTLD-ARGS...: exit 1 and one stderr line matching
# PATTERN (grep -E).
refuse() {
    local name=$1 pattern=$2; shift 2
    client "$S_DIR" --session "$SNAME" "$@"
    if [ "$R_RC" -eq 1 ] && [ "$(nlines "$R_ERR")" -eq 1 ] && grep -qE -- "$pattern" <<<"$R_ERR"; then ok "$P/$name"
    else not_ok "$P/$name" "expected exit 1 and one line like /$pattern/; $(client_said); $(session_state)"; fi
}

nlines() { if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l; fi; }

RL_REPORT_RE='^hotld: reloaded (.+): ([0-9]+) functions? changed, ([0-9]+) added, ([0-9]+) removed; ([0-9]+) variables? kept, ([0-9]+) migrated, ([0-9]+) reset, ([0-9]+) new, ([0-9]+) removed(; ([0-9]+) pointers? rewritten, ([0-9]+) on the heap or stacks)? \(([0-9]+(\.[0-9]+)?) ms\)$'

# parse_report TEXT: from the report's first line, sets RP_OBJS (sorted,
# space-separated), RP_FCHANGED RP_FADDED RP_FREMOVED RP_VKEPT RP_VMIGRATED
# RP_VRESET RP_VNEW RP_VREMOVED, and RP_POINTERS RP_POINTERS_OUT (pointers to moved
# storage rewritten, and how many of them outside the image: 0 if the
# report does not say); 1 if it is not a report.
parse_report() {
    [[ ${1%%$'\n'*} =~ $RL_REPORT_RE ]] || return 1
    RP_OBJS=$(printf '%s\n' "${BASH_REMATCH[1]}" | sed 's/, /\n/g' | sort | tr '\n' ' ')
    RP_OBJS=${RP_OBJS% }
    RP_FCHANGED=${BASH_REMATCH[2]} RP_FADDED=${BASH_REMATCH[3]} RP_FREMOVED=${BASH_REMATCH[4]}
    RP_VKEPT=${BASH_REMATCH[5]} RP_VMIGRATED=${BASH_REMATCH[6]} RP_VRESET=${BASH_REMATCH[7]}
    RP_VNEW=${BASH_REMATCH[8]} RP_VREMOVED=${BASH_REMATCH[9]}
    RP_POINTERS=${BASH_REMATCH[11]:-0} RP_POINTERS_OUT=${BASH_REMATCH[12]:-0}
}

# expect_reloaded NAME "OBJ..." [warnings]: the last client command was a
# successful reload of exactly these objects (any order): exit 0, one report
# line on stdout (and the variables' lines: "hotld: kept ..." per object,
# "hotld: [user-]migrated ..." per migrated variable, the vtables'
# lines, and "hotld: OBJS: version N again ..." for a version brought back), and nothing on stderr (with "warnings": only lines starting
# "hotld: warning:").
expect_reloaded() {
    local name=$1 want why="" migrations
    want=$(printf '%s\n' $2 | sort | tr '\n' ' '); want=${want% }
    migrations=$(printf '%s\n' "$R_OUT" | grep -cE '^hotld: ((user-)?migrated|kept|constructed|rewrote the vtable of|moved to the new vtable of) |^hotld: .+: version [0-9]+ again ')
    if [ "$R_RC" -ne 0 ]; then why="exit status $R_RC"
    elif [ "$(nlines "$R_OUT")" -ne $((1 + migrations)) ]; then why="stdout has $(nlines "$R_OUT") lines, expected 1 and the variables' lines"
    elif ! parse_report "$R_OUT"; then why="stdout is not a report line 'hotld: reloaded OBJS: N functions changed, N added, N removed; N variables kept, N migrated, N reset, N new, N removed[; N pointers rewritten, N on the heap or stacks] (T ms)'"
    elif [ "$RP_OBJS" != "$want" ]; then why="reloaded objects are '$RP_OBJS', expected '$want'"
    elif [ "${3:-}" = warnings ]; then
        printf '%s\n' "$R_ERR" | grep -qvE '^(hotld: warning:|$)' && why="stderr has lines other than warnings"
    elif [ -n "$R_ERR" ]; then why="stderr not empty"
    fi
    if [ -z "$why" ]; then ok "$P/$name"; else not_ok "$P/$name" "$why; $(client_said)"; fi
}

# expect_nothing NAME N: "hotld: nothing to reload (N inputs unchanged)".
expect_nothing() {
    local name=$1 want="hotld: nothing to reload ($2 inputs unchanged)"
    if [ "$R_RC" -eq 0 ] && [ "$R_OUT" = "$want" ] && [ -z "$R_ERR" ]; then ok "$P/$name"; else
        not_ok "$P/$name" "expected exit 0 and '$want'; got $(client_said)"
    fi
}

# expect_failed NAME REGEX: exit 1, nothing on stdout, one stderr line
# "hotld: error: reload failed: ..." that also matches REGEX (grep -iE).
expect_failed() {
    local name=$1 re=$2 why=""
    if [ "$R_RC" -ne 1 ]; then why="exit status $R_RC, expected 1"
    elif [ -n "$R_OUT" ]; then why="stdout not empty"
    elif [ "$(nlines "$R_ERR")" -ne 1 ]; then why="stderr has $(nlines "$R_ERR") lines, expected 1"
    elif ! printf '%s\n' "$R_ERR" | grep -q '^hotld: error: reload failed: '; then why="stderr does not start with 'hotld: error: reload failed: '"
    elif ! printf '%s\n' "$R_ERR" | grep -qiE -- "$re"; then why="error does not match '$re'"
    fi
    if [ -z "$why" ]; then ok "$P/$name"; else not_ok "$P/$name" "$why; $(client_said)"; fi
}

# ---- checks on the program's answers -----------------------------------------------

# check NAME EXPECTED ACTUAL [WHAT]: ACTUAL (an answer of the program) equals
# EXPECTED; an empty ACTUAL is explained with the session's state.
check() {
    local name=$1 want=$2 got=$3 what=${4:-value}
    if [ "$want" = "$got" ]; then ok "$P/$name"; return 0; fi
    session_reap
    if [ -z "$got" ]; then
        not_ok "$P/$name" "no $what in the program's answer (expected '$want'); $(session_state)"
    else
        not_ok "$P/$name" "$what is '$got', expected '$want'"
    fi
    return 1
}

# all_eq NAME WHAT EXPECTED ACTUAL...: one check that every ACTUAL equals
# EXPECTED (lists the ones that differ).
all_eq() {
    local name=$1 what=$2 want=$3 bad="" a; shift 3
    for a in "$@"; do [ "$a" = "$want" ] || bad="$bad '$a'"; done
    session_reap
    if [ -z "$bad" ]; then ok "$P/$name"; else
        not_ok "$P/$name" "expected every $what to be '$want', got:$bad; $(session_state)"
    fi
}

# retry SECONDS CMD...: run CMD until it succeeds (every 50 ms).
retry() {
    local n=$(( $1 * 20 )) i; shift
    for ((i = 0; i < n; i++)); do "$@" && return 0; nap 0.05; done
    return 1
}

# expect_no_sanitizer_report: ASan/UBSan said nothing in the session's or the
# clients' stderr (check "$P/no-sanitizer-report").
expect_no_sanitizer_report() {
    local f hits=""
    for f in "$W"/session*.err "$W/clients.err"; do
        [ -e "$f" ] || continue
        grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$f" &&
            hits="$hits $(basename "$f"): $(grep -m1 -E 'Sanitizer|runtime error:' "$f" | head -c 200)"
    done
    if [ -z "$hits" ]; then ok "$P/no-sanitizer-report"; else not_ok "$P/no-sanitizer-report" "$hits"; fi
}
