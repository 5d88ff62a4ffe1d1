# An empty debug section, as an assembler file may have: libelf gives it
# no bytes at all, and the debug image must take it as empty.
        .text
        .globl  empty_anchor
empty_anchor:
        ret
        .section .debug_macro,"",@progbits
