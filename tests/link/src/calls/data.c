#include <stddef.h>
#include "calls.h"

int counters[8] = { 1, 2, 3, 4 };
int *const counter_mid = &counters[4];

const struct node node_data_b = { "data-b", 2, NULL };
const struct node node_data_a = { "data-a", 1, &node_data_b };

const struct op op_table[] = {
    { "add", op_add },
    { "sub", op_sub },
    { "mul", op_mul },
};
const int op_table_len = sizeof op_table / sizeof op_table[0];

int (*const op_ptr_array[3])(int, int) = { op_mul, op_add, op_sub };

static const char greeting[] = "hello, relocated world";
const char *const greeting_tail = greeting + 7;

const char *const names[] = { "alpha", "beta", "gamma delta", "world", NULL };

const double coeffs[4] = { 0.5, -1.25, 3.0e10, 1e-7 };
const double *const coeff_last = &coeffs[3];

static int (*pick(int i))(int, int) { return op_table[i % 3].fn; }

int data_apply(int idx, int a, int b) { return pick(idx)(a, b) + op_ptr_array[idx](b, a); }

const char *data_shared_literal(void) { return "a literal shared by two objects"; }
