// Cost of a lock/unlock pair: std::mutex vs TrackedMutex with the witness off and on,
// uncontended (one thread), uncontended while another tracked lock is held (the witness checks
// an order edge), and contended (two threads on one mutex). Prints ns per pair.
//
//   sync_bench [pairs per thread, default 2000000]

#include "sync/FastClock.h"
#include "sync/TrackedMutex.h"
#include "sync/Witness.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

using namespace skiff::sync;

namespace {

volatile long g_sink = 0; // keeps the critical section from being optimised away

template <class Mutex>
void lockUnlock(Mutex &mutex, long iterations)
{
    for (long i = 0; i < iterations; ++i) {
        mutex.lock();
        g_sink = g_sink + 1;
        mutex.unlock();
    }
}

template <class Mutex>
double nsPerPair(Mutex &mutex, int threads, long iterations)
{
    lockUnlock(mutex, iterations / 10); // warm up (first-use registration, caches)
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&] { lockUnlock(mutex, iterations); });
    for (auto &w : workers)
        w.join();
    const auto elapsed = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start);
    return elapsed.count() / double(iterations * threads);
}

// Same, with another lock of the same kind held around the loop.
template <class Mutex>
double nsPerPairNested(Mutex &outer, Mutex &inner, long iterations)
{
    outer.lock();
    const double ns = nsPerPair(inner, 1, iterations);
    outer.unlock();
    return ns;
}

struct Row {
    const char *name;
    double uncontended;
    double nested;
    double contended;
};

} // namespace

int main(int argc, char **argv)
{
    const long iterations = argc > 1 ? std::atol(argv[1]) : 2'000'000;

    std::vector<Row> rows;
    {
        std::mutex m, outer;
        rows.push_back({"std::mutex", nsPerPair(m, 1, iterations), nsPerPairNested(outer, m, iterations),
                        nsPerPair(m, 2, iterations)});
    }
    for (const bool witness : {false, true}) {
        setWitnessEnabled(witness);
        TrackedMutex m{witness ? "bench-on" : "bench-off"};
        TrackedMutex outer{witness ? "bench-on-outer" : "bench-off-outer"};
        rows.push_back({witness ? "TrackedMutex, witness on" : "TrackedMutex, witness off", nsPerPair(m, 1, iterations),
                        nsPerPairNested(outer, m, iterations), nsPerPair(m, 2, iterations)});
    }
    setWitnessEnabled(true);

    std::printf("lock+unlock pair, ns (%ld pairs per thread, %u hardware threads, lock clock: %s)\n", iterations,
                std::thread::hardware_concurrency(), skiff::sync::detail::fastClockSource());
    std::printf("%-28s %14s %22s %22s\n", "", "uncontended", "nested (1 lock held)", "contended (2 threads)");
    for (const Row &row : rows)
        std::printf("%-28s %14.1f %22.1f %22.1f\n", row.name, row.uncontended, row.nested, row.contended);
    return 0;
}
