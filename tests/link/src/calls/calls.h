/* Shared declarations for the "calls" program: three objects that call each
 * other and point at each other's data. */
#ifndef CALLS_H
#define CALLS_H
struct node {
    const char *name;
    int value;
    const struct node *next;
};

struct op {
    const char *name;
    int (*fn)(int, int);
};

/* ops.c */
int op_add(int a, int b);
int op_sub(int a, int b);
int op_mul(int a, int b);
int is_even(unsigned n);
double scale(double x);
float scalef(float x);
long double scalel(long double x);
const char *ops_banner(void);
int ops_call_count(void);

/* main.c */
int is_odd(unsigned n);
extern const struct node node_main;

/* data.c */
extern const struct node node_data_a, node_data_b;
extern const struct op op_table[];
extern const int op_table_len;
extern int counters[8];
extern int *const counter_mid;
extern const char *const greeting_tail;
extern const char *const names[];
extern const double coeffs[4];
extern const double *const coeff_last;
extern int (*const op_ptr_array[3])(int, int);
int data_apply(int idx, int a, int b);
const char *data_shared_literal(void);
#endif
