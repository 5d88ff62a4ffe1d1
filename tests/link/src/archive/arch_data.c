const int arch_table[4] = { 10, 20, 30, 40 };
