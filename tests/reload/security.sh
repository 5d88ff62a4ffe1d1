#!/usr/bin/env bash
# The control channel is private and robust: the socket's directory is
# the user's alone (mode 0700; a session given a socket path elsewhere
# needs a private directory too); a command run by another user is
# refused even when the socket itself is made reachable (the session
# checks the peer's uid), and the session goes on; the files of a reload
# are opened by the asking command, with its credentials; malformed requests (an oversized length,
# an unterminated field, an unknown request, a bad reload field) each get
# an error reply and never hurt the session, which then reloads normally.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

# as_nobody CMD...: run CMD as uid/gid 65534 (needs root, or sudo -n).
as_nobody() {
    local run=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    [ "$(id -u)" -eq 0 ] || run=(sudo -n "${run[@]}")
    "${run[@]}" "$@"
}

# raw BYTES-AS-PYTHON-EXPR: send them on the session's socket, print the
# reply's fields joined by '|' (after the session's greeting, one byte
# 'H'), or "closed".
raw() {
    python3 - "$SOCK" "$1" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(eval(sys.argv[2]))
data = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
if data[:1] == b"H":
    data = data[1:]
if len(data) < 4:
    print("closed")
else:
    n = struct.unpack("<I", data[:4])[0]
    print("|".join(f.decode(errors="replace") for f in data[4:4 + n].split(b"\0")[:-1]))
PY
}

# The state test's program: main.o, mod.o (and mod2.o, its version 2),
# other.o.
build_state() {
    build main.o state/main.c
    build mod.o state/mod_v1.c
    build other.o state/other_v1.c
    build mod2.o state/mod_v2.c
    builds_ok
}

test_security() {
    build_state || return
    SOCK=$W/sock/session.sock
    mkdir -m 700 "$W/sock"   # a session's own socket must be in a private directory
    session_start --session "$SOCK" main.o mod.o other.o || return

    local dir_mode; dir_mode=$(stat -c %a "${XDG_RUNTIME_DIR:-/tmp}/hotld-$(id -u)" 2>/dev/null)
    check socket-dir-private 700 "$dir_mode" "mode of the socket directory"

    chmod 777 "$SOCK" "$W/sock"   # reachable: only the uid check is left to refuse
    chmod 755 "$W" "$TMP"
    as_nobody "$HOT" --status --session "$SOCK" >"$W/nobody.out" 2>&1
    local rc=$?
    if [ $rc -ne 0 ] && grep -q "no answer from the session" "$W/nobody.out" && session_alive; then
        ok "$P/other-user-refused"
    else
        not_ok "$P/other-user-refused" "exit $rc: $(head -c 300 "$W/nobody.out"); $(session_state)"
    fi

    check oversized "error|control message too large (4294967295 bytes)" \
        "$(raw 'struct.pack("<I", 0xffffffff)')" "reply to an oversized length"
    check unterminated "error|malformed control message (unterminated field)" \
        "$(raw 'struct.pack("<I", 6) + b"reload"')" "reply to an unterminated field"
    check unknown "error|unknown request" "$(raw 'struct.pack("<I", 4) + b"zap\0"')" "reply to an unknown request"
    local req="b'reload\\0f:$W/mod.o\\0zz\\0'"
    check bad-field "error|malformed reload request field 'zz'" \
        "$(raw "struct.pack('<I', len($req)) + $req")" "reply to a bad reload field"
    check empty-message "error|empty request" "$(raw 'struct.pack("<I", 0)')" "reply to an empty message"

    use mod2.o mod.o
    client "$S_DIR" --on-conflict=reset "${S_ARGS[@]}" # mod2.o resizes a variable without DWARF
    expect_reloaded still-reloads mod.o warnings
    session_stop
}

# The files of a reload are opened by the command that asks for it: a
# session of uid 65534 in group 4242 is asked by a command of the same uid
# without that group to reload mod.o, readable by group 4242 only. The
# session could read it; the command cannot, so the reload fails with the
# command's "Permission denied" and the program is untouched. Readable by
# all, the same command reloads it.
test_credentials() {
    build_state || return
    local d=$W/cred sock
    mkdir -p "$d/sock" && cp "$W/main.o" "$W/mod.o" "$W/other.o" "$d/" && chmod 755 "$TMP" "$W" "$d" &&
        chown -R 65534:65534 "$d" && chmod 700 "$d/sock" || { not_ok "$P/credentials-setup" "cannot prepare $d"; return; }
    sock=$d/sock/session.sock
    printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --groups=4242 "$@"\n' >"$W/in-4242"
    printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"\n' >"$W/no-groups"
    chmod 755 "$W/in-4242" "$W/no-groups"
    local hot=$HOT
    HOT_ENV=(-u XDG_RUNTIME_DIR "${HOT_ENV[@]}")
    HOT=$W/in-4242
    session_start --in "$d" "$hot" --session "$sock" main.o mod.o other.o || { HOT=$hot; return; }
    cp "$W/mod2.o" "$d/mod.o.new" && chown 0:4242 "$d/mod.o.new" && chmod 640 "$d/mod.o.new" && mv "$d/mod.o.new" "$d/mod.o"
    HOT=$W/no-groups
    client "$d" "$hot" --session "$sock" main.o mod.o other.o
    if [ "$R_RC" -eq 1 ] && grep -q "^hotld: error: reload failed: .*mod\.o: Permission denied$" <<<"$R_ERR"; then
        ok "$P/unreadable-to-the-command"
    else
        not_ok "$P/unreadable-to-the-command" "$(client_said)"
    fi
    query
    check untouched 1 "$(qv mod_ver)" "mod.o's version"
    chmod 644 "$d/mod.o"
    client "$d" "$hot" --session "$sock" --on-conflict=reset main.o mod.o other.o
    expect_reloaded readable-reloads mod.o warnings
    query
    check reloaded 2 "$(qv mod_ver)" "mod.o's version"
    HOT=$hot
    session_stop
}

for_variants test_security gcc gcc-asan
RL_SCRIPT=security-credentials
for_variants test_credentials gcc
