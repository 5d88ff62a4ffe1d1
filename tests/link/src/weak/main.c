/* Weak symbols (undefined weak stays 0, weak definition overridden by a
 * strong one), hidden/protected visibility, a custom section iterated with
 * __start_/__stop_ symbols, and a large bss array. */
#include <stdio.h>
#include "weak.h"

extern int maybe_missing_fn(void) __attribute__((weak));
extern int maybe_missing_var __attribute__((weak));
extern const char maybe_missing_array[] __attribute__((weak));

__attribute__((weak)) const char *which_impl(void) { return "weak (WRONG: strong one exists)"; }
__attribute__((weak)) int weak_only(void) { return 11; }
__attribute__((weak)) int tunable = 1;

extern const struct entry __start_myset[], __stop_myset[];

static int twice(int x) { return 2 * x; }
REGISTER(main_twice, twice);

int main(void)
{
    printf("maybe_missing_fn is %s\n", maybe_missing_fn ? "present" : "null");
    printf("maybe_missing_var is %s\n", &maybe_missing_var ? "present" : "null");
    printf("maybe_missing_array is %s\n", maybe_missing_array ? "present" : "null");
    if (maybe_missing_fn) printf("calling it: %d\n", maybe_missing_fn());
    printf("which_impl: %s\n", which_impl());
    printf("weak_only: %d\n", weak_only());
    printf("tunable: %d\n", tunable);

    int first = hidden_bump(2);
    int second = hidden_bump(5);
    printf("hidden_bump: %d %d, hidden_counter %d\n", first, second, hidden_counter);
    printf("protected_fn: %d\n", protected_fn());

    printf("myset has %d entries\n", (int)(__stop_myset - __start_myset));
    for (const struct entry *e = __start_myset; e < __stop_myset; e++)
        printf("  %s(21) = %d\n", e->name, e->fn(21));

    printf("big bss: %lu\n", big_bss_check());
    return 0;
}
