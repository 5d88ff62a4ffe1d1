/* hotld's locks made new in a child of the program (forksafe.c). Call
 * from a constructor: registration is not itself thread-safe. */
#ifndef HOTLD_FORKSAFE_H
#define HOTLD_FORKSAFE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

void forksafe_mutex(pthread_mutex_t *m);
void forksafe_flag(atomic_flag *f);

#endif
