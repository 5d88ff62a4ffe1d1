struct entry {
    const char *name;
    int (*fn)(int);
};
/* Put one entry in section "myset"; main iterates __start_myset..__stop_myset. */
#define REGISTER(n, f) \
    static const struct entry entry_##n __attribute__((section("myset"), used, aligned(16))) = { #n, f }

const char *which_impl(void);
int weak_only(void);
extern int tunable;
__attribute__((visibility("hidden"))) extern int hidden_counter;
__attribute__((visibility("hidden"))) int hidden_bump(int by);
__attribute__((visibility("protected"))) int protected_fn(void);
unsigned long big_bss_check(void);
