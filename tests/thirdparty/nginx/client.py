#!/usr/bin/env python3
"""HTTP client of tests/thirdparty/nginx.sh: one connection per request
(Connection: close), so that requests spread over nginx's workers.

  client.py get PORT METHOD PATH
      Print the response, its Date header as "Date: -" and the pid in an
      X-Hotld header as PID, so that two servers' answers compare.
  client.py load PORT BODYFILE STOPFILE OUT THREADS
      THREADS threads send GET / without pause until STOPFILE exists, then
      write one line per request to OUT: "START END STATUS X-HOTLD
      complete|incomplete:WHY" (times in seconds since the epoch; X-HOTLD
      with "_" for spaces, "-" when absent; STATUS ERR when the request
      failed, the error in the last field). A response is complete when
      its body is BODYFILE's contents and Content-Length says its size.
  client.py analyze NAME OUT T_START T_END NEW WORKER-PID...
      Checks on a load's records, given when the reload ran (T_START to
      T_END) and NEW, the X-Hotld value the new code sends ("2", or "-":
      no header; the old code sends the other): one "ok NAME/..." or
      "not ok NAME/...: why" line each.
"""
import os
import socket
import sys
import threading
import time


def request(port, method="GET", path="/"):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        s.sendall(("%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                   % (method, path)).encode())
        data = b""
        while True:
            c = s.recv(65536)
            if not c:
                return data
            data += c
    finally:
        s.close()


def parse(data):
    """(status, {lowercase name: value}, body, headers complete)"""
    head, sep, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    first = lines[0].split(" ")
    hdr = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdr[k.strip().lower()] = v.strip()
    return (first[1] if len(first) > 1 else "?"), hdr, body, bool(sep)


def get(port, method, path):
    data = request(port, method, path)
    head, sep, body = data.partition(b"\r\n\r\n")
    out = []
    for line in head.decode("latin-1").split("\r\n"):
        if line.lower().startswith("date:"):
            line = "Date: -"
        elif line.lower().startswith("x-hotld:"):
            w = line.split(" ")
            line = " ".join(w[:-1] + ["PID"]) if len(w) > 2 and w[-1].isdigit() else line
        out.append(line)
    sys.stdout.write("\n".join(out) + "\n" + sep.decode() + body.decode("latin-1"))


def load(port, bodyfile, stopfile, out, nthreads):
    with open(bodyfile, "rb") as f:
        want = f.read()
    recs = []
    lock = threading.Lock()

    def one():
        t0 = time.time()
        try:
            data = request(port)
        except Exception as e:  # noqa: BLE001 - every failure is a record
            return (t0, time.time(), "ERR", "-", repr(e).replace(" ", "_"))
        status, hdr, body, sep = parse(data)
        if not sep:
            how = "incomplete:no-end-of-header"
        elif hdr.get("content-length") != str(len(body)):
            how = "incomplete:Content-Length_%s,_%d_bytes" % (hdr.get("content-length"), len(body))
        elif body != want:
            how = "incomplete:body_" + repr(body[:40]).replace(" ", "_")
        else:
            how = "complete"
        return (t0, time.time(), status, hdr.get("x-hotld", "-").replace(" ", "_"), how)

    def loop():
        while not os.path.exists(stopfile):
            r = one()
            with lock:
                recs.append(r)
                if len(recs) == 1:  # the caller may start the reload now
                    open(out + ".started", "w").close()

    threads = [threading.Thread(target=loop) for _ in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out, "w") as f:
        for r in recs:
            f.write("%.6f %.6f %s %s %s\n" % r)


def analyze(name, out, t_start, t_end, new, workers):
    recs = []
    with open(out) as f:
        for line in f:
            t0, t1, status, xh, how = line.split(" ", 4)
            recs.append((float(t0), float(t1), status, xh, how.strip()))
    before = [r for r in recs if r[1] < t_start]
    after = [r for r in recs if r[0] > t_end]
    during = [r for r in recs if r[1] >= t_start and r[0] <= t_end]
    print("# %s: %d requests, %d before the reload, %d during it, %d after; longest %.0f ms"
          % (name, len(recs), len(before), len(during), len(after),
             1000 * max([r[1] - r[0] for r in recs] or [0])))
    bad = [r for r in recs if r[2] != "200" or r[4] != "complete"]
    if bad:
        print("not ok %s/no-request-failed: %d of %d failed, first: %s"
              % (name, len(bad), len(recs), " ".join(str(x) for x in bad[0])))
    elif not before or not during or not after:
        print("not ok %s/no-request-failed: requests before, during and after the reload: %d, %d, %d"
              % (name, len(before), len(during), len(after)))
    else:
        print("ok %s/no-request-failed" % name)
    def sends(r, value):  # r carries the X-Hotld header of value
        return r[3] == "-" if value == "-" else r[3].startswith(value + "_")
    old = [r for r in before if sends(r, "2" if new == "-" else "-")]
    stale = [r for r in after if not sends(r, new)]
    if stale or len(old) != len(before):
        print("not ok %s/new-code-after-reload: %d of %d requests sent after the reload had X-Hotld %s, "
              "%d of %d before it the old code's; first stale: %s"
              % (name, len(after) - len(stale), len(after), new, len(old), len(before),
                 " ".join(str(x) for x in (stale or [()])[0])))
    else:
        print("ok %s/new-code-after-reload" % name)
    if new != "-":
        pids = sorted({r[3].split("_")[1] for r in after if "_" in r[3]})
        if pids == sorted(workers):
            print("ok %s/every-worker-new-code" % name)
        else:
            print("not ok %s/every-worker-new-code: X-Hotld from pids %s, workers %s"
                  % (name, " ".join(pids), " ".join(sorted(workers))))


if __name__ == "__main__":
    mode, a = sys.argv[1], sys.argv[2:]
    if mode == "get":
        get(int(a[0]), a[1], a[2])
    elif mode == "load":
        load(int(a[0]), a[1], a[2], a[3], int(a[4]))
    elif mode == "analyze":
        analyze(a[0], a[1], float(a[2]), float(a[3]), a[4], a[5:])
    else:
        sys.exit("usage: see the docstring")
