#!/usr/bin/env python3
"""A query fuzzer: expressions for hotld --print, valid, invalid and
hostile, sent to a running program through one `hotld --repl`.

    queries.py COUNT SEED HOTLD-COMMAND...

HOTLD-COMMAND is how to reach the session (`hotld --session NAME`, run in
its directory). The fuzzer learns the program's variables from --sizes and
their members from their printed values, then writes COUNT expressions:
member paths, deep and cyclic chains, huge and negative indexes, pointer
arithmetic in disguise (*&*&x), unary operator towers, nesting past the
parser's limit, bad tokens and bytes, long names and strings, qualified
names of objects that do not exist. Calls and `set` are left out: they
change the program, and calls are tested on their own.

It prints one line: "queries N answered A errors E", and exits non-zero
if the REPL died or did not answer every line (one line of output, value
or error, per expression), or if an answer was not one line. A dead
program is what the calling test checks next."""
import random
import re
import subprocess
import sys

MEMBER = re.compile(r"[{,] ([A-Za-z_]\w*) = ")


def variables(hotld):
    out = subprocess.run(hotld + ["--sizes"], capture_output=True, text=True, timeout=60).stdout
    names = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in ("data", "bss", "rodata", "tdata", "tbss") and not f[2].startswith("["):
            names.append(f[2])
    return names


def ask(hotld, lines, timeout):
    p = subprocess.run(hotld + ["--repl"], input="".join(l + "\n" for l in lines), capture_output=True,
                       text=True, errors="replace", timeout=timeout)
    return p.returncode, p.stdout.splitlines(), p.stderr.splitlines()


def members_of(hotld, names):
    """Each variable's printed value names its members, at every depth."""
    if not names:
        return []
    _, out, _ = ask(hotld, names, 120)
    found = set()
    for line in out:
        found.update(MEMBER.findall(line))
    return sorted(found)


def index(r):
    return r.choice(["0", "1", "2", "3", "-1", "7", "255", "65536", "2147483648", "4294967296",
                     "9223372036854775807", "18446744073709551615", "0x7fffffff", "-9223372036854775808"])


def path(r, names, members, depth):
    """A primary with a chain of postfix operators."""
    e = r.choice(names) if names and r.random() < 0.9 else r.choice(["x", "main", "nosuch", "errno"])
    for _ in range(r.choice([0, 1, 1, 2, 3, 5, 8, depth])):
        k = r.random()
        if k < 0.35 and members:
            e += r.choice([".", "->"]) + r.choice(members)
        elif k < 0.6:
            e += "[" + (index(r) if r.random() < 0.8 else expression(r, names, members, 2)) + "]"
        elif k < 0.7:
            e = "(" + e + ")"
        elif k < 0.8:
            e += r.choice(["->", "."]) + r.choice(["nosuch", "x", "_", "a" * 300])
        else:
            e += "->" + r.choice(members) if members else ""
    return e


def expression(r, names, members, depth=12):
    k = r.random()
    if k < 0.55:
        e = path(r, names, members, depth)
    elif k < 0.65:
        e = r.choice(["0", "-1", "1e308", "0x", "1.5e", "'\\777'", "'a", "\"\\x\"", "\"" + "s" * 500 + "\"",
                      "18446744073709551616", "''", "'\\'"])
    elif k < 0.75:
        e = r.choice(["*", "&", "-", "*&", "&*"]) * r.randint(1, 6) + path(r, names, members, depth)
    elif k < 0.8:
        n = r.choice([10, 100, 255, 256, 257, 1000])
        e = "(" * n + path(r, names, members, 3) + ")" * n
    elif k < 0.85:
        e = path(r, names, members, 3) + "".join(r.choice(["[0]", ".next", "->next", "->v"]) for _ in range(300))
    elif k < 0.9:
        e = r.choice(["nosuch.o:", "main.o:", "libx.a(y.o):", ":", "::", "a::b::"]) + r.choice(names or ["x"])
    else:
        e = path(r, names, members, 4)
        for _ in range(r.randint(1, 4)):  # bad tokens and bytes
            i = r.randint(0, len(e))
            e = e[:i] + r.choice(["[", "]", ")", "->", ".", "\x01", "\x7f", "\xff", "#", "@", "\\", "$", "~",
                                  " ", "\t", "=", "'", "\""]) + e[i:]
    return e


def extend(r, e, value, members):
    """A valid-looking step from an answered expression, by what its value
    shows: a struct's members, an array's elements, a pointer's target."""
    e = "(" + e + ")" if e[:1] in "*&-" else e
    own = MEMBER.findall(value)
    if value.startswith("{") and own and r.random() < 0.7:
        return e + "." + r.choice(own)
    if value.startswith("{"):
        return e + "[" + r.choice(["0", "1", "2", index(r)]) + "]"
    if re.match(r"\([^)]*\*\) 0x", value):
        k = r.random()
        if k < 0.3:
            return "*" + e
        if k < 0.8 and members:
            return e + "->" + r.choice(members)
        return e + "[" + r.choice(["0", "1", "-1", index(r)]) + "]"
    return r.choice(["&", "-", "*"]) + e


def harmless(e):
    """No call (a name or a closing bracket followed by '('), no set, no
    REPL command word."""
    s = e.strip()
    return not re.search(r"[\w\]\)]\s*\(", s) and not re.match(r"(set|sizes|refs|help|quit)\b", s) and s


def main():
    count, seed, hotld = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    r = random.Random(seed)
    names = variables(hotld)
    members = members_of(hotld, names)
    # Answers feed the next batch: half of it extends answered
    # expressions, walking the program's data as a user would.
    known = {}
    sent = answered = errors = 0
    bad = []
    while sent < count:
        batch = []
        while len(batch) < min(250, count - sent):
            if known and r.random() < 0.5:
                e = extend(r, *r.choice(list(known.items())), members)
            else:
                e = expression(r, names, members)
            if harmless(e):
                batch.append(e)
        rc, out, err = ask(hotld, batch, 300)
        answered += len(out)
        errors += len(err)
        if rc != 0 or len(out) + len(err) != len(batch):
            bad.append(f"batch at {sent}: exit {rc}, {len(out)} answers and {len(err)} errors for "
                       f"{len(batch)} lines; stderr tail: {err[-2:]}")
        for line in out:
            e, sep, value = line.partition(" = ")
            if sep and len(e) < 2000:
                known[e] = value
        sent += len(batch)
    print(f"queries {sent} answered {answered} errors {errors} names {len(names)} members {len(members)}")
    for b in bad:
        print("queries: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
