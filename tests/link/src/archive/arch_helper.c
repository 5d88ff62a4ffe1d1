int arch_leaf(int x);       /* only arch_helper.o needs arch_leaf.o */
int arch_helper(int x) { return arch_leaf(x) * 10; }
