static int calls;

int scale(int v, int by)
{
    calls++;
    int product = v * by; /* the line tests break on */
    return product;
}
