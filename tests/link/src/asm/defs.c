/* Definitions the hand-written assembly refers to. */
#include "asmtest.h"

char target_data[TARGET_DATA_SIZE] = "TARGET data, 24 bytes..";
int c_counter;

int target_fn(int x) { return 1000 + x * 7; }

/* Absolute symbols for R_X86_64_16 and R_X86_64_8. */
__asm__(".globl abs16_value\n.set abs16_value, 0xbeef\n"
        ".globl abs8_value\n.set abs8_value, 0x5c\n");
