/* base/realpath.c's path_real against the C library's realpath, the
 * oracle, for each path given: the same canonical path, or NULL where
 * realpath fails; with /proc mounted or not (then path_real asks
 * realpath). Prints "ok NAME" or "not ok NAME: why" per path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "realpath.h"
#include "util.h"

#define SUITE "realpath"
#include "check.h"

int main(int argc, char **argv)
{
    const char *proc = access("/proc/self/fd", F_OK) == 0 ? "with-proc" : "without-proc";
    for (int i = 1; i < argc; i++) {
        char *want = realpath(argv[i], NULL), *got = path_real(argv[i]);
        char name[512], why[2048];
        snprintf(name, sizeof name, "%s/same-as-realpath:%s", proc, argv[i]);
        snprintf(why, sizeof why, "path_real gave '%s', realpath '%s'", got ? got : "(null)",
                 want ? want : "(null)");
        check(name, want && got ? !strcmp(want, got) : !want && !got, why);
        free(want);
        xfree(got);
    }
    return failed;
}
