#!/usr/bin/env bash
# Third-party program test: nginx, a pre-fork server, built from Debian's
# nginx source package with its own build system (upstream's ./configure,
# minimal modules: no PCRE, zlib or OpenSSL; make -j2). hotld runs the
# inputs of the link line make ran (objs/src/**/*.o, objs/ngx_modules.o,
# -lcrypt, -Wl,-E) with a master process and 4 workers it forks, on a
# private prefix and a free localhost port:
#   - before any edit it serves the same responses as objs/nginx, the
#     binary make linked (200, 404, 301, HEAD; the Date header aside);
#   - a client sends requests without pause (4 threads, one connection
#     per request, so they spread over the workers) while
#     src/http/ngx_http_header_filter_module.c is edited to send
#     "X-Hotld: 2 <pid of the worker>", recompiled with the command
#     nginx's Makefile has for it, and reloaded: the report names the 5
#     processes, no request fails (every response 200 with the whole
#     file), every request sent after the reload gets the new header, from
#     each of the 4 workers, and a response is the one the edited nginx
#     linked by cc sends;
#   - the original object comes back by the same command that started
#     nginx (a reload as the README describes it);
#   - run as root, nginx's workers drop to the user "nobody" (its
#     default): the reload must reach them too;
#   - the reload with 4 workers under the ASan+UBSan build of hotld.
# The edit and the recompile happen in a copy of the build's objs/ and
# src/; the cached build is never changed.
#
# Builds are cached in $HOTLD_CACHE/build/nginx-KEY, KEY hashing the
# compiler version, the configure flags, the source version and the text of
# build_nginx and link_args.
set -u
: "${HOTLD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTLD_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}"
. "$HOTLD_ROOT/tests/lib.sh"

CLIENT=$HOTLD_ROOT/tests/thirdparty/nginx/client.py
SRCPKG=$HOTLD_CACHE/src/nginx
# Only what needs no library beyond libc and libcrypt.
CONFIGURE_FLAGS="--without-http_rewrite_module --without-http_gzip_module --without-pcre"
HF=src/http/ngx_http_header_filter_module   # the edited source, without .c
WORKERS=4

q() { printf '%q' "$1"; }
tail_log() { tail -n 8 "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-600; }
comment() { local l; while IFS= read -r l; do echo "# $1$l"; done <<<"$2"; }  # PREFIX TEXT
# What else than nginx wrote into an nginx error log (nginx sends its
# stderr there: hotld's messages, a sanitizer's).
hotld_said() { grep -avE '^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9:]{8} \[' "$1" 2>/dev/null | head -n 5 | tr '\n' ' ' | cut -c1-600; }

if ! fetch_out=$("$HOTLD_ROOT/scripts/fetch-sources.sh" nginx 2>&1); then
    not_ok nginx-fetch-source "$(echo "$fetch_out" | tail -n 3 | tr '\n' ' ')"
    exit 1
fi

# link_args LINE: what hotld takes of the link command the build ran
# ("cc -o objs/nginx objs/src/core/nginx.o ... objs/ngx_modules.o -lcrypt
# -Wl,-E"), one word a line on stdout; what it drops goes to stderr: the
# driver (cc, the first word), `-o objs/nginx` (hotld writes no file), and
# anything else hotld would refuse. -Wl,-E (nginx's default for dynamic
# modules, none here) is kept.
link_args() {
    local w prev="" first=1 words
    read -ra words <<<"$1"
    for w in "${words[@]}"; do
        if [ $first = 1 ]; then first=0; printf '%s\n' "$w" >&2; continue; fi
        if [ "$prev" = -o ]; then printf '%s\n' "$w" >&2; prev=""; continue; fi
        case $w in
            -o) prev=$w; printf '%s\n' "$w" >&2 ;;
            *.o | *.a | -l?* | -L?*) printf '%s\n' "$w" ;;
            -rdynamic | -E | --export-dynamic | -Wl,-E | -Wl,--export-dynamic | -Wl,-export-dynamic) printf '%s\n' "$w" ;;
            *) printf '%s\n' "$w" >&2 ;;
        esac
    done
}

# build_nginx: configure and build a copy of the source, record nginx's
# link line (from make's output, joined) and the compile command of
# $HF.o (for the reload). Sets B (the build directory) and BUILD_LOG;
# non-zero on failure.
build_nginx() {
    local key tmp rc lockfd
    key=$({ declare -f build_nginx link_args; gcc --version | head -n 1; echo "$CONFIGURE_FLAGS $HF"
            head -n 1 "$SRCPKG/debian/changelog"; } | sha256sum | cut -c1-16)
    B=$HOTLD_CACHE/build/nginx-$key
    BUILD_LOG=$B.log
    [ -f "$B/.complete" ] && return 0
    # Concurrent runs sharing the cache wait for each other's build.
    mkdir -p "${B%/*}" && exec {lockfd}>"$B.lock" && flock "$lockfd" || return 1
    if [ -f "$B/.complete" ]; then exec {lockfd}>&-; return 0; fi
    tmp=$B.tmp.$$
    rm -rf "$tmp" && mkdir -p "$tmp" || return 1
    (
        # Run by make test-real, this is a child of make: nginx's make must
        # not join its jobserver.
        unset MAKEFLAGS MFLAGS MAKELEVEL
        cp -a "$SRCPKG"/. "$tmp"/ || exit 1
        cd "$tmp" || exit 1
        echo "== ./configure $CONFIGURE_FLAGS"
        # shellcheck disable=SC2086
        env -u CC -u CFLAGS -u CPPFLAGS -u LDFLAGS -u LIBS ./configure $CONFIGURE_FLAGS || exit 1
        echo "== make -j2"
        make -j2 >make.log 2>&1; rc=$?
        cat make.log
        [ $rc -eq 0 ] || exit 1
        objs/nginx -V || exit 1
        # The link step spans lines joined by backslashes.
        awk '/^[^ \t]+ -o objs\/nginx( |$)/ { f = 1 } f { print } f && !/\\$/ { exit }' make.log |
            sed 's/\\$//' | tr '\n\t' '  ' | tr -s ' ' >link.txt || exit 1
        echo >>link.txt
        grep -q ' objs/ngx_modules.o ' link.txt || { echo "== no link line for objs/nginx"; exit 1; }
        link_args "$(cat link.txt)" >hotld-args.txt 2>dropped.txt || exit 1
        grep -qx objs/src/core/nginx.o hotld-args.txt && grep -qx "objs/$HF.o" hotld-args.txt || exit 1
        make --no-print-directory -n -f objs/Makefile -W "$HF.c" "objs/$HF.o" >cc-edited.txt || exit 1
        grep -q -- "-o objs/$HF.o" cc-edited.txt || { echo "== no compile command for $HF.o"; exit 1; }
    ) >"$BUILD_LOG" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        touch "$tmp/.complete" && rm -rf "$B" && mv "$tmp" "$B" || rc=1
        # Drop builds made with an older recipe, toolchain or source.
        for old in "$HOTLD_CACHE/build/nginx-"*; do
            case $old in "$B" | "$B".*) ;; *) rm -rf "$old" ;; esac
        done
    fi
    rm -rf "$tmp"
    exec {lockfd}>&-
    return $rc
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# make_prefix DIR PORT [USER-LINE]: an nginx prefix (conf, html, logs)
# serving DIR/html on 127.0.0.1:PORT, without keep-alive. Readable by
# all: the workers may run as another user.
make_prefix() {
    local d=$1 port=$2 user=${3:-}
    mkdir -p "$d/conf" "$d/html/dir" "$d/logs" && chmod 755 "$d" "$d/conf" "$d/html" "$d/html/dir" || return 1
    {
        echo "<html><body>hotld nginx test</body></html>"
        for i in $(seq 40); do echo "<p>line $i of the page, so that it is not tiny</p>"; done
    } >"$d/html/index.html"
    echo "in a directory" >"$d/html/dir/index.html"
    # Last-Modified and ETag are the same in every prefix.
    touch -d '2024-01-02 03:04:05 UTC' "$d/html/index.html" "$d/html/dir/index.html"
    cat >"$d/conf/nginx.conf" <<EOF
$user
pid $d/logs/nginx.pid;
error_log $d/logs/error.log info;
events { worker_connections 512; }
http {
    access_log off;
    keepalive_timeout 0;
    default_type text/html;
    server {
        listen 127.0.0.1:$port;
        root $d/html;
    }
}
EOF
}

# The command-line directives: in the foreground, with workers.
GLOBALS="daemon off; master_process on; worker_processes $WORKERS;"

# wait_up PORT PID: until PID has $WORKERS children and PORT answers (20 s).
wait_up() {
    local i
    for i in $(seq 200); do
        kill -0 "$2" 2>/dev/null || return 1
        if [ "$(ps -o pid= --ppid "$2" | wc -l)" -eq "$WORKERS" ] &&
           python3 "$CLIENT" get "$1" GET / >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

workers_of() { ps -o pid= --ppid "$1" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }

# stop PID WORKER-PIDS: SIGTERM to the master, then to the workers it left
# (a master that crashed leaves them serving), SIGKILL to what is left
# 5 s later.
stop() {
    local m=$1 w
    kill -TERM "$m" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$m" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$m" 2>/dev/null
    for w in $2; do kill -TERM "$w" 2>/dev/null; done
    for w in $2; do
        for _ in $(seq 50); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$w" 2>/dev/null
    done
}

# The nginx masters this script started, each with its workers, stopped
# when it ends; and the control sockets its sessions left (a session that
# crashed, workers that could not remove theirs).
declare -A RUNNING=()
SOCKDIR=${XDG_RUNTIME_DIR:-}
[[ $SOCKDIR == /* ]] || SOCKDIR=/tmp
SOCKDIR=$SOCKDIR/hotld-$(id -u)
cleanup() {
    local m
    for m in "${!RUNNING[@]}"; do
        stop "$m" "${RUNNING[$m]}"
        wait "$m" 2>/dev/null
    done
    rm -f "$SOCKDIR/nginx"*"-$$.sock" "$SOCKDIR/nginx"*"-$$.sock".*
    rm -rf "$TMP"
}
trap cleanup EXIT

# edit FILE: the new code, an X-Hotld header with the worker's pid after
# the Connection header, in both places nginx writes headers: where it
# counts their length and where it writes them.
edit() {
    perl -0pi -e '
        $n += s/(\n    if \(r->chunked\) \{\n        len \+=)/\n    len += sizeof("X-Hotld: 2 " CRLF) - 1 + NGX_INT64_LEN;\n$1/;
        $n += s/(\n    if \(r->chunked\) \{\n        b->last = ngx_cpymem)/\n    b->last = ngx_sprintf(b->last, "X-Hotld: 2 %P" CRLF, ngx_pid);\n$1/;
        END { exit($n != 2) }' "$1"
}

# load_start PORT BODYFILE DIR: the client, in the background (LOAD_PID),
# returned once one request has been answered, so that some come before
# the reload however slow the machine is to start the client.
load_start() {
    rm -f "$3/stop" "$3/records" "$3/records.started"
    python3 "$CLIENT" load "$1" "$2" "$3/stop" "$3/records" 4 &
    LOAD_PID=$!
    while [ ! -e "$3/records.started" ] && kill -0 "$LOAD_PID" 2>/dev/null; do sleep 0.1; done
}
load_stop() { touch "$1/stop"; wait "$LOAD_PID"; }

# hot_start NAME HOTLD PREFIX: nginx run by HOTLD from the link line's
# inputs, in $W, session NAME-PID (of this script); sets M (the master: hotld's process) and
# WPIDS (its workers), or fails saying why.
hot_start() {
    local name=$1 hotld=$2 pfx=$3 port
    port=$(sed -n 's/^ *listen 127.0.0.1:\([0-9]*\);/\1/p' "$pfx/conf/nginx.conf")
    # shellcheck disable=SC2086
    (cd "$W" && ASAN_OPTIONS=detect_leaks=0 exec "$hotld" --session "$name-$$" $HOT_ARGS -- \
        -p "$pfx/" -c "$pfx/conf/nginx.conf" -g "$GLOBALS") >"$pfx/hotld.out" 2>"$pfx/hotld.err" </dev/null &
    M=$!
    RUNNING[$M]=""
    if ! wait_up "$port" "$M"; then
        WPIDS=$(workers_of "$M")
        not_ok "$name/start" "not serving with $WORKERS workers on port $port (workers: $WPIDS): $(tail_log "$pfx/hotld.err") $(tail_log "$pfx/logs/error.log")"
        return 1
    fi
    WPIDS=$(workers_of "$M")
    RUNNING[$M]=$WPIDS
    echo "# $name: master $M ($(ps -o user= -p "$M")), workers $WPIDS ($(for w in $WPIDS; do ps -o user= -p "$w"; done | sort -u | tr '\n' ' ' | sed 's/ $//'))"
    ok "$name/start"
}

# hot_stop NAME PREFIX: the master ends on SIGTERM, with its workers, as
# nginx does (exit 0 by SIGTERM's handler). A master that died before
# (a failed check said so) is only cleaned up after: the workers it left.
hot_stop() {
    local name=$1 pfx=$2 rc left="" w
    if ! kill -0 "$M" 2>/dev/null; then
        wait "$M"; rc=$?
        echo "# $name: the master $M had ended (exit status $rc); its workers are stopped: $WPIDS"
        stop "$M" "$WPIDS"
        unset "RUNNING[$M]"
        return
    fi
    kill -TERM "$M" 2>/dev/null
    wait "$M"; rc=$?
    sleep 0.2
    for w in $WPIDS; do kill -0 "$w" 2>/dev/null && left="$left $w"; done
    stop "$M" "$WPIDS"
    unset "RUNNING[$M]"
    if [ $rc -eq 0 ] && [ -z "$left" ]; then ok "$name/exit"; else
        not_ok "$name/exit" "master exit status $rc, workers left:${left:- none}; $(hotld_said "$pfx/logs/error.log")"; fi
}

# reload_with NAME HOTLD ARGS...: a reload command run in $W; sets R_OUT,
# R_RC, and R_T0 and R_T1, the times around it.
reload_with() {
    local name=$1 hotld=$2
    shift 2
    R_T0=$(date +%s.%N)
    R_OUT=$(cd "$W" && ASAN_OPTIONS=detect_leaks=0 timeout 60 "$hotld" "$@" 2>&1); R_RC=$?
    R_T1=$(date +%s.%N)
    comment "$name: " "$R_OUT"
}

# reload_checks NAME PREFIX: the report of the reload that brought the edit.
reload_checks() {
    local name=$1 pfx=$2 w named=1
    if [ $R_RC -ne 0 ] || [[ $R_OUT != *"reloaded ngx_http_header_filter_module.o: 1 functions changed"* ]]; then
        local alive=yes
        kill -0 "$M" 2>/dev/null || alive=no
        not_ok "$name/reload" "exit $R_RC, the master runs: $alive; $(tr '\n' ' ' <<<"$R_OUT" | cut -c1-500) $(hotld_said "$pfx/logs/error.log")"
        return 1
    fi
    ok "$name/reload"
    for w in $WPIDS; do [[ $R_OUT == *"reloaded in $((WORKERS + 1)) processes: $M (this one)"*" $w"* ]] || named=0; done
    if [ $named = 1 ]; then ok "$name/report-names-every-process"; else
        not_ok "$name/report-names-every-process" "master $M, workers $WPIDS: $(tr '\n' ' ' <<<"$R_OUT" | cut -c1-500)"; fi
}

# reload_scenario NAME HOTLD USER-LINE: nginx under HOTLD, the client
# sending requests, the edited object reloaded meanwhile by a command that
# names the session; returns 0 if nginx runs after it (then still running,
# with the new code). FULL=1 adds the checks against the references.
reload_scenario() {
    local name=$1 hotld=$2 user=$3 pfx port
    pfx=$TMP/$name
    port=$(free_port)
    make_prefix "$pfx" "$port" "$user" || { not_ok "$name/start" "cannot make the prefix $pfx"; return 1; }
    cp "$B/objs/$HF.o" "$W/objs/$HF.o" || return 1
    hot_start "$name" "$hotld" "$pfx" || return 1
    if [ "${FULL:-0}" = 1 ]; then
        # The reference served these from another prefix of the same
        # contents: the paths in the answers are the same.
        local r m p bad=""
        for r in "${REQUESTS[@]}"; do
            m=${r%% *} p=${r#* }
            python3 "$CLIENT" get "$port" "$m" "$p" 2>&1 | sed "s/:$port\\//:PORT\\//" >"$pfx/hot.norm"
            cmp -s "$REF/ref-$m-${p//\//_}.norm" "$pfx/hot.norm" ||
                bad="$bad $m $p: $(diff "$REF/ref-$m-${p//\//_}.norm" "$pfx/hot.norm" | head -n 4 | tr '\n' ' ');"
        done
        if [ -z "$bad" ]; then ok "$name/serves-like-reference"; else
            not_ok "$name/serves-like-reference" "$(cut -c1-600 <<<"$bad")"; fi
    fi
    load_start "$port" "$pfx/html/index.html" "$pfx"
    sleep 1
    # The edit (made in $W/$HF.c) compiled by the command of nginx's
    # Makefile, into the object the link line names.
    if ! (cd "$W" && sh "$B/cc-edited.txt") >"$pfx/cc.log" 2>&1; then
        load_stop "$pfx"
        not_ok "$name/reload" "cannot compile the edited $HF.c: $(tail_log "$pfx/cc.log")"
        hot_stop "$name" "$pfx"
        return 1
    fi
    # The reload names its session and passes no program arguments: the
    # same command as the start would be compared with the master's argv,
    # which nginx's ngx_setproctitle() rewrote (see the reload back below).
    # shellcheck disable=SC2086
    reload_with "$name" "$hotld" --session "$name-$$" $HOT_ARGS
    sleep 2
    load_stop "$pfx"
    if ! reload_checks "$name" "$pfx"; then
        hot_stop "$name" "$pfx"
        return 1
    fi
    # shellcheck disable=SC2086
    python3 "$CLIENT" analyze "$name" "$pfx/records" "$R_T0" "$R_T1" 2 $WPIDS
    if [ "${FULL:-0}" = 1 ]; then
        local bad="" r m p
        for r in "${REQUESTS[@]}"; do
            m=${r%% *} p=${r#* }
            python3 "$CLIENT" get "$port" "$m" "$p" 2>&1 | sed "s/:$port\\//:PORT\\//" >"$pfx/hot.norm"
            cmp -s "$REF/edited-$m-${p//\//_}.norm" "$pfx/hot.norm" ||
                bad="$bad $m $p: $(diff "$REF/edited-$m-${p//\//_}.norm" "$pfx/hot.norm" | head -n 4 | tr '\n' ' ');"
        done
        if [ -z "$bad" ]; then ok "$name/new-code-like-edited-reference"; else
            not_ok "$name/new-code-like-edited-reference" "$(cut -c1-600 <<<"$bad")"; fi
        local status
        status=$(cd "$W" && "$HOTLD" --session "$name-$$" --status 2>&1)
        named=1
        for w in $M $WPIDS; do [[ $status == *"$w"* ]] || named=0; done
        if [ $named = 1 ]; then ok "$name/status-lists-processes"; else
            not_ok "$name/status-lists-processes" "$(grep -i process <<<"$status" | head -n 3 | tr '\n' ' ')"; fi
    fi
    PORT=$port PFX=$pfx
}

# ---------------------------------------------------------------------------
if ! build_nginx; then
    not_ok nginx-build "build failed, log $BUILD_LOG: $(tail_log "$BUILD_LOG")"
    exit 1
fi
ok nginx-build
HOT_ARGS=$(tr '\n' ' ' <"$B/hotld-args.txt")
echo "# link line: $(cut -c1-200 "$B/link.txt") ..."
echo "# hotld is given $(wc -l <"$B/hotld-args.txt") words of it; dropped: $(tr '\n' ' ' <"$B/dropped.txt")"
chmod 711 "$TMP"    # the workers that run as nobody find their prefix

# A copy of the objects and sources, where the edit is compiled.
W=$TMP/work
mkdir -p "$W" && cp -a "$B/objs" "$B/src" "$W"/ || { not_ok nginx-copy "cannot copy $B"; exit 1; }

# The references: objs/nginx as make linked it, and the same objects with
# the edited one, linked by cc with the link line's own inputs.
REF=$TMP/ref
ref_port=$(free_port)
make_prefix "$REF" "$ref_port" "user $(id -un) $(id -gn);"
REQUESTS=("GET /" "GET /index.html" "GET /missing" "GET /dir" "GET /dir/" "HEAD /" "DELETE /")
ref_run() { # BINARY TAG: the answers of BINARY, normalized, in $REF/TAG-*.norm
    "$1" -p "$REF/" -c "$REF/conf/nginx.conf" -g "$GLOBALS" </dev/null >"$REF/out" 2>&1 &
    local m=$! r meth path ws up
    RUNNING[$m]=""
    wait_up "$ref_port" "$m"; up=$?
    ws=$(workers_of "$m")
    RUNNING[$m]=$ws
    for r in "${REQUESTS[@]}"; do
        meth=${r%% *} path=${r#* }
        python3 "$CLIENT" get "$ref_port" "$meth" "$path" 2>&1 |
            sed "s/:$ref_port\\//:PORT\\//" >"$REF/$2-$meth-${path//\//_}.norm"
    done
    stop "$m" "$ws"
    wait "$m"
    unset "RUNNING[$m]"
    return $up
}
if ref_run "$B/objs/nginx" ref && grep -q '^HTTP/1.1 200 OK' "$REF/ref-GET-_.norm" &&
   grep -q '^HTTP/1.1 404' "$REF/ref-GET-_missing.norm" && grep -q '^HTTP/1.1 301' "$REF/ref-GET-_dir.norm"; then
    ok nginx-reference
else
    not_ok nginx-reference "objs/nginx does not serve: $(tail_log "$REF/out") $(tail_log "$REF/logs/error.log")"
fi
if ! edit "$W/$HF.c"; then
    not_ok nginx-edited-reference "the places to edit are not in $HF.c"; exit 1
fi
# shellcheck disable=SC2046
if (cd "$W" && sh "$B/cc-edited.txt" && cc -o "$TMP/nginx-edited" $(cat "$B/hotld-args.txt")) >"$TMP/link.log" 2>&1 &&
   ref_run "$TMP/nginx-edited" edited && grep -q '^X-Hotld: 2 PID' "$REF/edited-GET-_.norm"; then
    ok nginx-edited-reference
else
    not_ok nginx-edited-reference "cannot compile, link or run the edited nginx, or no X-Hotld header: $(tail_log "$TMP/link.log") $(head -c 300 "$REF/edited-GET-_.norm" 2>/dev/null)"
fi

# nginx under hotld, the workers as this user (as root: user root).
if FULL=1 reload_scenario nginx "$HOTLD" "user $(id -un) $(id -gn);"; then
    # The original object back by the very command that started nginx.
    load_start "$PORT" "$PFX/html/index.html" "$PFX"
    sleep 1
    cp "$B/objs/$HF.o" "$W/objs/$HF.o"
    # shellcheck disable=SC2086
    reload_with nginx-reload-back "$HOTLD" --session "nginx-$$" $HOT_ARGS -- -p "$PFX/" -c "$PFX/conf/nginx.conf" -g "$GLOBALS"
    sleep 1.5
    load_stop "$PFX"
    if [ $R_RC -eq 0 ] && [[ $R_OUT == *"reloaded ngx_http_header_filter_module.o"* ]] &&
       [[ $R_OUT == *"reloaded in $((WORKERS + 1)) processes"* ]]; then
        ok nginx-reload-back/same-command
        # shellcheck disable=SC2086
        python3 "$CLIENT" analyze nginx-reload-back "$PFX/records" "$R_T0" "$R_T1" - $WPIDS
    else
        alive=no; kill -0 "$M" 2>/dev/null && alive=yes
        not_ok nginx-reload-back/same-command "exit $R_RC, the master runs: $alive; $(tr '\n' ' ' <<<"$R_OUT" | cut -c1-300) $(hotld_said "$PFX/logs/error.log")"
    fi
    hot_stop nginx "$PFX"
fi

# As root, nginx's workers run as nobody (nginx's default "user"): the
# reload must reach them all the same.
if [ "$(id -u)" -eq 0 ]; then
    if reload_scenario nginx-unprivileged "$HOTLD" ""; then
        hot_stop nginx-unprivileged "$PFX"
    fi
else
    echo "# nginx-unprivileged: skipped, not run as root (the workers keep this user)"
fi

# The same reload under the ASan+UBSan build of hotld.
if [ -x "${HOTLD_ASAN:-}" ]; then
    if reload_scenario nginx-asan "$HOTLD_ASAN" "user $(id -un) $(id -gn);"; then
        hot_stop nginx-asan "$PFX"
    fi
else
    not_ok nginx-asan "ASan build of hotld missing: ${HOTLD_ASAN:-HOTLD_ASAN unset} (make build/asan/hotld)"
fi
