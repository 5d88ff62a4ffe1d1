/* Thread-local storage in every shape the compilers emit (the configuration
 * picks the model: local exec for PIE, initial exec for extern variables,
 * general and local dynamic with -fPIC): initialized and zeroed variables,
 * an aligned one, a file static, a function static, C11 _Thread_local,
 * extern variables of another object, and initializers that hold
 * addresses (the initialization image is relocated). Each thread must see
 * its own, freshly initialized copies, threads created late included. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern __thread int shared_count;          /* vars.c */
extern __thread char shared_name[16];
extern _Thread_local long shared_zero[512];
int vars_bump(int by);
const char *vars_label(void);

int global_value = 77;
__thread int *tls_ptr = &global_value;      /* relocated initializer */
__thread const char *tls_text = "initial text";
static __thread double tls_double = 2.5;
static __thread int tls_aligned __attribute__((aligned(64))) = 9;
__thread unsigned char tls_big[8192];

static int next_serial(void)
{
    static __thread int serial = 100;
    return serial++;
}

static void report(const char *who)
{
    printf("%s: count=%d name=%s zero=%ld ptr=%d text=%s double=%.1f aligned=%d/%d serial=%d big=%d label=%s\n",
           who, shared_count, shared_name, shared_zero[511], *tls_ptr, tls_text, tls_double,
           tls_aligned, (int)((uintptr_t)&tls_aligned % 64), next_serial(), tls_big[8191], vars_label());
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    report("fresh");
    vars_bump(id);
    shared_zero[511] = id;
    tls_double *= id;
    tls_aligned += id;
    tls_big[8191] = (unsigned char)id;
    tls_text = "changed";
    snprintf(shared_name, sizeof shared_name, "thread%d", id);
    report("after");
    return &shared_count; /* this thread's address, compared by main */
}

int main(void)
{
    void *addr[3];
    for (int i = 0; i < 3; i++) {
        pthread_t t;
        pthread_create(&t, NULL, worker, (void *)(intptr_t)(i + 1));
        pthread_join(t, &addr[i]);
    }
    report("main");
    printf("addresses distinct from main's: %d\n",
           addr[0] != &shared_count && addr[1] != &shared_count && addr[2] != &shared_count);
    return shared_count;
}
