int f_c(int x);

int f_b(int x)
{
    return f_c(x) * 2;
}
