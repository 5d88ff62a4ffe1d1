/* The expressions of hotld --print, --call and --repl: a C subset, parsed
 * into a tree that eval.c evaluates against the running image.
 *
 *   statement := "set" unary "=" expr | expr
 *   expr      := unary
 *   unary     := "*" unary | "&" unary | "-" unary | postfix
 *   postfix   := primary { "[" expr "]" | "." NAME | "->" NAME | "(" args ")" }
 *   primary   := NUMBER | STRING | CHAR | "(" expr ")" | [OBJECT ":"] NAME {"::" NAME}
 *
 * OBJECT names the object that defines a static: "game.o:count". */
#ifndef HOTLD_EXPR_H
#define HOTLD_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum node_kind {
    N_NAME, N_INT, N_FLOAT, N_STRING, N_CHAR,
    N_MEMBER, N_ARROW, N_INDEX, N_DEREF, N_ADDR, N_NEG, N_CALL, N_ASSIGN,
};

struct node {
    enum node_kind kind;
    char *text;                 /* NAME, member, a string's bytes, or
                                   N_ASSIGN: the assigned variable's text */
    size_t len;                 /* a string's length, without its NUL */
    char *object;               /* NAME: the object it is qualified with */
    uint64_t ival;              /* N_INT, N_CHAR */
    double fval;                /* N_FLOAT */
    struct node *a, *b;         /* operand; index or assigned value */
    struct node **args;         /* N_CALL */
    size_t nargs;
};

/* The tree of a statement, or NULL with fail() saying where it is wrong. */
struct node *expr_parse(const char *text);
void node_free(struct node *n);

#endif
