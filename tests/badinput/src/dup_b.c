int duplicate_symbol(void) { return 2; }
