// What multi-threaded C++ leans on, across objects: std::thread,
// std::mutex, std::function, thread_local objects whose constructors run
// in each thread on first use and whose destructors run at that thread's
// exit, virtual inheritance, init_priority, and an exception that unwinds
// through C frames (cframes.c). Threads run one at a time, so the output
// is deterministic.
#include <cstdio>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern "C" int c_apply(int (*callback)(int), int x); // cframes.c

static std::mutex out_mutex;

static void say(const std::string &s)
{
    std::lock_guard<std::mutex> lock(out_mutex);
    std::printf("%s\n", s.c_str());
}

struct PerThread {
    std::string who = "unnamed";
    PerThread() { say("thread_local constructed"); }
    ~PerThread() { say("thread_local destroyed: " + who); }
};
static thread_local PerThread per_thread;
static thread_local std::vector<int> per_thread_list = {1, 2, 3};

struct Early {
    Early() { std::puts("init_priority(200) runs first"); }
};
struct Late {
    Late() { std::puts("init_priority(300) runs second"); }
};
Late late __attribute__((init_priority(300)));
Early early __attribute__((init_priority(200)));

struct Animal {
    virtual ~Animal() {}
    int legs = 4;
    virtual std::string kind() const { return "animal"; }
};
struct Pet : virtual Animal {
    std::string kind() const override { return "pet"; }
};
struct Working : virtual Animal {
    int hours = 8;
};
struct Dog : Pet, Working {
    std::string kind() const override { return "dog"; }
};

static int double_small(int x)
{
    if (x > 10)
        throw std::out_of_range("thrown through C with " + std::to_string(x));
    return 2 * x;
}

void run_threads()
{
    int total = 0;
    std::mutex total_mutex;
    std::function<void(int)> work = [&](int id) {
        per_thread.who = "worker " + std::to_string(id);
        per_thread_list.push_back(id);
        std::lock_guard<std::mutex> lock(total_mutex);
        total += id * (int)per_thread_list.size();
    };
    for (int id = 1; id <= 3; id++)
        std::thread(work, id).join();
    per_thread.who = "main";
    say("total " + std::to_string(total) + ", main's list " + std::to_string(per_thread_list.size()));

    Dog dog;
    Animal *animal = static_cast<Pet *>(&dog);
    Working *working = dynamic_cast<Working *>(animal);
    say(animal->kind() + " legs " + std::to_string(animal->legs) + " hours " +
        std::to_string(working ? working->hours : -1));

    say("through C: " + std::to_string(c_apply(double_small, 4)));
    try {
        c_apply(double_small, 50);
    } catch (const std::out_of_range &e) {
        say(std::string("caught ") + e.what());
    }
}
