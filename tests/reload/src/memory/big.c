/* 1 MiB of constants: with it, a start's image is big enough to go on
 * huge pages (loader/memory.c). */
const unsigned char filler[1 << 20] = {1};
