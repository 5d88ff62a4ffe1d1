/* The versions differ only in a string literal: the code bytes are the
 * same, what their relocation reaches is not. */
const char *greeting(void)
{
    return GREETING;
}
