#!/usr/bin/env bash
# The debug image's relocations are ld's (src/ranges/): b.o's copy of an
# inline function is dropped for a.o's, and b.o's range list, which names
# it, must say what GNU ld makes of it (the kept copy), not [0, size). The
# image is dumped from a gdb session (the JIT descriptor's last entry);
# every range list, its ends named by the function they fall in, is
# compared with the g++-linked executable's. g++ and clang++, DWARF 4.
# An R_X86_64_NONE relocation in .debug_str (none.s) leaves its bytes be.
# An empty debug section (empty.s) is none of the image's: the ASan and
# UBSan build, with gdb there from the start (so the image is made before
# main), reports nothing and runs the program.
set -u
. "$HOTLD_ROOT/tests/lib.sh"

SRC=$HOTLD_ROOT/tests/gdb/src/ranges
command -v gdb >/dev/null 2>&1 || { not_ok gdb/ranges/tool-gdb "gdb is not installed"; exit 0; }

# named_ranges FILE: each range list as "FUNC+OFF..FUNC+OFF" entries, one
# list per line.
named_ranges() {
    python3 - "$1" <<'PY'
import re, subprocess, sys
f = sys.argv[1]
syms = []
for line in subprocess.run(["nm", "-n", f], capture_output=True, text=True).stdout.splitlines():
    p = line.split()
    if len(p) == 3 and p[1] in "tTwW":
        syms.append((int(p[0], 16), p[2]))
def name(a):
    best = None
    for addr, n in syms:
        if addr <= a:
            best = (addr, n)
    return f"{best[1]}+{a - best[0]}" if best else f"?{a:#x}"
lists, cur = [], []
for line in subprocess.run(["readelf", "--debug-dump=Ranges", f], capture_output=True, text=True).stdout.splitlines():
    m = re.match(r"\s+[0-9a-f]+ ([0-9a-f]{16}) ([0-9a-f]{16})", line)
    if m:
        b, e = int(m[1], 16), int(m[2], 16)
        cur.append(f"{name(b)}..{name(e - 1) if e > b else name(e)}")
    elif "<End of list>" in line:
        lists.append(" ".join(cur)); cur = []
print("\n".join(lists))
PY
}

for cxx in g++ clang++; do
    d=$TMP/ranges-$cxx
    mkdir -p "$d"
    if ! (cd "$d" && $cxx -g -gdwarf-4 -O0 -c "$SRC/a.cpp" "$SRC/b.cpp" && $cxx -c "$SRC/none.s" -o none.o &&
          $cxx -c "$SRC/empty.s" -o empty.o &&
          $cxx a.o b.o -o linked) >"$d/build.log" 2>&1; then
        not_ok "gdb/ranges/$cxx/build" "$(head -c 300 "$d/build.log")"; continue
    fi
    cat >"$d/dump.gdb" <<'GDB'
set breakpoint pending on
break main
run
set $e = __jit_debug_descriptor.first_entry
while $e->next_entry
  set $e = $e->next_entry
end
dump binary memory image.elf $e->symfile_addr $e->symfile_addr + $e->symfile_size
GDB
    (cd "$d" && timeout 60 gdb -nx -batch -x dump.gdb --args "$HOTLD" a.o b.o none.o -lstdc++) >"$d/gdb.out" 2>&1
    if [ ! -s "$d/image.elf" ]; then not_ok "gdb/ranges/$cxx/dump" "$(tail -c 300 "$d/gdb.out")"; continue; fi
    expect_eq "gdb/ranges/$cxx/lists" "$(named_ranges "$d/linked")" "$(named_ranges "$d/image.elf")"
    expect_eq "gdb/ranges/$cxx/none-writes-nothing" 1 "$(grep -c -a 'hotld-none-reloc-check' "$d/image.elf")"
    (cd "$d" && ASAN_OPTIONS=detect_leaks=0 timeout 60 gdb -nx -batch -ex run --args "$HOTLD_ASAN" a.o b.o empty.o \
        -lstdc++) >"$d/empty.out" 2>&1
    expect_eq "gdb/ranges/$cxx/empty-debug-section" "ran as linked" \
        "$(grep -qxF -- "$(cd "$d" && ./linked 2>&1)" "$d/empty.out" && echo 'ran as linked' || echo 'did not run')$(
           grep -E 'runtime error|Sanitizer' "$d/empty.out" | head -n 1 | sed 's/^/; /')"
done
