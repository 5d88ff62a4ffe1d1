/* Each reference a compiler makes through a GOT slot; tests/link/apx.sh
 * renames their relocations to the APX (REX2/EVEX) spellings, whose
 * arithmetic is the same. */
#include <stdio.h>

extern int counter;
extern __thread int per_thread __attribute__((tls_model("initial-exec")));
int bump(void);

int main(void)
{
    counter += 2;
    per_thread += 3;
    printf("counter=%d per_thread=%d bump=%d\n", counter, per_thread, bump());
    return 0;
}
