#include "log/GroupCommitter.h"

#include "log/PartitionLog.h"
#include "sync/ThreadAnnotations.h"
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace skiff::log {

struct GroupCommitter::Impl {
    struct Request {
        std::shared_ptr<PartitionLog> log;
        std::function<void(Status)> done;
    };

    Options options;
    // Lock "GroupCommitter::Impl::mutex": guards pending, dirty, started, stopping.
    sync::TrackedMutex mutex{"GroupCommitter::Impl::mutex"};
    std::condition_variable_any wake;
    std::vector<Request> pending GUARDED_BY(mutex);
    std::unordered_map<PartitionLog *, std::weak_ptr<PartitionLog>> dirty GUARDED_BY(mutex); // interval mode
    bool started GUARDED_BY(mutex) = false;
    bool stopping GUARDED_BY(mutex) = false;
    std::thread thread;

    std::atomic<uint64_t> rounds{0};
    std::atomic<uint64_t> fsyncs{0};
    std::atomic<uint64_t> served{0};

    Status syncOne(PartitionLog &log)
    {
        auto t0 = std::chrono::steady_clock::now();
        int calls = 0;
        Status s = log.sync(&calls);
        if (calls > 0) {
            fsyncs += static_cast<uint64_t>(calls);
            if (options.fsyncLatencyHook)
                options.fsyncLatencyHook(
                    std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
        }
        return s; // PartitionLog::sync logged the failure once when it happened
    }

    void runGroupMode()
    {
        std::vector<Request> batch;
        for (;;) {
            {
                sync::TrackedLock lock(mutex);
                wake.wait(lock, [&]() REQUIRES(mutex) { return stopping || !pending.empty(); });
                if (pending.empty())
                    return; // stopping and nothing left
                batch.swap(pending);
            }
            std::unordered_map<PartitionLog *, Status> results;
            for (const auto &r : batch)
                if (!results.count(r.log.get()))
                    results.emplace(r.log.get(), syncOne(*r.log));
            ++rounds;
            for (auto &r : batch) {
                if (r.done)
                    r.done(results[r.log.get()]);
                ++served;
            }
            batch.clear();
        }
    }

    void runIntervalMode()
    {
        for (;;) {
            std::unordered_map<PartitionLog *, std::weak_ptr<PartitionLog>> logs;
            bool exiting;
            {
                sync::TrackedLock lock(mutex);
                wake.wait_for(lock, std::chrono::milliseconds(options.flushIntervalMs), [&]() REQUIRES(mutex) { return stopping; });
                exiting = stopping;
                logs.swap(dirty);
            }
            bool any = false;
            for (auto &[ptr, weak] : logs) {
                if (auto log = weak.lock()) {
                    (void)syncOne(*log); // failures are logged; the data stays dirty for the next tick
                    any = true;
                }
            }
            if (any)
                ++rounds;
            if (exiting)
                return;
        }
    }
};

GroupCommitter::GroupCommitter() : GroupCommitter(Options()) {}

GroupCommitter::GroupCommitter(Options options) : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::start()
{
    sync::TrackedLock lock(m_impl->mutex);
    if (m_impl->started)
        return;
    m_impl->started = true;
    Impl *impl = m_impl.get();
    m_impl->thread = std::thread([impl] {
        if (impl->options.flushIntervalMs > 0)
            impl->runIntervalMode();
        else
            impl->runGroupMode();
    });
}

void GroupCommitter::stop()
{
    {
        sync::TrackedLock lock(m_impl->mutex);
        if (!m_impl->started || m_impl->stopping)
            return;
        m_impl->stopping = true;
    }
    m_impl->wake.notify_all();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

void GroupCommitter::requestSync(std::shared_ptr<PartitionLog> log, std::function<void(Status)> done)
{
    bool running;
    {
        sync::TrackedLock lock(m_impl->mutex);
        running = m_impl->started && !m_impl->stopping;
        if (running && m_impl->options.flushIntervalMs <= 0) {
            m_impl->pending.push_back({std::move(log), std::move(done)});
            m_impl->wake.notify_one();
            return;
        }
        if (running)
            m_impl->dirty.insert_or_assign(log.get(), log);
    }
    // Callbacks run outside the lock: they may well issue the next request.
    if (done) {
        if (!running)
            done(unavailable("group committer is not running; sync request for " + log->dir() + " not served"));
        else
            done(Status::ok()); // interval mode: durability is relaxed by configuration
    }
    ++m_impl->served;
}

uint64_t GroupCommitter::syncRounds() const { return m_impl->rounds.load(); }
uint64_t GroupCommitter::fsyncCalls() const { return m_impl->fsyncs.load(); }
uint64_t GroupCommitter::requestsServed() const { return m_impl->served.load(); }

} // namespace skiff::log
