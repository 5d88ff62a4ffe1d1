/* Run-time checks for the relocations in relocs.s, gotx.s, gotpcrel.s and
 * gotx_c.c. Prints one "ok"/"BAD" line per relocation use. */
#include <stdlib.h>
#include "asmtest.h"

extern int64_t pc64_site, pc64_addend_site, gotoff64_site, got64_site, got64_stdout_site;
extern int64_t gotpcrel64_site, gotpcrel64_labs_site, pltoff64_site, size64_site;
extern uint32_t size32_site, size32_addend_site;
extern int16_t pc16_site;
extern int8_t pc8_site, pc8_back_site;
extern char near_target, near_before;

char *got_base_pc32(void);
char *got_base_pc64(void);
char *addr_gotoff64(void);
char *addr_got64(void);
int call_pltoff64(int x);
long call_labs_pltoff64(long x);

char *gotx_mov(void);
FILE *gotx_mov_stdout(void);
int gotx_call(int x);
int gotx_jmp(int x);
long gotx_jmp_labs(long x);
char *gotx_add(long n);
unsigned gotx_movl(void);

char *gotpcrel_mov(void);
int gotpcrel_call(int x);

int gotx_c_bump(void);
char *gotx_c_addr(void);
FILE *gotx_c_stdout(void);
long gotx_c_labs(long x);
int (*gotx_c_fnptr(void))(int);

int main(void)
{
    char *got = got_base_pc64();
    char *site;

    printf("target_data = '%s'\n", target_data);
    CHECK("GOTPC32 == GOTPC64", got_base_pc32() == got);

    site = (char *)&pc64_site;
    CHECK("PC64", site + pc64_site == target_data);
    site = (char *)&pc64_addend_site;
    CHECK("PC64 addend", site + pc64_addend_site == target_data + 5);

    CHECK("GOTOFF64 data", got + gotoff64_site == target_data);
    CHECK("GOTOFF64 code", addr_gotoff64() == target_data);
    CHECK("GOT64 data", *(char **)(got + got64_site) == target_data);
    CHECK("GOT64 libc stdout", **(FILE ***)(got + got64_stdout_site) == stdout);
    CHECK("GOT64 code", addr_got64() == target_data);

    site = (char *)&gotpcrel64_site;
    CHECK("GOTPCREL64", *(char **)(site + gotpcrel64_site) == target_data);
    site = (char *)&gotpcrel64_labs_site;
    long (*labs_slot)(long) = *(long (**)(long))(site + gotpcrel64_labs_site);
    CHECK("GOTPCREL64 libc labs", labs_slot(-42) == 42);

    int (*via_pltoff)(int) = (int (*)(int))(got + pltoff64_site);
    CHECK("PLTOFF64 data", via_pltoff(3) == target_fn(3));
    CHECK("PLTOFF64 code", call_pltoff64(4) == target_fn(4));
    CHECK("PLTOFF64 libc labs", call_labs_pltoff64(-17) == 17);

    CHECK("SIZE64", size64_site == TARGET_DATA_SIZE);
    CHECK("SIZE32", size32_site == TARGET_DATA_SIZE);
    CHECK("SIZE32 addend", size32_addend_site == TARGET_DATA_SIZE + 100);

    CHECK("PC16", (char *)&pc16_site + pc16_site == &near_target && near_target == (char)0xa5);
    CHECK("PC8", (char *)&pc8_site + pc8_site == &near_target);
    CHECK("PC8 negative", (char *)&pc8_back_site + pc8_back_site == &near_before && pc8_back_site < 0);

    CHECK("REX_GOTPCRELX mov", gotx_mov() == target_data);
    CHECK("REX_GOTPCRELX libc stdout", gotx_mov_stdout() == stdout);
    CHECK("GOTPCRELX call", gotx_call(5) == target_fn(5));
    CHECK("GOTPCRELX jmp", gotx_jmp(6) == target_fn(6));
    CHECK("GOTPCRELX jmp libc labs", gotx_jmp_labs(-9) == 9);
    CHECK("REX_GOTPCRELX add", gotx_add(7) == target_data + 7);
    CHECK("GOTPCRELX movl", gotx_movl() == (unsigned)(uintptr_t)target_data);

    CHECK("GOTPCREL mov", gotpcrel_mov() == target_data);
    CHECK("GOTPCREL call", gotpcrel_call(8) == target_fn(8));

    CHECK("C -fPIC GOTPCRELX call", gotx_c_bump() == target_fn(3) && c_counter == 3);
    CHECK("C -fPIC GOT data", gotx_c_addr() == target_data);
    CHECK("C -fPIC GOT libc data", gotx_c_stdout() == stdout);
    CHECK("C -fPIC GOT libc call", gotx_c_labs(-11) == 11);
    CHECK("C -fPIC GOT fn address", gotx_c_fnptr()(2) == target_fn(2));
    return 0;
}
