# hotld-gdb.py: GDB commands for programs running under hotld.
#
# GDB loads this file by itself when it debugs build/hotld, once the build
# directory is a safe auto-load path:
#     echo "add-auto-load-safe-path /path/to/hotld/build" >> ~/.gdbinit
# or for one session: gdb -iex 'add-auto-load-safe-path /path/to/hotld/build'.
# It can also be sourced by hand: (gdb) source gdb/hotld-gdb.py
# Installed (make install), it is loaded for any program hotld runs by
# the snippet gdb reads from its system init directory (hotld-autoload.py).
#
# The commands read hotld's own data structures (the session, its links
# and objects) through hotld's DWARF, so they need no support code in the
# process:
#     hotld status        objects, their versions and load addresses
#     hotld history       the last 64 reloads, with what changed
#     hotld vars [REGEX]  the variables of the last reload and their fate
#     hotld where ADDR    the object, version and symbol of an address
#     hotld reload        run the session's command again (a reload), continue
#     hotld deopt FILE.c  compile FILE.c again at -O0 -g, reload, continue
#     hotld reopt FILE.c  compile FILE.c again as the build does, reload

import json
import os
import re
import shlex
import subprocess

import gdb

# hotld parks the program's threads with SIGRTMIN+6 during a reload; a
# debugger that stopped on it would stop on every reload.
PARK_SIGNAL = "SIG40"


class HotldError(Exception):
    """A message for the user, printed without a traceback."""


def program():
    """The running program's records (`the_session.program`), or HotldError."""
    if gdb.selected_inferior().pid == 0:
        raise HotldError("the program is not running (start it with 'run')")
    sym = gdb.lookup_global_symbol("the_session")
    if sym is None:
        raise HotldError("the program being debugged is not hotld")
    pg = sym.value()["program"]
    if int(pg["live"]) == 0:
        raise HotldError("hotld has not loaded the program yet")
    return pg


def string(value):
    return value.string() if int(value) else ""


def strmap_values(strmap, type_name):
    """The non-null values of a `struct strmap`, cast to `type_name *`."""
    ptr = gdb.lookup_type(type_name).pointer()
    slots = strmap["slots"]
    for i in range(int(strmap["cap"])):
        slot = slots[i]
        if int(slot["key"]) and int(slot["value"]):
            yield slot["value"].cast(ptr)


def generations(pg):
    gens = pg["gens"]
    return [gens[i] for i in range(int(pg["ngens"]))]


def generation_of(pg, link):
    for i, g in enumerate(generations(pg)):
        if int(g) == int(link):
            return i
    return -1


def text_address(obj):
    """The load address of an object's first code section, or 0."""
    secs = obj["secs"]
    for i in range(1, int(obj["nsecs"])):
        sec = secs[i]
        if int(sec["out"]) and int(sec["flags"]) & 4:  # SHF_EXECINSTR
            return int(sec["addr"])
    return 0


class Hotld(gdb.Command):
    """Commands for programs running under hotld (see 'help hotld status' etc)."""

    def __init__(self):
        super().__init__("hotld", gdb.COMMAND_USER, prefix=True)


class HotldCommand(gdb.Command):
    """Base: runs run(arg), turning HotldError and gdb.error into a message."""

    def invoke(self, arg, from_tty):
        try:
            self.run(arg)
        except HotldError as e:
            print("hotld: %s" % e)
        except gdb.error as e:
            print("hotld: cannot read hotld's state: %s" % e)


class HotldStatus(HotldCommand):
    """hotld status: the objects of the running program, the reload (version)
each was loaded by (0 = at start), and the address of its code."""

    def __init__(self):
        super().__init__("hotld status", gdb.COMMAND_USER)

    def run(self, arg):
        pg = program()
        objs = sorted(strmap_values(pg["live"]["by_name"], "struct object"),
                      key=lambda o: string(o["name"]))
        print("%d objects, %d reloads" % (len(objs), int(pg["generation"])))
        for obj in objs:
            print("  %-48s version %-3d code at 0x%x" % (
                string(obj["name"]), generation_of(pg, obj["link"]), text_address(obj)))


class HotldHistory(HotldCommand):
    """hotld history: the reloads applied so far (the last 64), with their
reports."""

    def __init__(self):
        super().__init__("hotld history", gdb.COMMAND_USER)

    def run(self, arg):
        pg = program()
        n = int(pg["nhistory"])
        if n == 0:
            print("no reloads yet")
        for i in range(n):
            rec = pg["history"][i]
            print("%3d  %s" % (int(rec["generation"]), string(rec["report"]).split("\n")[0]))


class HotldVars(HotldCommand):
    """hotld vars [REGEX]: the variables of the objects the last reload
replaced or removed, and what happened to each: kept (value and address),
moved (value copied to a new address), migrated, reset (re-initialized), new,
or removed (its last value left at the address shown, which nothing reads)."""

    def __init__(self):
        super().__init__("hotld vars", gdb.COMMAND_USER)

    def run(self, arg):
        pg = program()
        try:
            pattern = re.compile(arg.strip() or ".")
        except re.error as e:
            raise HotldError("bad pattern: %s" % e)
        n = int(pg["nfates"])
        if n == 0:
            print("no variables carried yet (no reload, or none with variables)")
        for i in range(n):
            f = pg["fates"][i]
            name = string(f["name"])
            if pattern.search(name):
                print("  %-32s %-13s 0x%x (%d bytes) %s" % (
                    name, string(f["fate"]), int(f["addr"]), int(f["size"]),
                    os.path.basename(string(f["object"]))))


class HotldWhere(HotldCommand):
    """hotld where ADDR: which object and version (old ones included) ADDR
belongs to, its section, and the symbol there."""

    def __init__(self):
        super().__init__("hotld where", gdb.COMMAND_USER)

    def run(self, arg):
        if not arg.strip():
            raise HotldError("usage: hotld where ADDRESS")
        pg = program()
        addr = int(gdb.parse_and_eval(arg).cast(gdb.lookup_type("unsigned long")))
        for gen, link in enumerate(generations(pg)):
            objs = link["objs"]
            for i in range(int(link["nobjs"])):
                obj = objs[i]
                secs = obj["secs"]
                for k in range(1, int(obj["nsecs"])):
                    sec = secs[k]
                    start = int(sec["addr"])
                    if int(sec["out"]) and start <= addr < start + int(sec["size"]):
                        self.report(pg, obj, gen, sec, addr)
                        return
        print("0x%x is not in code or data hotld loaded" % addr)

    def report(self, pg, obj, gen, sec, addr):
        current = any(int(o) == int(obj)
                      for o in strmap_values(pg["live"]["by_name"], "struct object"))
        symbol = gdb.execute("info symbol 0x%x" % addr, to_string=True).strip()
        print("0x%x: %s, version %d%s, section %s+0x%x" % (
            addr, string(obj["name"]), gen, "" if current else " (replaced)",
            string(sec["name"]), addr - int(sec["addr"])))
        if not symbol.startswith("No symbol"):
            print("  " + symbol)


class HotldReload(HotldCommand):
    """hotld reload: run the session's own command again, as a second
terminal would (a reload of whatever changed), then continue the program.
While the reload is applied the program runs with breakpoints disabled, so
that it cannot stop in old code halfway; it then continues with them."""

    def __init__(self):
        super().__init__("hotld reload", gdb.COMMAND_USER)

    def run(self, arg):
        program()
        sock = gdb.lookup_static_symbol("socket_path")
        if sock is None or int(sock.value()) == 0:
            raise HotldError("this session takes no reloads (it has no control socket)")
        enabled = [b for b in gdb.breakpoints() if b.enabled]
        for b in enabled:
            b.enabled = False
        done = gdb.Breakpoint("hotld_reload_done", internal=True, temporary=True)
        done.silent = True
        try:
            # hotld's control thread sees the flag within 0.1 s and
            # reloads with the program's own inputs
            gdb.execute("set var the_session.gdb_reload = 1", to_string=True)
            gdb.execute("continue", to_string=True)
        finally:
            for b in enabled:
                if b.is_valid():
                    b.enabled = True
            if done.is_valid():
                done.delete()
        if gdb.selected_inferior().pid == 0:
            raise HotldError("the program exited before the reload was applied")
        print(string(program()["last_report"]))
        gdb.execute("continue")


def compile_command(path):
    """The compilation database entry (directory, arguments, object) of the
    program's object made from source path, from the build's
    compile_commands.json beside an object of the program or above it."""
    want = os.path.realpath(path)
    seen = set()
    objects = [string(o["name"]) for o in strmap_values(program()["live"]["by_name"], "struct object")]
    for obj in objects:
        d = os.path.dirname(obj)
        while d not in seen and d != os.path.dirname(d):
            seen.add(d)
            db = os.path.join(d, "compile_commands.json")
            if os.path.exists(db):
                for e in json.load(open(db)):
                    src = os.path.realpath(os.path.join(e["directory"], e["file"]))
                    args = e.get("arguments") or shlex.split(e.get("command", ""))
                    if src == want and args:
                        return e["directory"], args
            d = os.path.dirname(d)
    raise HotldError("%s: no object of the program is compiled from it (by the build's compile_commands.json)"
                     % path)


class HotldRecompile(HotldCommand):
    """Compile one file's object again and reload it, then continue."""

    def __init__(self, name, unoptimized):
        super().__init__(name, gdb.COMMAND_USER)
        self.command_name = name
        self.unoptimized = unoptimized

    def run(self, arg):
        if not arg:
            raise HotldError("which file? (%s FILE.c)" % self.command_name)
        directory, args = compile_command(arg.strip())
        if self.unoptimized:
            args = args + ["-O0", "-g"]  # the last -O wins
        done = subprocess.run(args, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(done.stdout, end="")
        if done.returncode != 0:
            raise HotldError("%s did not compile: the program keeps its code" % arg)
        gdb.execute("hotld reload")


class HotldDeopt(HotldRecompile):
    """hotld deopt FILE.c: compile FILE.c's object again at -O0 -g (its
command from the build's compile_commands.json, then -O0 -g) and reload
it, so that its functions step line by line with every local; then
continue. 'hotld reopt FILE.c' puts the build's own back."""

    def __init__(self):
        super().__init__("hotld deopt", True)


class HotldReopt(HotldRecompile):
    """hotld reopt FILE.c: compile FILE.c's object again with the build's own
command and reload it (after 'hotld deopt'); then continue."""

    def __init__(self):
        super().__init__("hotld reopt", False)


def flush_source_cache(event):
    """A reload registers a new image with GDB's JIT interface, and its
    code was compiled from the file as it is now; GDB's cache may still
    hold the text it showed before, so it is flushed. (Old versions keep
    their own text: their DWARF names a snapshot of their source.)"""
    name = event.new_objfile.filename or ""
    if name.startswith("<in-memory@"):
        gdb.execute("maintenance flush source-cache", to_string=True)


def setup():
    Hotld()
    HotldStatus()
    HotldHistory()
    HotldVars()
    HotldWhere()
    HotldReload()
    HotldDeopt()
    HotldReopt()
    gdb.execute("handle %s nostop noprint pass" % PARK_SIGNAL, to_string=True)
    gdb.events.new_objfile.connect(flush_source_cache)


setup()
