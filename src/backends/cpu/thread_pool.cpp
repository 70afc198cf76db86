#include "backends/cpu/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace kiln::backends::cpu
{

struct ThreadPool::Job
{
    const std::function<void(int64_t, int64_t)>* fn{nullptr};
    int64_t n{0};
    int64_t chunk{1};
    int64_t nbChunks{0};
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> done{0};
    std::atomic<int32_t> helpers{0}; // workers currently inside runChunks for this job
    std::mutex mutex;
    std::condition_variable finished;
};

ThreadPool::ThreadPool(int32_t threads)
    : mSize(std::max(threads, 1))
{
    for (int32_t i = 1; i < mSize; ++i)
        mWorkers.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mStop = true;
    }
    mWake.notify_all();
    for (auto& w : mWorkers)
        w.join();
}

ThreadPool& ThreadPool::global()
{
    static ThreadPool pool([] {
        if (const char* env = std::getenv("KILN_NUM_THREADS"))
        {
            const int v = std::atoi(env);
            if (v > 0)
                return v;
        }
        const unsigned hw = std::thread::hardware_concurrency();
        return static_cast<int32_t>(hw ? hw : 1);
    }());
    return pool;
}

void ThreadPool::runChunks(Job& job)
{
    for (;;)
    {
        const int64_t c = job.next.fetch_add(1);
        if (c >= job.nbChunks)
            return;
        const int64_t begin = c * job.chunk;
        const int64_t end = std::min(job.n, begin + job.chunk);
        (*job.fn)(begin, end);
        if (job.done.fetch_add(1) + 1 == job.nbChunks)
        {
            std::lock_guard<std::mutex> lock(job.mutex);
            job.finished.notify_all();
        }
    }
}

void ThreadPool::workerLoop()
{
    for (;;)
    {
        Job* job = nullptr;
        {
            std::unique_lock<std::mutex> lock(mMutex);
            mWake.wait(lock, [this] { return mStop || !mQueue.empty(); });
            if (mStop && mQueue.empty())
                return;
            job = mQueue.front();
            // Leave the job queued while chunks remain so other workers can join it.
            if (job->next.load() >= job->nbChunks)
            {
                mQueue.pop_front();
                continue;
            }
            job->helpers.fetch_add(1);
        }
        runChunks(*job);
        {
            std::lock_guard<std::mutex> lock(mMutex);
            auto it = std::find(mQueue.begin(), mQueue.end(), job);
            if (it != mQueue.end())
                mQueue.erase(it);
        }
        {
            std::lock_guard<std::mutex> lock(job->mutex);
            job->helpers.fetch_sub(1);
            job->finished.notify_all();
        }
    }
}

void ThreadPool::parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn)
{
    if (n <= 0)
        return;
    grain = std::max<int64_t>(grain, 1);
    const int64_t maxChunks = static_cast<int64_t>(mSize) * 4;
    const int64_t chunk = std::max(grain, (n + maxChunks - 1) / maxChunks);
    const int64_t nbChunks = (n + chunk - 1) / chunk;
    if (mSize == 1 || nbChunks == 1)
    {
        fn(0, n);
        return;
    }
    Job job;
    job.fn = &fn;
    job.n = n;
    job.chunk = chunk;
    job.nbChunks = nbChunks;
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mQueue.push_back(&job);
    }
    mWake.notify_all();
    runChunks(job);
    {
        std::lock_guard<std::mutex> lock(mMutex);
        auto it = std::find(mQueue.begin(), mQueue.end(), &job);
        if (it != mQueue.end())
            mQueue.erase(it);
    }
    // Wait until every chunk ran and no worker still holds a reference to the job.
    std::unique_lock<std::mutex> lock(job.mutex);
    job.finished.wait(lock, [&] { return job.done.load() == job.nbChunks && job.helpers.load() == 0; });
}

} // namespace kiln::backends::cpu
