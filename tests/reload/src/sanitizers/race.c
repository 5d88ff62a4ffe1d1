/* A data race for ThreadSanitizer: two threads bump one counter without a
 * lock. They start bumping together (the barrier orders nothing after
 * it), so their accesses overlap however a loaded machine schedules
 * them: with 1,000 bumps each right after creation, the linked build
 * once reported no race in a CI run. */
#include <pthread.h>
#include <stdio.h>

int counter;
static pthread_barrier_t start;

static void *bump(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < 100000; i++)
        counter++;
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_barrier_init(&start, NULL, 2);
    pthread_create(&a, NULL, bump, NULL);
    pthread_create(&b, NULL, bump, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%d\n", counter > 0);
    return 0;
}
