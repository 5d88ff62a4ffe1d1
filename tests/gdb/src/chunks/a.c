int f_b(int x);

int f_a(int x)
{
    return f_b(x) + 1;
}
