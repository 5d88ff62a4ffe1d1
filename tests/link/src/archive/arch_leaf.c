int arch_leaf_calls;
int arch_leaf(int x) { arch_leaf_calls++; return x + 1; }
