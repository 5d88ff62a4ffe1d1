int alt_start(int argc, char **argv);
int main(int argc, char **argv) { return alt_start(argc, argv); }
