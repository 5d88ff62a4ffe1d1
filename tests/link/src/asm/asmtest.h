#include <stdint.h>
#include <stdio.h>
#define TARGET_DATA_SIZE 24
#define ABS16_VALUE 0xbeef
#define ABS8_VALUE 0x5c
extern char target_data[TARGET_DATA_SIZE];
extern int c_counter;
int target_fn(int x);

/* CHECK(name, cond, detail...): one line per relocation check. Only the
 * verdict is printed, so the output does not depend on addresses. */
#define CHECK(name, cond) \
    printf("%-28s %s\n", name, (cond) ? "ok" : "BAD")
