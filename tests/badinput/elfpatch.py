#!/usr/bin/env python3
"""Read or patch named fields of an ELF64 little-endian file, for crafting
bad inputs in tests/badinput/.

  elfpatch.py get FILE FIELD            print the field's value (decimal)
  elfpatch.py set FILE OUT FIELD=VALUE...  copy FILE to OUT with fields set

FIELD is one of
  ehdr.NAME                 ELF header: e_type, e_machine, e_shoff, e_shnum,
                            e_shentsize, e_shstrndx, ... and ei_class, ei_data
                            (bytes 4 and 5 of e_ident)
  shdr[SEC].NAME            section header; SEC is a section name or index:
                            sh_name, sh_type, sh_offset, sh_size, sh_link, ...
  sym[NAME].NAME            first .symtab entry called NAME: st_name,
                            st_info, st_shndx, st_value, st_size
  rela[SEC][I].NAME         entry I of RELA section SEC (e.g. .rela.text):
                            r_offset, r_sym, r_type, r_addend
  byte[OFFSET]              one byte of the file
  index[SEC]                (a value only) section SEC's index
VALUE is an integer (0x.. allowed) or, for get-like arithmetic, an expression
over FIELDs: "shdr[.text].sh_size-2".
"""
import re
import struct
import sys

EHDR = [  # name, offset, struct format
    ("ei_class", 4, "B"), ("ei_data", 5, "B"),
    ("e_type", 16, "H"), ("e_machine", 18, "H"), ("e_version", 20, "I"),
    ("e_entry", 24, "Q"), ("e_phoff", 32, "Q"), ("e_shoff", 40, "Q"),
    ("e_flags", 48, "I"), ("e_ehsize", 52, "H"), ("e_phentsize", 54, "H"),
    ("e_phnum", 56, "H"), ("e_shentsize", 58, "H"), ("e_shnum", 60, "H"),
    ("e_shstrndx", 62, "H"),
]
SHDR = [
    ("sh_name", 0, "I"), ("sh_type", 4, "I"), ("sh_flags", 8, "Q"),
    ("sh_addr", 16, "Q"), ("sh_offset", 24, "Q"), ("sh_size", 32, "Q"),
    ("sh_link", 40, "I"), ("sh_info", 44, "I"), ("sh_addralign", 48, "Q"),
    ("sh_entsize", 56, "Q"),
]
SYM = [
    ("st_name", 0, "I"), ("st_info", 4, "B"), ("st_other", 5, "B"),
    ("st_shndx", 6, "H"), ("st_value", 8, "Q"), ("st_size", 16, "Q"),
]
RELA = [("r_offset", 0, "Q"), ("r_info", 8, "Q"), ("r_addend", 16, "q")]


def die(msg):
    sys.exit("elfpatch: " + msg)


class Elf:
    def __init__(self, data):
        self.d = bytearray(data)
        if self.d[:4] != b"\x7fELF" or self.d[4] != 2 or self.d[5] != 1:
            die("not an ELF64 little-endian file")

    def get(self, base, fmt):
        return struct.unpack_from("<" + fmt, self.d, base)[0]

    def put(self, base, fmt, value):
        if fmt == "q":
            struct.pack_into("<q", self.d, base, value)
        else:
            size = struct.calcsize(fmt)
            struct.pack_into("<" + fmt, self.d, base, value & ((1 << (8 * size)) - 1))

    def shdr_base(self, i):
        return self.get(40, "Q") + i * self.get(58, "H")

    def shdr(self, i, name):
        return self.get(self.shdr_base(i) + dict((n, o) for n, o, _ in SHDR)[name],
                        dict((n, f) for n, _, f in SHDR)[name])

    def section_name(self, i):
        strtab = self.shdr(self.get(62, "H"), "sh_offset")
        start = strtab + self.shdr(i, "sh_name")
        return self.d[start:self.d.index(b"\0", start)].decode()

    def section_index(self, sec):
        if re.fullmatch(r"\d+", sec):
            return int(sec)
        for i in range(self.get(60, "H")):
            if self.section_name(i) == sec:
                return i
        die("no section " + sec)

    def symbol_base(self, name):
        symtab = self.section_index(".symtab")
        strtab = self.shdr(symtab, "sh_link")
        off, size = self.shdr(symtab, "sh_offset"), self.shdr(symtab, "sh_size")
        stroff = self.shdr(strtab, "sh_offset")
        for base in range(off, off + size, 24):
            start = stroff + self.get(base, "I")
            if self.d[start:self.d.index(b"\0", start)].decode() == name:
                return base
        die("no symbol " + name)

    def locate(self, field):
        """Return (offset, format, kind) for a FIELD spec."""
        m = re.fullmatch(r"ehdr\.(\w+)", field)
        if m:
            for n, o, f in EHDR:
                if n == m[1]:
                    return o, f, None
        m = re.fullmatch(r"shdr\[([^\]]+)\]\.(\w+)", field)
        if m:
            base = self.shdr_base(self.section_index(m[1]))
            for n, o, f in SHDR:
                if n == m[2]:
                    return base + o, f, None
        m = re.fullmatch(r"sym\[([^\]]+)\]\.(\w+)", field)
        if m:
            base = self.symbol_base(m[1])
            for n, o, f in SYM:
                if n == m[2]:
                    return base + o, f, None
        m = re.fullmatch(r"rela\[([^\]]+)\]\[(\d+)\]\.(\w+)", field)
        if m:
            sec = self.section_index(m[1])
            base = self.shdr(sec, "sh_offset") + 24 * int(m[2])
            if m[3] in ("r_sym", "r_type"):
                return base + 8, "Q", m[3]
            for n, o, f in RELA:
                if n == m[3]:
                    return base + o, f, None
        m = re.fullmatch(r"byte\[(\w+)\]", field)
        if m:
            return int(m[1], 0), "B", None
        die("unknown field " + field)

    def read(self, field):
        off, fmt, kind = self.locate(field)
        v = self.get(off, fmt)
        if kind == "r_sym":
            return v >> 32
        if kind == "r_type":
            return v & 0xffffffff
        return v

    def write(self, field, value):
        off, fmt, kind = self.locate(field)
        if kind == "r_sym":
            value = (value << 32) | (self.get(off, "Q") & 0xffffffff)
        elif kind == "r_type":
            value = (self.get(off, "Q") & ~0xffffffff) | (value & 0xffffffff)
        self.put(off, fmt, value)

    def eval(self, expr):
        """An integer, or FIELD, or FIELD+N / FIELD-N."""
        m = re.fullmatch(r"(.*?)([+-])(0x[0-9a-fA-F]+|\d+)", expr)
        if m and not re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", expr):
            base = self.eval(m[1])
            n = int(m[3], 0)
            return base + n if m[2] == "+" else base - n
        if re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", expr):
            return int(expr, 0)
        m = re.fullmatch(r"index\[([^\]]+)\]", expr)
        if m:
            return self.section_index(m[1])
        return self.read(expr)


def main(argv):
    if len(argv) >= 3 and argv[0] == "get":
        with open(argv[1], "rb") as f:
            print(Elf(f.read()).eval(argv[2]))
    elif len(argv) >= 4 and argv[0] == "set":
        with open(argv[1], "rb") as f:
            elf = Elf(f.read())
        for edit in argv[3:]:
            field, _, value = edit.partition("=")
            elf.write(field, elf.eval(value))
        with open(argv[2], "wb") as f:
            f.write(elf.d)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
