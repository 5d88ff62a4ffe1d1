void app_log(const char *what, int n);
void lib_run(int n)
{
    for (int i = 0; i < n; i++)
        app_log("from the library", i);
}
