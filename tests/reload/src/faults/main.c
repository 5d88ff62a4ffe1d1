/* Never rebuilt. "q TAG" answers mod.o's version and how many children
 * the forker made; "fork" starts a thread that forks and execs /bin/true
 * in a loop (a reload may come while the program is inside fork() or
 * exec()), "stopfork" stops it and reports whether every child exited 0.
 * "blockedexec DIR" forks a child that blocks every signal, waits for
 * DIR/go, then execs DIR/unblock (which unblocks them and exits 0); a
 * thread prints "blockedexec exit N" or "blockedexec signal N" once it
 * has ended. */
#include <pthread.h>
#include <signal.h>
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

static void *await_blocked_child(void *arg)
{
    int status = 0;
    waitpid((pid_t)(intptr_t)arg, &status, 0);
    printf("blockedexec %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return NULL;
}

static void blocked_exec(const char *dir)
{
    char go[512], unblock[512];
    snprintf(go, sizeof go, "%s/go", dir);
    snprintf(unblock, sizeof unblock, "%s/unblock", dir);
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        while (access(go, F_OK) != 0)
            usleep(10000);
        execl(unblock, "unblock", (char *)NULL);
        _exit(127);
    }
    pthread_t waiter;
    pthread_create(&waiter, NULL, await_blocked_child, (void *)(intptr_t)pid);
    pthread_detach(waiter);
}

static void other(const char *line)
{
    if (!strncmp(line, "blockedexec ", 12)) {
        blocked_exec(line + 12);
        return;
    }
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
