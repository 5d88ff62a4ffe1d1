/* Run-time checks for abs32.s (non-PIE: the code must be loaded below 2 GiB). */
#include "asmtest.h"

extern uint32_t abs32_site, abs32_addend_site;
extern int32_t abs32s_site;
extern uint16_t abs16_site;
extern uint8_t abs8_site;
unsigned abs32_code(void);
char *abs32s_code(void);
int abs32s_index(long i);
int abs32_call(int x);

int main(void)
{
    printf("target_data = '%s'\n", target_data);
    CHECK("R_X86_64_32 code", abs32_code() == (uint32_t)(uintptr_t)target_data);
    CHECK("R_X86_64_32 data", abs32_site == (uint32_t)(uintptr_t)target_data);
    CHECK("R_X86_64_32 addend", abs32_addend_site == (uint32_t)(uintptr_t)(target_data + 3));
    CHECK("R_X86_64_32 call", abs32_call(4) == target_fn(4));
    CHECK("R_X86_64_32S code", abs32s_code() == target_data);
    CHECK("R_X86_64_32S index", abs32s_index(4) == target_data[4]);
    CHECK("R_X86_64_32S data", (intptr_t)abs32s_site == (intptr_t)(target_data + 2));
    CHECK("R_X86_64_16", abs16_site == ABS16_VALUE);
    CHECK("R_X86_64_8", abs8_site == ABS8_VALUE);
    return 0;
}
