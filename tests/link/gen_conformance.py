#!/usr/bin/env python3
"""Generate one small program for the differential conformance suite
(tests/link/generated.sh): a main object and 1-5 more translation units
placed as loose objects, `ld -r` objects, members of two archives or two
shared libraries, with variables and functions defined strong, weak,
common (C, -fcommon) or not at all (weak references), C++ inline
functions (COMDAT groups) defined differently in several units, and
entries of a __start_/__stop_ section. main prints every value, which
definition each reference reached, and whether each inline function has
one address. Its output depends only on the linker's rules, so the
program linked by ld.bfd is the oracle for the one hotld runs.

  gen_conformance.py SEED DIR    writes DIR/*.c or *.cc, DIR/build.sh
                                 (compiles, archives, ld -r, .so) and
                                 DIR/inputs (the link line's inputs)

Placement keeps every program one that ld links without --start-group:
loose objects come first, then archive A, archive B, then the libraries;
a unit refers only to definitions placed no earlier than itself (or in
loose objects), and library units refer to nothing outside themselves,
since ld.so's interposition into a library is not hotld's to give.
"""
import os
import random
import sys

PLACES = ["obj", "ldr", "arA", "arB", "so1", "so2"]
RANK = {"obj": 0, "ldr": 0, "arA": 1, "arB": 2, "so1": 3, "so2": 3}


class Unit:
    def __init__(self, index, place):
        self.index, self.place = index, place
        self.name = "main" if index == 0 else "u%d" % index
        self.lines = []

    def rank(self):
        return RANK[self.place]


def pick_kinds(rnd, units, allow_common):
    """For one symbol: unit index -> 'strong' | 'weak' | 'common'. One
    strong definition in the program (rarely two, in loose objects or
    archives: ld then refuses, and hotld must too) and one per library;
    commons (C only) never beside weak ones, whose mix with a library's
    definition ld.bfd cannot link ("unresolvable relocation")."""
    kinds = {}
    strong_in = set()
    weak_or_common = set()
    for u in rnd.sample(range(len(units)), rnd.randint(0, min(3, len(units)))):
        group = units[u].place if units[u].place in ("so1", "so2", "ldr") else "program"
        choices = []
        if group not in strong_in or (group == "program" and rnd.random() < 0.04):
            choices.append("strong")
        if "common" not in weak_or_common:
            choices.append("weak")
        if allow_common and "weak" not in weak_or_common and not group.startswith("so"):
            choices.append("common")
        if not choices:
            continue
        k = rnd.choice(choices)
        if k == "strong":
            strong_in.add(group)
        else:
            weak_or_common.add(k)
        kinds[u] = k
    return kinds


def reachable(units, kinds, user):
    """May unit `user` rely on these definitions as ld scans the inputs?"""
    return any(units[u].rank() == 0 or units[u].rank() >= units[user].rank() for u in kinds)


def generate(seed, out):
    rnd = random.Random(seed)
    cxx = rnd.random() < 0.35
    cc = rnd.choice(["gcc", "clang"])
    opt = rnd.choice(["-O0", "-O2"])
    n = rnd.randint(2, 6)
    units = [Unit(0, "obj")] + [Unit(i, rnd.choice(PLACES)) for i in range(1, n)]
    if sum(u.place == "ldr" for u in units) == 1:
        units[[u.place for u in units].index("ldr")].place = "obj"  # ld -r joins two
    so_units = {u.index for u in units if u.place.startswith("so")}
    ext = "cc" if cxx else "c"
    decl_c = 'extern "C" ' if cxx else ""
    prints = []

    # Variables and functions, each with its definitions across the units.
    for i in range(rnd.randint(1, 5)):
        kinds = pick_kinds(rnd, units, not cxx)
        name = "v%d" % i
        for u, k in kinds.items():
            value = 100 * i + u
            units[u].lines.append({"strong": "int %s = %d;" % (name, value),
                                   "weak": "__attribute__((weak)) int %s = %d;" % (name, value),
                                   "common": "int %s;" % name}[k])
        if kinds and reachable(units, kinds, 0):
            units[0].lines.insert(0, "extern int %s;" % name)
            prints.append(('"%s=%%d\\n"' % name, name))
        else:
            units[0].lines.insert(0, "extern int %s __attribute__((weak));" % name)
            prints.append(('"%s=%%d\\n"' % name, "&%s ? %s : -1" % (name, name)))

    nfuncs = rnd.randint(1, 5)
    fkinds = [pick_kinds(rnd, units, False) for _ in range(nfuncs)]
    for i in reversed(range(nfuncs)):
        name = "f%d" % i
        for u, k in fkinds[i].items():
            callee = ""
            later = [j for j in range(i + 1, nfuncs) if fkinds[j] and reachable(units, fkinds[j], u)]
            if later and u not in so_units and rnd.random() < 0.6:
                j = rnd.choice(later)
                callee = " + f%d()" % j
                units[u].lines.insert(0, "%sint f%d(void);" % (decl_c, j))
            attr = "__attribute__((weak)) " if k == "weak" else ""
            units[u].lines.append("%s%sint %s(void) { return %d%s; }" % (decl_c, attr, name, 1000 * (i + 1) + u, callee))
        if fkinds[i] and reachable(units, fkinds[i], 0):
            units[0].lines.insert(0, "%sint %s(void);" % (decl_c, name))
            prints.append(('"%s()=%%d\\n"' % name, "%s()" % name))
        else:
            units[0].lines.insert(0, "%sint %s(void) __attribute__((weak));" % (decl_c, name))
            prints.append(('"%s()=%%d\\n"' % name, "%s ? %s() : -1" % (name, name)))

    # C++ inline functions: COMDAT groups, one kept, one address.
    code_units = [u for u in units if u.index not in so_units]
    for i in range(rnd.randint(1, 3) if cxx else 0):
        users = rnd.sample(code_units, rnd.randint(1, len(code_units)))
        for u in users:
            u.lines.append("inline int c%d() { return %d; }" % (i, 10000 * (i + 1) + u.index))
            u.lines.append('extern "C" int use_c%d_%d() { return c%d(); }' % (i, u.index, i))
            u.lines.append('extern "C" void *addr_c%d_%d() { return (void *)&c%d; }' % (i, u.index, i))
            if u.index:
                units[0].lines.insert(0, 'extern "C" int use_c%d_%d(); extern "C" void *addr_c%d_%d();' % (i, u.index, i, u.index))
            prints.append(('"c%d in u%d=%%d\\n"' % (i, u.index), "use_c%d_%d()" % (i, u.index)))
        same = " && ".join("addr_c%d_%d() == addr_c%d_%d()" % (i, users[0].index, i, u.index) for u in users)
        prints.append(('"c%d one address=%%d\\n"' % i, "(int)(%s)" % same))

    # __start_/__stop_ section entries, in link order.
    if rnd.random() < 0.5:
        for u in rnd.sample(code_units, rnd.randint(1, len(code_units))):
            for k in range(rnd.randint(1, 2)):
                u.lines.append('__attribute__((used, section("gset"))) static const int gset_%d_%d = %d;' % (u.index, k, 10 * u.index + k))
        units[0].lines.insert(0, "extern const int __start_gset[], __stop_gset[];")
        prints.append(('"gset:"', None))
        prints.append(('" %d"', "LOOP"))
        prints.append(('"\\n"', None))

    # Every unit but main is reached through a function it defines, so that
    # archive members are pulled and libraries needed.
    for u in units[1:]:
        u.lines.append("%sint touch_%s(void) { return %d; }" % (decl_c, u.name, u.index))
        units[0].lines.insert(0, "%sint touch_%s(void);" % (decl_c, u.name))
        prints.append(('"touch %s=%%d\\n"' % u.name, "touch_%s()" % u.name))

    body = []
    for fmt, expr in prints:
        if expr == "LOOP":
            body.append("    for (const int *e = __start_gset; e < __stop_gset; e++) printf(%s, *e);" % fmt)
        elif expr is None:
            body.append("    printf(%s);" % fmt)
        else:
            body.append("    printf(%s, %s);" % (fmt, expr))
    units[0].lines = ["#include <stdio.h>"] + units[0].lines + ["int main(void)", "{"] + body + ["    return 0;", "}"]

    os.makedirs(out, exist_ok=True)
    for u in units:
        with open(os.path.join(out, "%s.%s" % (u.name, ext)), "w") as f:
            f.write("\n".join(u.lines) + "\n")
    write_build(out, units, cc, cxx, opt, ext)


def write_build(out, units, cc, cxx, opt, ext):
    compiler = {"gcc": "g++", "clang": "clang++"}[cc] if cxx else cc
    common = "" if cxx else " -fcommon"
    cmds = ["set -e"]
    for u in units:
        pic = " -fPIC" if u.place.startswith("so") else ""
        cmds.append("%s %s%s%s -c %s.%s -o %s.o" % (compiler, opt, common, pic, u.name, ext, u.name))
    inputs = ["main.o"] + [u.name + ".o" for u in units[1:] if u.place == "obj"]
    ldr = [u.name + ".o" for u in units if u.place == "ldr"]
    if ldr:
        cmds.append("ld -r %s -o joined.o" % " ".join(ldr))
        inputs.append("joined.o")
    for ar in ("arA", "arB"):
        members = [u.name + ".o" for u in units if u.place == ar]
        if members:
            cmds.append("ar rcs lib%s.a %s" % (ar, " ".join(members)))
            inputs.append("lib%s.a" % ar)
    for so in ("so1", "so2"):
        members = [u.name + ".o" for u in units if u.place == so]
        if members:
            cmds.append("%s -shared %s -o lib%s.so" % (compiler, " ".join(members), so))
            inputs += ["-L.", "-l" + so]
    with open(os.path.join(out, "build.sh"), "w") as f:
        f.write("\n".join(cmds) + "\n")
    with open(os.path.join(out, "inputs"), "w") as f:
        f.write(" ".join(inputs) + "\n")
    with open(os.path.join(out, "driver"), "w") as f:
        f.write(compiler + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: gen_conformance.py SEED DIR")
    generate(int(sys.argv[1]), sys.argv[2])
