#include <stdio.h>
#include <unistd.h>

int parse_options(int argc, char **argv)
{
    int c, n = 0;
    opterr = 1;
    while ((c = getopt(argc, argv, "ab:v")) != -1) {
        n++;
        switch (c) {
        case 'a': printf("option -a\n"); break;
        case 'b': printf("option -b with '%s'\n", optarg); break;
        case 'v': printf("option -v\n"); break;
        default:  printf("bad option '%c' (optopt '%c')\n", c, optopt); break;
        }
    }
    return n;
}

void report_to(FILE *f, const char *what)
{
    fprintf(f, "%s (is stdout: %d, is stderr: %d)\n", what, f == stdout, f == stderr);
}
