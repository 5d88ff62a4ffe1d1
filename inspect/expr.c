/* A recursive-descent parser for the expression language of expr.h. It
 * reads the text directly, a character at a time: the language is small
 * enough that a separate tokenizer would only add a layer. */
#include "expr.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

/* Of nesting and of postfix operators in a row, together: evaluation and
 * freeing recurse down the tree, whose depth this bounds. */
#define MAX_DEPTH 256

struct parser {
    const char *text, *p;
    int depth;
    bool failed;
};

static struct node *unary(struct parser *ps);

static void skip_space(struct parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

static struct node *error(struct parser *ps, const char *what)
{
    enum { SHOWN = 80 }; /* of the expression, in the one line of the error */
    int len = (int)strlen(ps->text);
    if (!ps->failed)
        fail("%s at column %d of '%.*s%s'", what, (int)(ps->p - ps->text) + 1, len > SHOWN ? SHOWN : len, ps->text,
             len > SHOWN ? "..." : "");
    ps->failed = true;
    return NULL;
}

static bool accept(struct parser *ps, const char *token)
{
    skip_space(ps);
    size_t n = strlen(token);
    if (strncmp(ps->p, token, n))
        return false;
    ps->p += n;
    return true;
}

static struct node *new_node(enum node_kind kind, struct node *a)
{
    struct node *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->a = a;
    return n;
}

static bool is_name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_' || c == '$';
}

/* Past a template's argument list at p ("<int, std::less<int>>"), or p
 * itself if it has none there. The language has no '<' operator, so a
 * name followed by one is a template's. */
static const char *template_arguments(const char *p)
{
    if (*p != '<')
        return p;
    int depth = 0;
    for (const char *q = p; *q; q++) {
        depth += (*q == '<') - (*q == '>');
        if (!depth)
            return q + 1;
    }
    return p;
}

/* A name, qualified or not, with template arguments ("geo::area",
 * "doubled<int>"), or a symbol gcc numbered ("count.2",
 * "__PRETTY_FUNCTION__.0": no member's name starts with a digit). */
static char *name(struct parser *ps)
{
    skip_space(ps);
    const char *start = ps->p;
    if (!is_name_start(*ps->p))
        return error(ps, "expected a name"), NULL;
    for (;;) {
        if (is_name_start(*ps->p) || isdigit((unsigned char)*ps->p))
            ps->p++;
        else if (ps->p[0] == ':' && ps->p[1] == ':' && is_name_start(ps->p[2]))
            ps->p += 2;
        else if (ps->p[0] == '.' && isdigit((unsigned char)ps->p[1]))
            ps->p++;
        else if (*ps->p == '<' && template_arguments(ps->p) != ps->p)
            ps->p = template_arguments(ps->p);
        else
            break;
    }
    return strndup(start, ps->p - start);
}

/* "game.o:" or "libz.a(deflate.o):" before a name: an object's static. */
static char *object_qualifier(struct parser *ps)
{
    const char *q = ps->p;
    while (*q && !strchr(" \t:[]*&=,\"'", *q) && strncmp(q, "->", 2))
        q++;
    if (q[0] != ':' || q[1] == ':' || !memchr(ps->p, '.', q - ps->p))
        return NULL;
    char *object = strndup(ps->p, q - ps->p);
    ps->p = q + 1;
    return object;
}

static struct node *number(struct parser *ps)
{
    const char *start = ps->p;
    char *end;
    errno = 0;
    uint64_t v = strtoull(start, &end, 0);
    if (*end == '.' || *end == 'e' || *end == 'E' || (end - start > 1 && (start[1] == 'x' || start[1] == 'X') &&
                                                      (*end == 'p' || *end == 'P'))) {
        struct node *n = new_node(N_FLOAT, NULL);
        n->fval = strtod(start, &end);
        ps->p = end + (*end == 'f' || *end == 'F');
        return n;
    }
    if (errno == ERANGE)
        return error(ps, "number too large");
    while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
        end++;
    struct node *n = new_node(N_INT, NULL);
    n->ival = v;
    ps->p = end;
    return n;
}

/* One character of a string or character literal, escapes included. */
static int literal_char(struct parser *ps)
{
    static const char escapes[] = "n\nt\tr\rv\va\ab\bf\fe\033\\\\''\"\"??";
    char c = *ps->p++;
    if (c != '\\')
        return (unsigned char)c;
    if (!*ps->p)
        return -1; /* a backslash that ends the text */
    c = *ps->p++;
    for (const char *e = escapes; *e; e += 2)
        if (*e == c)
            return (unsigned char)e[1];
    if (c == 'x' || (c >= '0' && c <= '7')) {
        int base = c == 'x' ? 16 : 8, v = c == 'x' ? 0 : c - '0', digits = 2;
        while (digits-- && isxdigit((unsigned char)*ps->p) && (base == 16 || (*ps->p >= '0' && *ps->p <= '7'))) {
            char d = *ps->p++;
            v = v * base + (isdigit((unsigned char)d) ? d - '0' : tolower((unsigned char)d) - 'a' + 10);
        }
        return v & 0xff;
    }
    return -1;
}

static struct node *string(struct parser *ps)
{
    struct strbuf sb = {0};
    sb_printf(&sb, "%s", "");
    ps->p++;
    while (*ps->p && *ps->p != '"') {
        int c = literal_char(ps);
        if (c < 0) {
            xfree(sb.s);
            return error(ps, "unknown escape in string");
        }
        grow_array((void **)&sb.s, &sb.cap, sb.len + 2, 1);
        sb.s[sb.len++] = (char)c;
        sb.s[sb.len] = 0;
    }
    if (*ps->p != '"') {
        xfree(sb.s);
        return error(ps, "unterminated string");
    }
    ps->p++;
    struct node *n = new_node(N_STRING, NULL);
    n->text = sb.s;
    n->len = sb.len;
    return n;
}

static struct node *character(struct parser *ps)
{
    ps->p++;
    int c = *ps->p && *ps->p != '\'' ? literal_char(ps) : -1;
    if (c < 0 || *ps->p != '\'')
        return error(ps, "bad character literal");
    ps->p++;
    struct node *n = new_node(N_CHAR, NULL);
    n->ival = (uint64_t)c;
    return n;
}

static struct node *expr(struct parser *ps)
{
    if (++ps->depth > MAX_DEPTH)
        return error(ps, "expression nested too deeply");
    struct node *n = unary(ps);
    ps->depth--;
    return n;
}

static struct node *primary(struct parser *ps)
{
    skip_space(ps);
    if (isdigit((unsigned char)*ps->p) || (*ps->p == '.' && isdigit((unsigned char)ps->p[1])))
        return number(ps);
    if (*ps->p == '"')
        return string(ps);
    if (*ps->p == '\'')
        return character(ps);
    if (accept(ps, "(")) {
        struct node *n = expr(ps);
        if (n && !accept(ps, ")"))
            return node_free(n), error(ps, "expected ')'");
        return n;
    }
    char *object = object_qualifier(ps);
    char *text = name(ps);
    if (!text)
        return xfree(object), NULL;
    struct node *n = new_node(N_NAME, NULL);
    n->text = text;
    n->object = object;
    return n;
}

static struct node *call_args(struct parser *ps, struct node *fn)
{
    struct node *call = new_node(N_CALL, fn);
    size_t cap = 0;
    if (accept(ps, ")"))
        return call;
    do {
        struct node *arg = expr(ps);
        if (!arg)
            return node_free(call), NULL;
        ARRAY_PUSH(call->args, call->nargs, cap, arg);
    } while (accept(ps, ","));
    if (!accept(ps, ")"))
        return node_free(call), error(ps, "expected ',' or ')' in the arguments");
    return call;
}

static bool at_postfix_operator(struct parser *ps)
{
    skip_space(ps);
    return (*ps->p && strchr("[.(", *ps->p)) || !strncmp(ps->p, "->", 2);
}

static struct node *postfix(struct parser *ps)
{
    struct node *n = primary(ps);
    int depth = ps->depth;
    while (n && at_postfix_operator(ps)) {
        if (++ps->depth > MAX_DEPTH)
            return node_free(n), error(ps, "expression nested too deeply");
        if (accept(ps, "[")) {
            n = new_node(N_INDEX, n);
            if (!(n->b = expr(ps)) || !accept(ps, "]"))
                return node_free(n), error(ps, "expected ']'");
        } else if (accept(ps, "->") || accept(ps, ".")) {
            n = new_node(ps->p[-1] == '>' ? N_ARROW : N_MEMBER, n);
            if (!(n->text = name(ps)))
                return node_free(n), NULL;
        } else if (accept(ps, "(")) {
            n = call_args(ps, n);
        }
    }
    ps->depth = depth;
    return n;
}

static struct node *unary(struct parser *ps)
{
    static const struct { const char *op; enum node_kind kind; } ops[] = {
        {"*", N_DEREF}, {"&", N_ADDR}, {"-", N_NEG}};
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
        if (accept(ps, ops[i].op)) {
            if (++ps->depth > MAX_DEPTH)
                return error(ps, "expression nested too deeply");
            struct node *operand = unary(ps);
            ps->depth--;
            return operand ? new_node(ops[i].kind, operand) : NULL;
        }
    return postfix(ps);
}

static struct node *statement(struct parser *ps)
{
    skip_space(ps);
    if (!strncmp(ps->p, "set", 3) && isspace((unsigned char)ps->p[3])) {
        ps->p += 3;
        skip_space(ps);
        const char *start = ps->p;
        struct node *lhs = unary(ps);
        if (!lhs)
            return NULL;
        char *lhs_text = strndup(start, ps->p - start);
        if (!accept(ps, "=") || *ps->p == '=')
            return xfree(lhs_text), node_free(lhs), error(ps, "expected '=' after set's variable");
        struct node *n = new_node(N_ASSIGN, lhs);
        n->text = lhs_text;
        if (!(n->b = expr(ps)))
            return node_free(n), NULL;
        return n;
    }
    return expr(ps);
}

struct node *expr_parse(const char *text)
{
    struct parser ps = {text, text, 0, false};
    struct node *n = statement(&ps);
    skip_space(&ps);
    if (n && *ps.p) {
        node_free(n);
        return error(&ps, "unexpected text");
    }
    if (!n && !ps.failed)
        error(&ps, "expected an expression");
    return n;
}

void node_free(struct node *n)
{
    if (!n)
        return;
    node_free(n->a);
    node_free(n->b);
    for (size_t i = 0; i < n->nargs; i++)
        node_free(n->args[i]);
    xfree(n->args);
    xfree(n->text);
    xfree(n->object);
    xfree(n);
}
