/* The other file of bench/workloads/tls.c: the thread-local it shares. */
__thread long tls_total;
