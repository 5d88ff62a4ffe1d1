/* Never rebuilt. "q TAG" answers mod.o's version and how many children
 * the forker made; "fork" starts a thread that forks and execs /bin/true
 * in a loop (a reload may come while the program is inside fork() or
 * exec()), "stopfork" stops it and reports whether every child exited 0. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include "rt.h"

int mod_version(void);

static int forking, children, bad_children;
static pthread_t forker_thread;

static void *forker(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&forking, __ATOMIC_RELAXED)) {
        pid_t pid = fork();
        if (pid == 0) {
            execl("/bin/true", "true", (char *)NULL);
            _exit(127);
        }
        int status = 1;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
            __atomic_add_fetch(&bad_children, 1, __ATOMIC_RELAXED);
        __atomic_add_fetch(&children, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void answer(const char *tag)
{
    printf("%s version %d\n%s children %d %d\n", tag, mod_version(), tag,
           __atomic_load_n(&children, __ATOMIC_RELAXED), __atomic_load_n(&bad_children, __ATOMIC_RELAXED));
}

static void other(const char *line)
{
    if (!strcmp(line, "fork")) {
        __atomic_store_n(&forking, 1, __ATOMIC_RELAXED);
        pthread_create(&forker_thread, NULL, forker, NULL);
    } else if (!strcmp(line, "stopfork")) {
        __atomic_store_n(&forking, 0, __ATOMIC_RELAXED);
        pthread_join(forker_thread, NULL);
        puts("stopped");
    }
}

int main(void)
{
    return serve_queries(answer, other);
}
