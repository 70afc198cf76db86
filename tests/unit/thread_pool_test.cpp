// ThreadPool: every index exactly once, from several callers at once, with any pool size.
#include "backends/cpu/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace
{

using kiln::backends::cpu::ThreadPool;

TEST(ThreadPool, CoversEveryIndexOnce)
{
    for (int32_t threads : {1, 2, 5})
    {
        ThreadPool pool(threads);
        for (int64_t n : {0, 1, 7, 1000, 12345})
            for (int64_t grain : {1, 16, 5000})
            {
                std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
                pool.parallelFor(n, grain, [&](int64_t begin, int64_t end) {
                    ASSERT_LE(0, begin);
                    ASSERT_LE(begin, end);
                    ASSERT_LE(end, n);
                    for (int64_t i = begin; i < end; ++i)
                        hits[static_cast<size_t>(i)].fetch_add(1);
                });
                for (int64_t i = 0; i < n; ++i)
                    ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << "threads " << threads << " n " << n << " i " << i;
            }
    }
}

TEST(ThreadPool, ConcurrentCallersAndNesting)
{
    ThreadPool pool(3);
    std::atomic<int64_t> total{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < 4; ++c)
        callers.emplace_back([&] {
            for (int round = 0; round < 50; ++round)
                pool.parallelFor(100, 1, [&](int64_t b, int64_t e) {
                    // A nested loop from inside a chunk must not deadlock.
                    pool.parallelFor(e - b, 1, [&](int64_t nb, int64_t ne) { total.fetch_add(ne - nb); });
                });
        });
    for (auto& t : callers)
        t.join();
    EXPECT_EQ(total.load(), 4 * 50 * 100);
}

} // namespace
