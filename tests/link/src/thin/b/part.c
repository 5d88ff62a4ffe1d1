int part_b(void) { return 2; }
