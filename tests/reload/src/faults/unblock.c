/* Exec'd by faults/main.c's blocked child: unblock every signal, so that
 * one left pending across the exec is delivered now (and, with no handler
 * in this program, kills it), then exit 0. */
#include <signal.h>

int main(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, 0);
    return 0;
}
