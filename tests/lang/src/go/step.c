/* C in a Go program, which reloads: STEP is 1, then 100. */
int cstep(int n)
{
    return n + STEP;
}
