#include "forksafe.h"
#include "jit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "procmaps.h"
#include "util.h"

/* The names, layout and protocol are GDB's: it sets a breakpoint on
 * __jit_debug_register_code and reads __jit_debug_descriptor when it
 * stops there. Both are exported (see the Makefile), so a stripped hotld
 * still works. */
enum jit_action { JIT_NOACTION = 0, JIT_REGISTER_FN, JIT_UNREGISTER_FN };

struct jit_code_entry {
    struct jit_code_entry *next_entry;
    struct jit_code_entry *prev_entry;
    const char *symfile_addr;
    uint64_t symfile_size;
};

struct jit_descriptor {
    uint32_t version;
    uint32_t action_flag;
    struct jit_code_entry *relevant_entry;
    struct jit_code_entry *first_entry;
};

struct jit_descriptor __jit_debug_descriptor = {1, JIT_NOACTION, NULL, NULL};

/* noinline is not enough: gcc -O2 would still see an empty function and
 * drop the calls. The asm makes each call a real one. */
__attribute__((noinline, used)) void __jit_debug_register_code(void)
{
    __asm__ volatile("" ::: "memory");
}

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool image_awaited;
__attribute__((constructor)) static void renew_after_fork(void)
{
    forksafe_mutex(&jit_lock);
}

struct jit_code_entry *jit_entry_new(const void *image, size_t size)
{
    struct jit_code_entry *e = xcalloc(1, sizeof *e);
    e->symfile_addr = image;
    e->symfile_size = size;
    return e;
}

const void *jit_entry_image(const struct jit_code_entry *e, size_t *size)
{
    *size = e->symfile_size;
    return e->symfile_addr;
}

/* The address first, with the larger size: a debugger that stops the
 * process between the two stores reads the smaller image whole, and bytes
 * after it that its headers do not name. */
void jit_entry_set_image(struct jit_code_entry *e, const void *image, size_t size)
{
    pthread_mutex_lock(&jit_lock);
    __atomic_store_n(&e->symfile_addr, (const char *)image, __ATOMIC_RELEASE);
    __atomic_store_n(&e->symfile_size, (uint64_t)size, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&jit_lock);
}

void jit_entry_add(struct jit_code_entry *e)
{
    pthread_mutex_lock(&jit_lock);
    e->prev_entry = NULL;
    e->next_entry = __jit_debug_descriptor.first_entry;
    if (e->next_entry)
        e->next_entry->prev_entry = e;
    __jit_debug_descriptor.first_entry = e;
    __jit_debug_descriptor.relevant_entry = e;
    __jit_debug_descriptor.action_flag = JIT_REGISTER_FN;
    __jit_debug_register_code();
    pthread_mutex_unlock(&jit_lock);
    atomic_store(&image_awaited, false);
}

void jit_entry_remove(struct jit_code_entry *e)
{
    pthread_mutex_lock(&jit_lock);
    if (e->prev_entry)
        e->prev_entry->next_entry = e->next_entry;
    else
        __jit_debug_descriptor.first_entry = e->next_entry;
    if (e->next_entry)
        e->next_entry->prev_entry = e->prev_entry;
    __jit_debug_descriptor.relevant_entry = e;
    __jit_debug_descriptor.action_flag = JIT_UNREGISTER_FN;
    __jit_debug_register_code();
    pthread_mutex_unlock(&jit_lock);
}

void jit_entry_free(struct jit_code_entry *e)
{
    xfree(e);
}

void jit_image_awaited(void)
{
    atomic_store(&image_awaited, true);
}

bool jit_image_is_awaited(void)
{
    return atomic_load(&image_awaited);
}

/* Only read(): a crash handler may ask. */
bool jit_debugger_attached(void)
{
    char status[2048];
    const char *at = proc_read("/proc/self/status", status, sizeof status) ? strstr(status, "\nTracerPid:") : NULL;
    return at && atoi(at + 11) != 0;
}

/* Only nanosleep: this runs in a signal handler. */
void jit_wait_for_image(unsigned ms)
{
    struct timespec tick = {0, 1000000};
    while (atomic_load(&image_awaited) && ms--)
        nanosleep(&tick, NULL);
}

