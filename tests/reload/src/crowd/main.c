/* Never rebuilt. "crowd N" starts N threads that each call mod_version()
 * and sleep a second in turn; "churn" starts a thread that keeps creating
 * short-lived threads, each of which calls mod_version() once. "q TAG"
 * answers how many crowd threads last saw each version, and the version
 * the last churned thread saw. */
#include <pthread.h>
#include <unistd.h>

#include "rt.h"

#define MAX_CROWD 8192

int mod_version(void);

static int seen[MAX_CROWD];
static int ncrowd, churned;

static void *member(void *arg)
{
    int *mine = arg;
    for (;;) {
        __atomic_store_n(mine, mod_version(), __ATOMIC_RELAXED);
        sleep(1);
    }
    return NULL;
}

static void *once(void *arg)
{
    (void)arg;
    __atomic_store_n(&churned, mod_version(), __ATOMIC_RELAXED);
    return NULL;
}

static void *churn(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_t t;
        if (pthread_create(&t, NULL, once, NULL) == 0)
            pthread_join(t, NULL);
    }
    return NULL;
}

static void answer(const char *tag)
{
    int count[4] = {0};
    for (int i = 0; i < ncrowd; i++) {
        int v = __atomic_load_n(&seen[i], __ATOMIC_RELAXED);
        count[v >= 0 && v < 4 ? v : 0]++;
    }
    printf("%s v0 %d\n%s v1 %d\n%s v2 %d\n%s v3 %d\n", tag, count[0], tag, count[1], tag, count[2], tag, count[3]);
    printf("%s churned %d\n", tag, __atomic_load_n(&churned, __ATOMIC_RELAXED));
}

static void other(const char *line)
{
    pthread_attr_t small;
    pthread_t t;
    pthread_attr_init(&small);
    pthread_attr_setstacksize(&small, 64 * 1024);
    if (!strncmp(line, "crowd ", 6)) {
        int n = atoi(line + 6);
        for (int i = 0; i < n && ncrowd < MAX_CROWD; i++)
            if (pthread_create(&t, &small, member, &seen[ncrowd]) == 0)
                ncrowd++;
        printf("crowd %d\n", ncrowd);
    } else if (!strcmp(line, "churn")) {
        pthread_create(&t, &small, churn, NULL);
        puts("churning");
    }
}

int main(void)
{
    return serve_queries(answer, other);
}
