/* A shared library the project builds with the same linker setting: its
 * link goes to the system linker. */
int twice(int x)
{
    return 2 * x;
}
