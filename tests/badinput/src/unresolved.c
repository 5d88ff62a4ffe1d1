void hotld_test_undefined_function(void);
int main(void)
{
    hotld_test_undefined_function();
    return 0;
}
