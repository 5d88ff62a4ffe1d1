/* A struct that ends in a flexible array member, as CPython's dict keys
 * do: pointed to, so a reload compares its layout. */
struct buffer {
    long used;
    char bytes[];
};
