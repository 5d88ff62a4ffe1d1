#!/usr/bin/env python3
"""Drive hotld --repl on a terminal: type "nplay", TAB, Enter; then
"players[1].po", TAB, Enter (a struct's member completed); then quit,
and print everything the REPL wrote. Usage: pty_repl.py HOTLD ARGS..."""
import os
import pty
import select
import sys
import time


def read_until(fd, want, limit=10.0):
    seen = b""
    end = time.time() + limit
    while want not in seen and time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = read_until(fd, b"(hotld) ")
os.write(fd, b"nplay\t")
out += read_until(fd, b"nplayers")
os.write(fd, b"\r")
out += read_until(fd, b"(hotld) ")
os.write(fd, b"players[1].po\t")
out += read_until(fd, b"pos")
os.write(fd, b"\r")
out += read_until(fd, b"(hotld) ")
os.write(fd, b"quit\r")
out += read_until(fd, b"\xff", 2.0)
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
