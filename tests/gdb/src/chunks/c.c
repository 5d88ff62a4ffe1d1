static int calls;

int f_c(int x)
{
    calls++;
    return x + 10 + calls;
}
