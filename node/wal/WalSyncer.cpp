#include "WalSyncer.h"

#include "SegmentFile.h"

#include <algorithm>
#include <chrono>

namespace skiff::wal {

WalSyncer::WalSyncer(metrics::Histogram &fsyncLatency, std::function<void()> beforeFdatasync)
    : m_fsyncLatency(fsyncLatency), m_beforeFdatasync(std::move(beforeFdatasync))
{
}

WalSyncer::~WalSyncer() { stop(); }

void WalSyncer::stop()
{
    {
        sync::TrackedLock lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void WalSyncer::start(std::shared_ptr<SegmentFile> file, uint64_t writtenSeq, uint64_t durableIndex)
{
    m_file = std::move(file);
    m_writtenSeq = m_syncedSeq = writtenSeq;
    m_writtenLastIndex = durableIndex;
    m_durable.store(durableIndex, std::memory_order_release);
    m_thread = std::thread([this] { run(); });
}

void WalSyncer::noteWritten(uint64_t writtenSeq, uint64_t lastIndex)
{
    sync::TrackedLock lock(m_mutex);
    m_writtenSeq = writtenSeq;
    m_writtenLastIndex = lastIndex;
}

void WalSyncer::noteRolled(std::shared_ptr<SegmentFile> file, uint64_t writtenSeq, uint64_t lastIndex)
{
    sync::TrackedLock lock(m_mutex);
    m_file = std::move(file);
    m_writtenSeq = writtenSeq;
    m_writtenLastIndex = lastIndex;
}

void WalSyncer::noteTruncation(uint64_t keptIndex)
{
    sync::TrackedLock lock(m_mutex);
    m_truncatedTo = std::min(m_truncatedTo, keptIndex);
    if (m_durable.load(std::memory_order_relaxed) > keptIndex)
        m_durable.store(keptIndex, std::memory_order_release);
}

void WalSyncer::requestSync(Callback callback)
{
    {
        sync::TrackedLock lock(m_mutex);
        m_waiters.push_back(std::move(callback));
    }
    m_wake.notify_one();
}

Status WalSyncer::failure() const
{
    sync::TrackedLock lock(m_mutex);
    return m_failure;
}

void WalSyncer::run()
{
    for (;;) {
        std::vector<Callback> waiters;
        std::shared_ptr<SegmentFile> file;
        uint64_t targetSeq = 0;
        uint64_t targetIndex = 0;
        Status status;
        {
            sync::TrackedLock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_waiters.empty(); });
            if (m_waiters.empty())
                return; // stopping, nothing left to answer
            // Everything written before this point is covered by the fdatasync below.
            waiters.swap(m_waiters);
            file = m_file;
            targetSeq = m_writtenSeq;
            targetIndex = m_writtenLastIndex;
            m_truncatedTo = UINT64_MAX;
            status = m_failure;
        }
        if (status.isOk() && targetSeq != m_syncedSeq) {
            if (m_beforeFdatasync)
                m_beforeFdatasync();
            const auto start = std::chrono::steady_clock::now();
            status = file->datasync();
            m_fsyncLatency.record(
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
        }
        uint64_t durable = 0;
        {
            sync::TrackedLock lock(m_mutex);
            if (status.isOk()) {
                m_syncedSeq = targetSeq;
                // A truncation after the capture replaced entries above m_truncatedTo: those
                // reached the disk in their old version only.
                const uint64_t covered = std::min(targetIndex, m_truncatedTo);
                if (covered > m_durable.load(std::memory_order_relaxed))
                    m_durable.store(covered, std::memory_order_release);
            } else if (m_failure.isOk()) {
                // After a failed fdatasync the page cache state is unknown (the kernel may have
                // dropped the dirty pages): never retry, make the failure sticky.
                m_failure = status.withContext("the WAL is unusable; restart the node to recover from disk");
            }
            durable = m_durable.load(std::memory_order_relaxed);
            if (!status.isOk())
                status = m_failure;
        }
        for (auto &cb : waiters)
            cb(durable, status);
    }
}

} // namespace skiff::wal
