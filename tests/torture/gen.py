#!/usr/bin/env python3
"""Reload torture scenarios: a generated program, its versions, and a
history of commands and reloads with the answer expected after each step.

    gen.py SEED LANG OUTDIR        LANG: c or cxx

Writes OUTDIR/main.(c|cpp) (never reloaded), OUTDIR/v<K>/m<I>.(c|cpp) for
every version K of module I (version 0 is what the program starts with),
and OUTDIR/plan, one event per line:

    step                      send "s": every module's step()
    point I FIELD             send "p I FIELD": module I's cursor, a heap
                              block holding a pointer into its variable
                              g<I>, now points at that field
    reload NAME K [NAME K]... modules NAME (m<I>, or loop) become versions
                              K, in one reload
    expect ANSWERS            the program's answer to "q", as
                              tests/reload/lib.bash's answers() prints it

In about a third of the scenarios the program's loop is in a module of
its own, which reloads replace while it runs: the loop goes on in its old
version (the report says so), calling the modules' current code.

The expected answers come from a model of C's semantics kept here, not
from hotld: a field keeps its value across a reload when a field of that
name is still there (reordered, or its integer type changed), a new field
starts at its initializer, a removed one is gone; a static keeps its value
by name; the code of the current version runs. Each reload applies one to
three edits: a body's increments, a field added, removed, moved or
retyped, a static added or removed, a static helper renamed (functions
added and removed), an array (up to 512 KiB, kept over many reloads
otherwise) grown or shrunk, a section registry's entry changed, and in
C++ an inline function's use started or stopped (the copy the program
keeps moves between modules; its body changes in every user at once), and the virtual methods of a class whose
object lives on the heap reordered or their bodies changed. The cursor
never points at a struct's first field (the same address as the struct)
or at one an edit removes or retypes.
"""
import os
import random
import sys

TYPES = {"int": "%d", "long": "%ld", "short": "%hd"}
FIELD_NAMES = "alpha beta gamma delta eps zeta eta theta iota kappa".split()
STATIC_NAMES = "s_hits s_miss s_turn s_gold s_wood".split()
VIRTUALS = "va vb vc".split()


class Module:
    def __init__(self, rng, index):
        self.i = index
        names = rng.sample(FIELD_NAMES, rng.randint(2, 4))
        self.fields = [[n, rng.choice(list(TYPES)), rng.randint(0, 9), rng.randint(1, 9)] for n in names]
        self.statics = [[n, rng.randint(0, 9), rng.randint(1, 5)] for n in rng.sample(STATIC_NAMES, 1)]
        self.helper = 0                     # the static helper's name: helper<I>_<N>
        self.virtuals = [[v, rng.randint(10, 99)] for v in VIRTUALS]
        self.uses_shared = rng.random() < 0.6  # C++: the inline shared_bonus()
        self.shared = 0                     # its body's value, the scenario's
        self.cursor = None                  # the field the cursor points at
        self.table_size = rng.choice([64, 1000, 40000, 131072])
        self.table_delta = rng.randint(1, 9)
        self.version = 0
        self.reg = rng.randint(100, 999)    # its registry entry's value
        # the program's state: field and static values, calls
        self.values = {f[0]: f[2] for f in self.fields}
        self.static_values = {s[0]: s[1] for s in self.statics}
        self.table = {}                     # index -> value, zero elsewhere
        self.calls = 0

    # ---- the model -----------------------------------------------------

    def step(self):
        for name, _, _, delta in self.fields:
            self.values[name] += delta
        for name, _, delta in self.statics:
            self.static_values[name] += delta
        if self.cursor:
            self.values[self.cursor] += 100
        k = self.calls * 7 % self.table_size
        self.table[k] = self.table.get(k, 0) + self.table_delta
        self.calls += 1

    def answers(self):
        out = []
        for name in sorted(self.values):
            out.append("m%d %s %d" % (self.i, name, self.values[name]))
        for name in sorted(self.static_values):
            out.append("m%d static %s %d" % (self.i, name, self.static_values[name]))
        out.append("m%d table %d %d" % (self.i, self.table_size, sum(self.table.values())))
        out.append("m%d calls %d" % (self.i, self.calls))
        return out

    def answers_virtual(self):
        out = ["m%d virt %s %d" % (self.i, v, n) for v, n in sorted(self.virtuals)]
        return out + (["m%d bonus %d" % (self.i, self.shared)] if self.uses_shared else [])

    def reloaded(self):
        """The state after the reload: what follows by name stays."""
        self.values = {f[0]: self.values.get(f[0], f[2]) for f in self.fields}
        self.static_values = {s[0]: self.static_values.get(s[0], s[1]) for s in self.statics}
        self.table = {k: v for k, v in self.table.items() if k < self.table_size}

    # ---- edits ---------------------------------------------------------

    def movable(self):
        """Fields an edit may remove or retype: not the cursor's."""
        return [f for f in self.fields if f[0] != self.cursor]

    def edit(self, rng, lang):
        kinds = ["body", "add", "remove", "reorder", "retype", "static", "helper", "table", "registry"]
        if lang == "cxx":
            kinds += ["virtual-order", "virtual-body", "shared-use"]
        for kind in rng.sample(kinds, rng.randint(1, 3)):
            getattr(self, "edit_" + kind.replace("-", "_"))(rng)
        if self.cursor and self.fields[0][0] == self.cursor:
            self.fields.append(self.fields.pop(0))  # the struct's start is ambiguous

    def edit_body(self, rng):
        rng.choice(self.fields)[3] = rng.randint(1, 9)

    def edit_add(self, rng):
        free = [n for n in FIELD_NAMES if n not in [f[0] for f in self.fields]]
        if free:
            self.fields.insert(rng.randint(0, len(self.fields)),
                               [rng.choice(free), rng.choice(list(TYPES)), rng.randint(0, 9), rng.randint(1, 9)])

    def edit_remove(self, rng):
        cand = self.movable()
        if len(self.fields) > (2 if self.cursor else 1) and cand: # the cursor's field is never the only one
            self.fields.remove(rng.choice(cand))

    def edit_reorder(self, rng):
        rng.shuffle(self.fields)

    def edit_retype(self, rng):
        cand = self.movable()
        if cand:
            f = rng.choice(cand)
            f[1] = rng.choice([t for t in TYPES if t != f[1]])

    def edit_static(self, rng):
        free = [n for n in STATIC_NAMES if n not in [s[0] for s in self.statics]]
        if len(self.statics) > 1 and rng.random() < 0.5:
            self.statics.pop(rng.randrange(len(self.statics)))
        elif free:
            self.statics.append([rng.choice(free), rng.randint(0, 9), rng.randint(1, 5)])

    def edit_table(self, rng):
        """Grown (the tail starts at zero), shrunk (the tail is lost), or
        its increment changed; otherwise a kept array, however large."""
        r = rng.random()
        if r < 0.3:
            self.table_size *= 2
        elif r < 0.5 and self.table_size > 64:
            self.table_size //= 2
        else:
            self.table_delta = rng.randint(1, 9)

    def edit_registry(self, rng):
        self.reg = rng.randint(100, 999)

    def edit_helper(self, rng):
        self.helper += 1

    def edit_virtual_order(self, rng):
        rng.shuffle(self.virtuals)

    def edit_virtual_body(self, rng):
        rng.choice(self.virtuals)[1] = rng.randint(10, 99)

    def edit_shared_use(self, rng):
        """Start or stop using the inline function: the copy the program
        keeps moves to another module, or back."""
        self.uses_shared = not self.uses_shared

    # ---- the source ----------------------------------------------------

    def source(self, lang):
        i, ext = self.i, ("C" if lang == "c" else "C++")
        fields = "".join("    %s %s;\n" % (t, n) for n, t, _, _ in self.fields)
        inits = ", ".join(".%s = %d" % (n, v) for n, _, v, _ in self.fields) if lang == "c" else \
            ", ".join("%d" % v for _, _, v, _ in self.fields)
        statics = "".join("static int %s = %d;\n" % (n, v) for n, v, _ in self.statics)
        helper = "helper%d_%d" % (i, self.helper)
        bumps = "".join("    g%d.%s += %d;\n" % (i, n, d) for n, _, _, d in self.fields)
        sbumps = "".join("    %s += %d;\n" % (n, d) for n, _, d in self.statics)
        points = "".join("    if (!strcmp(field, \"%s\"))\n        *cursor%d = (int *)&g%d.%s;\n" % (n, i, i, n)
                         for n, t, _, _ in self.fields if t == "int")
        prints = "".join("    printf(\"%%s m%d %s %s\\n\", tag, g%d.%s);\n" % (i, n, TYPES[t], i, n)
                         for n, t, _, _ in sorted(self.fields))
        prints += "".join("    printf(\"%%s m%d static %s %%d\\n\", tag, %s);\n" % (i, n, n)
                          for n, _, _ in sorted(self.statics))
        prints += ("    long sum = 0;\n    for (int k = 0; k < %d; k++)\n        sum += table%d[k];\n"
                   "    printf(\"%%s m%d table %d %%ld\\n\", tag, sum);\n" % (self.table_size, i, i, self.table_size))
        prints += "    printf(\"%%s m%d calls %%d\\n\", tag, calls%d);\n" % (i, i)
        cls = ""
        if lang == "cxx":
            decls = "".join("    virtual int %s() = 0;\n" % v for v, _ in self.virtuals)
            impls = "".join("    int %s() override { return opaque_int(%d); }\n" % (v, n) for v, n in self.virtuals)
            cls = ("struct Base%d {\n%s    virtual ~Base%d() {}\n};\n\nstruct Impl%d : Base%d {\n%s};\n\n"
                   "static Base%d *object%d;\n\n" % (i, decls, i, i, i, impls, i, i))
            prints += "".join("    printf(\"%%s m%d virt %s %%d\\n\", tag, object%d->%s());\n" % (i, v, i, v)
                              for v in sorted(n for n, _ in self.virtuals))
            if self.uses_shared:
                cls += "inline int shared_bonus()\n{\n    return opaque_int(%d);\n}\n\n" % self.shared
                prints += "    printf(\"%%s m%d bonus %%d\\n\", tag, shared_bonus());\n" % i
        make_object = "    object%d = new Impl%d;\n" % (i, i) if lang == "cxx" else ""
        alloc = "(int **)malloc(sizeof *cursor%d)" % i
        return f"""/* Generated by tests/torture/gen.py: module {i}, version {self.version} ({ext}). */
#include "rt.h"
#include "torture.h"

struct S{i} {{
{fields}}};

struct S{i} g{i} = {{{inits}}};
REGISTER(entry{i}) = {{"m{i}", {self.reg}}};
{statics}static int calls{i};
int table{i}[{self.table_size}];
static int **cursor{i}; /* a heap block: the program's pointer into g{i} */

{cls}static RELOADABLE void {helper}(void)
{{
{sbumps}}}

EXPORT void m{i}_init(void)
{{
    cursor{i} = {alloc};
    *cursor{i} = 0;
{make_object}}}

EXPORT void m{i}_step(void)
{{
{bumps}    {helper}();
    if (*cursor{i})
        **cursor{i} += 100;
    table{i}[calls{i} * 7 % {self.table_size}] += {self.table_delta};
    calls{i}++;
}}

EXPORT void m{i}_point(const char *field)
{{
{points}}}

EXPORT void m{i}_dump(const char *tag)
{{
{prints}}}
"""


def declarations(nmods):
    return "".join("EXPORT void m%d_init(void);\nEXPORT void m%d_step(void);\n"
                   "EXPORT void m%d_point(const char *field);\nEXPORT void m%d_dump(const char *tag);\n"
                   % (i, i, i, i) for i in range(nmods))


def driver_source(nmods, quirk=None):
    """The program's loop: "s" steps every module, "p I FIELD" points
    module I's cursor at FIELD, "q TAG" dumps every module. In a module of
    its own, each version answers an unknown command with its quirk: the
    code changes, what the program does does not."""
    steps = "".join("        m%d_step();\n" % i for i in range(nmods))
    dumps = "".join("    m%d_dump(tag);\n" % i for i in range(nmods))
    points = "".join("        if (line[2] == '%d')\n            m%d_point(line + 4);\n" % (i, i) for i in range(nmods))
    quirk_fn = "" if quirk is None else \
        "static RELOADABLE int quirk(void)\n{\n    return opaque_int(%d);\n}\n\n" % quirk
    unknown = "" if quirk is None else "    else\n        quirk();\n"
    return f"""
{declarations(nmods)}
{quirk_fn}static void answer(const char *tag)
{{
{dumps}    for (const struct treg *r = __start_treg; r < __stop_treg; r++)
        printf("%s reg %s %d\\n", tag, r->name, r->value);
}}

static void other(const char *line)
{{
    if (!strcmp(line, "s")) {{
{steps}    }} else if (!strncmp(line, "p ", 2) && strlen(line) >= 5) {{
{points}    }}
{unknown}}}

EXPORT int run_loop(void)
{{
    return serve_queries(answer, other);
}}
"""


def loop_source(nmods, version):
    return f"""/* Generated by tests/torture/gen.py: the program's loop, version {version}. */
#include "rt.h"
#include "torture.h"
{driver_source(nmods, version)}"""


def main_source(nmods, loop_apart):
    """main, never reloaded: the loop is its own, or module loop's (which
    reloads replace while the loop runs on in the old version)."""
    inits = "".join("    m%d_init();\n" % i for i in range(nmods))
    driver = "\nEXPORT int run_loop(void);\n" + declarations(nmods) if loop_apart else driver_source(nmods)
    return f"""/* Generated by tests/torture/gen.py: the program's start, never reloaded. */
#include "rt.h"
#include "torture.h"
{driver}
int main(void)
{{
{inits}    return run_loop();
}}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def scenario(seed, lang, out):
    rng = random.Random("%s-%s" % (seed, lang))
    ext = "c" if lang == "c" else "cpp"
    mods = [Module(rng, i) for i in range(rng.randint(1, 3))]
    loop_apart, loop_version = rng.random() < 0.3, 0
    write(os.path.join(out, "main." + ext), main_source(len(mods), loop_apart))
    if loop_apart:
        write(os.path.join(out, "v0", "loop." + ext), loop_source(len(mods), 0))
    for m in mods:
        write(os.path.join(out, "v0", "m%d.%s" % (m.i, ext)), m.source(lang))
    plan = []

    def expect():
        lines = []
        for m in mods:
            lines += m.answers() + (m.answers_virtual() if lang == "cxx" else [])
        lines += ["reg m%d %d" % (m.i, m.reg) for m in mods]
        plan.append("expect " + "".join(line + ";" for line in lines))

    expect()
    for _ in range(rng.randint(3, 6)):
        for _ in range(rng.randint(1, 3)):
            plan.append("step")
            for m in mods:
                m.step()
        m = rng.choice(mods)
        ints = [f[0] for f in m.fields[1:] if f[1] == "int"]
        if ints and rng.random() < 0.6:
            m.cursor = rng.choice(ints)
            plan.append("point %d %s" % (m.i, m.cursor))
        if loop_apart and rng.random() < 0.3:
            loop_version += 1
            write(os.path.join(out, "v%d" % loop_version, "loop." + ext), loop_source(len(mods), loop_version))
            plan.append("reload loop %d" % loop_version)
        m = rng.choice(mods)
        m.edit(rng, lang)
        m.version += 1
        m.reloaded()
        write(os.path.join(out, "v%d" % m.version, "m%d.%s" % (m.i, ext)), m.source(lang))
        plan.append("reload m%d %d" % (m.i, m.version))
        expect()
        users = [u for u in mods if u.uses_shared]
        if lang == "cxx" and users and rng.random() < 0.3:
            shared = rng.randint(100, 999)   # every user's copy at once: one definition
            event = "reload"
            for u in users:
                u.shared, u.version = shared, u.version + 1
                u.reloaded()
                write(os.path.join(out, "v%d" % u.version, "m%d.%s" % (u.i, ext)), u.source(lang))
                event += " m%d %d" % (u.i, u.version)
            for u in mods:
                u.shared = shared
            plan.append(event)
            expect()
        plan.append("step")
        for m2 in mods:
            m2.step()
        expect()
    write(os.path.join(out, "plan"), "\n".join(plan) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[2] not in ("c", "cxx"):
        sys.exit("usage: gen.py SEED c|cxx OUTDIR")
    scenario(sys.argv[1], sys.argv[2], sys.argv[3])
