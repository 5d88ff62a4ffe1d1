/* Built -mtls-dialect=gnu2: a TLS descriptor sequence. */
extern __thread int per_thread;
int read_per_thread(void) { return per_thread; }
