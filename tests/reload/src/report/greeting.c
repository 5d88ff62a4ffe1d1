/* The versions differ only in a string literal: the code bytes are the
 * same, what their relocation reaches is not. */
int greetings; /* a variable, for the report on its DWARF */

const char *greeting(void)
{
    greetings++;
    return GREETING;
}
