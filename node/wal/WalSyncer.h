#pragma once
// Group commit: one thread runs fdatasync on the active segment while the owner thread keeps
// appending. Every sync request queued while an fdatasync runs is answered by the NEXT one, so
// N requests during one slow fdatasync cost one more fdatasync, not N.
//
// Threads
//   owner thread (the one that calls Wal::append): noteWritten, noteRolled, noteTruncation,
//                 requestSync (requestSync may in fact be called from any thread)
//   syncer thread (owned here): runs fdatasync, then the callbacks, outside m_mutex
//   any thread:   durableIndex, failure
//
// Locking: m_mutex ("WalSyncer::m_mutex") protects m_written, m_file, m_truncatedTo,
// m_waiters, m_stop and m_failure. Every critical section only copies or swaps a few fields;
// nothing blocking (I/O, callbacks, user hooks) ever runs while it is held. m_durable is atomic
// so durableIndex() takes no lock; it is only written with m_mutex held.

#include "common/Status.h"
#include "metrics/Histogram.h"

#include <atomic>
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace skiff::wal {

class SegmentFile;

class WalSyncer {
public:
    // Runs on the syncer thread after the fdatasync that covers the request. durableIndex is the
    // durable index after it; a non-ok Status means the fdatasync failed and the WAL is unusable.
    // Keep it short and do not call Wal's write functions from it.
    using Callback = std::function<void(uint64_t durableIndex, Status status)>;

    WalSyncer(metrics::Histogram &fsyncLatency, std::function<void()> beforeFdatasync);
    ~WalSyncer(); // calls stop()

    // Answers every queued request (after a final fdatasync), then joins the thread. Idempotent.
    void stop();

    void start(std::shared_ptr<SegmentFile> file, uint64_t writtenSeq, uint64_t durableIndex);

    // Owner thread, after bytes were written: writtenSeq counts bytes written since open, lastIndex
    // is the log's last index once those bytes are on disk.
    void noteWritten(uint64_t writtenSeq, uint64_t lastIndex);
    // Owner thread, after switching to a new segment (the old one was fdatasync'ed by the owner).
    void noteRolled(std::shared_ptr<SegmentFile> file, uint64_t writtenSeq, uint64_t lastIndex);
    // Owner thread, BEFORE writing a truncation: entries above keptIndex are being replaced, so
    // they stop counting as durable, including for an fdatasync already in flight.
    void noteTruncation(uint64_t keptIndex);

    void requestSync(Callback callback);

    uint64_t durableIndex() const { return m_durable.load(std::memory_order_acquire); }
    Status failure() const;

private:
    void run();

    metrics::Histogram &m_fsyncLatency;
    std::function<void()> m_beforeFdatasync;

    mutable sync::TrackedMutex m_mutex{"WalSyncer::m_mutex"}; // see above
    std::condition_variable_any m_wake;
    std::shared_ptr<SegmentFile> m_file;
    uint64_t m_writtenSeq = 0;
    uint64_t m_writtenLastIndex = 0;
    uint64_t m_truncatedTo = UINT64_MAX; // lowest keptIndex since the in-flight fdatasync began
    std::vector<Callback> m_waiters;
    bool m_stop = false;
    Status m_failure;

    // Syncer thread only.
    uint64_t m_syncedSeq = 0;

    std::atomic<uint64_t> m_durable{0};
    std::thread m_thread;
};

} // namespace skiff::wal
