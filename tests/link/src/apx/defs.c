int counter = 40;
__thread int per_thread = 4;
int bump(void) { return ++counter; }
