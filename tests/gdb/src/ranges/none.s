# An R_X86_64_NONE relocation in a debug section: it changes nothing, so
# the string it sits on must reach the debug image whole.
        .text
        .globl  none_anchor
none_anchor:
        ret
        .section .debug_str,"MS",@progbits,1
        .reloc  ., R_X86_64_NONE, none_anchor
        .string "hotld-none-reloc-check"
