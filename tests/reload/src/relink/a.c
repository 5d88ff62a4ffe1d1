/* a_value: 1000 * VER + the number of earlier calls. */
int a_calls = 0;

int a_value(void)
{
    return 1000 * VER + a_calls++;
}
