/* Run with --entry alt_start; the reference calls alt_start from main
 * (ref_main.c), so both must print the same. */
#include <stdio.h>
int alt_start(int argc, char **argv)
{
    printf("alt_start: argc %d, last '%s'\n", argc, argv[argc - 1]);
    return 9;
}
