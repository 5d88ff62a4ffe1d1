/* A crash two calls deep, for a core file: deep() writes through a null
 * pointer. Built as C and as C++. */
__attribute__((noinline)) static void deep(int *p)
{
    *p = 1;
}

__attribute__((noinline)) void middle(int *p)
{
    deep(p);
}

int main(int argc, char **argv)
{
    (void)argv;
    middle(argc > 5 ? &argc : (int *)0);
    return 0;
}
