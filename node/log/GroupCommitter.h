#pragma once
// Group commit: one thread that makes appended data durable for many requests with few
// fdatasyncs. Each round takes ALL pending requests, syncs every distinct log once (its rolled
// segments too), then runs the callbacks; requests arriving during a round's fdatasyncs wait
// for the next round, which is what groups them.
//
// Interval mode (flushIntervalMs > 0, the relaxed setting): requestSync calls `done` with ok at
// once on the caller's thread and only remembers the log; every flushIntervalMs the thread
// syncs all remembered dirty logs.

#include "common/Status.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace skiff::log {

class PartitionLog;

class GroupCommitter {
public:
    struct Options {
        int64_t flushIntervalMs = 0; // 0 = sync on request (group commit)
        // Called on the committer thread with the duration of each log's sync that issued at
        // least one fdatasync (metrics histogram).
        std::function<void(int64_t micros)> fsyncLatencyHook;
    };

    GroupCommitter();
    explicit GroupCommitter(Options options);
    ~GroupCommitter(); // stop()
    GroupCommitter(const GroupCommitter &) = delete;
    GroupCommitter &operator=(const GroupCommitter &) = delete;

    void start();
    // Serves what is pending (a final sync), then joins the thread. Later requests get
    // Unavailable immediately. Not from a callback (it runs on the thread being joined).
    void stop();

    // Thread-safe. `done` runs on the committer thread (group mode) with the sync's Status;
    // when it runs, log->durableEndOffset() covers everything appended before this call.
    // `done` may be empty (fire and forget, e.g. interval mode just marking the log dirty).
    void requestSync(std::shared_ptr<PartitionLog> log, std::function<void(Status)> done);

    uint64_t syncRounds() const;     // rounds run (each serves every request pending at its start)
    uint64_t fsyncCalls() const;     // fdatasync calls on log files
    uint64_t requestsServed() const; // callbacks invoked

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace skiff::log
