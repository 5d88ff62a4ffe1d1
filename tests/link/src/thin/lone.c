int lone(void) { return 3; }
int unused_in_thin(void) { return 4; }
