/* Never rebuilt: calls mod_f directly and through a pointer initialized at
 * load time (a relocation in this object's data). */
int mod_f(void);

int (*user_saved)(void) = mod_f;

int user_call(void)
{
    return mod_f();
}

int user_call_saved(void)
{
    return user_saved();
}

void *user_saved_addr(void)
{
    return (void *)user_saved;
}
