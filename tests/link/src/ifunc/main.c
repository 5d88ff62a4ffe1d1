/* STT_GNU_IFUNC symbols defined in the objects: gcc's and clang's
 * __attribute__((ifunc)) with a resolver that tests the CPU, a resolver
 * that picks a libc function, and target_clones; called directly, through
 * a function pointer in data, and from another object. And libc's own
 * IFUNCs: memcpy's address is the implementation ld.so chose. (Not
 * compared in -fno-pie code: there &memcpy is a stub of hotld's, while a
 * linked program makes its PLT entry the address everyone, dlsym
 * included, sees.) */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int checksum(const unsigned char *p, int n);    /* impl.c: an IFUNC */
int use_checksum(void);                         /* impl.c */
void *copy_bytes(void *, const void *, size_t); /* impl.c: memcpy's choice */

__attribute__((target_clones("avx2", "default"))) int twice(int x)
{
    return 2 * x;
}

int (*checksum_ptr)(const unsigned char *, int) = checksum;

int main(void)
{
    char buf[16];
    copy_bytes(buf, "copied", 7);
    printf("checksum=%d via pointer=%d from impl.c=%d twice=%d copy=%s\n",
           checksum((const unsigned char *)"abc", 3), checksum_ptr((const unsigned char *)"xyz", 3),
           use_checksum(), twice(21), buf);
#ifdef __PIE__
    printf("memcpy is ld.so's choice: %d\n", (void *)memcpy == dlsym(RTLD_DEFAULT, "memcpy"));
#endif
    return 0;
}
