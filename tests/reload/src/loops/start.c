/* Never rebuilt: the loop is run(), in main.c (-DLOOP_IN_RUN), which
 * main calls once, as programs whose main only sets up and hands over. */
int run(void);

int main(void)
{
    return run();
}
