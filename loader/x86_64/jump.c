#include "jump.h"

#include <string.h>

bool x86_encode_jmp(uint8_t out[JMP_SIZE], uintptr_t at, uintptr_t to)
{
    int64_t rel = (int64_t)(to - (at + JMP_SIZE));
    if (rel < INT32_MIN || rel > INT32_MAX)
        return false;
    int32_t rel32 = (int32_t)rel;
    out[0] = JMP_REL32;
    memcpy(out + 1, &rel32, 4);
    return true;
}

void x86_encode_stub(uint8_t out[STUB_SIZE], uint64_t target)
{
    static const uint8_t jmp[STUB_TARGET] = {0xff, 0x25, 0, 0, 0, 0};
    memcpy(out, jmp, sizeof jmp);
    memcpy(out + STUB_TARGET, &target, 8);
    out[14] = out[15] = 0xcc;
}
