/* No #include, so that gcc -m32 works without 32-bit libc headers. */
int counter = 1;
static int helper32(int x) { return x + 1; }
int main(void) { return helper32(counter) - 2; }
