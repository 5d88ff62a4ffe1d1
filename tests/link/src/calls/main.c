/* Cross-object calls, function pointer tables, data pointers, literals. */
#include <stdio.h>
#include <string.h>
#include "calls.h"

const struct node node_main = { "main-node", 3, &node_data_a };

int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static int local_square(int a, int b) { return a * a + b; }
static int (*volatile local_fp)(int, int) = local_square;

int main(void)
{
    printf("%s\n", ops_banner());
    for (int i = 0; i < op_table_len; i++)
        printf("op %-4s(7,5) = %d\n", op_table[i].name, op_table[i].fn(7, 5));
    for (int i = 0; i < 3; i++)
        printf("op_ptr_array[%d](9,4) = %d\n", i, op_ptr_array[i](9, 4));
    printf("data_apply(2,6,7) = %d\n", data_apply(2, 6, 7));
    printf("local fp = %d\n", local_fp(4, 1));
    printf("is_odd(37)=%d is_even(37)=%d is_odd(100)=%d\n", is_odd(37), is_even(37), is_odd(100));

    for (const struct node *n = &node_main; n; n = n->next)
        printf("node %s = %d\n", n->name, n->value);

    counter_mid[0] = 11;
    counter_mid[1] = 12;
    for (int i = 0; i < 8; i++) printf("%d ", counters[i]);
    printf("\n");
    printf("greeting tail: '%s'\n", greeting_tail);
    for (int i = 0; names[i]; i++) printf("name[%d] = %s (%zu)\n", i, names[i], strlen(names[i]));
    printf("shared literal equal: %d\n", strcmp(data_shared_literal(), "a literal shared by two objects") == 0);

    volatile double x = 3.0;
    printf("scale(3) = %.6f, scalef(3) = %.4f, scalel(3) = %.6Lf\n", scale(x), (double)scalef((float)x), scalel(x));
    double sum = 0;
    for (int i = 0; i < 4; i++) sum += coeffs[i] * (i + 1);
    printf("coeff sum = %.6f, last = %.6f, neg = %.3f\n", sum, *coeff_last, -coeffs[1] * x);
    printf("ops calls = %d\n", ops_call_count());
    return 0;
}
