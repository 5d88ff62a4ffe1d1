// gtest death tests, both styles: "fast" forks, "threadsafe" runs the
// test program again through /proc/self/exe with gtest's internal flag.
#include <gtest/gtest.h>
#include <cstdlib>
#include <cstdio>

static int crash(int code)
{
    if (code > 0) {
        std::fprintf(stderr, "dying with %d\n", code);
        std::exit(code);
    }
    return 0;
}

TEST(Death, ExitsWithCode) { EXPECT_EXIT(crash(3), ::testing::ExitedWithCode(3), "dying with 3"); }
TEST(Death, AbortDies) { EXPECT_DEATH(std::abort(), ""); }
TEST(Death, ThreadsafeStyle) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(crash(5), ::testing::ExitedWithCode(5), "dying with 5");
}
TEST(Plain, Works) { EXPECT_EQ(crash(0), 0); }
