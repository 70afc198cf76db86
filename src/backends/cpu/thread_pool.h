// ThreadPool: the one pool every CPU kernel runs on. parallelFor may be called from several threads
// at once (one per execution context); the calling thread always works on its own loop too, so a
// call never waits on work it cannot help with.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln::backends::cpu
{

class ThreadPool
{
public:
    //! \p threads counts the calling thread: a pool of 1 runs everything inline.
    explicit ThreadPool(int32_t threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    //! The process-wide pool: KILN_NUM_THREADS threads if set, else one per hardware thread.
    static ThreadPool& global();
    int32_t size() const { return mSize; }

    //! Calls fn(begin, end) on disjoint ranges covering [0, n), each at least \p grain long
    //! (except the last), and returns when all are done.
    void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

private:
    struct Job;
    void workerLoop();
    static void runChunks(Job& job);

    int32_t mSize;
    std::vector<std::thread> mWorkers;
    std::mutex mMutex;
    std::condition_variable mWake;
    std::deque<Job*> mQueue;
    bool mStop{false};
};

} // namespace kiln::backends::cpu
