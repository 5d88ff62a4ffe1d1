static int calls; int runs; /* a file static and a global, both kept */

int scale(int v, int by)
{
    calls++, runs++;
    int product = v * by; /* the line tests break on */
    return product;
}
