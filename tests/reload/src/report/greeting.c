/* The versions differ only in a string literal: the code bytes are the
 * same, what their relocation reaches is not. */
int greetings; /* a variable, for the report on its DWARF */
struct said {   /* a type of its own: -fdebug-types-section puts it in a type unit */
    int times;
} said;

const char *greeting(void)
{
    greetings++;
    said.times++;
    return GREETING;
}
