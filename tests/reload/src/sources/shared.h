/* Used by value.c and other.c: an edit here changes both. */
static inline int shared(void)
{
    return 10;
}
