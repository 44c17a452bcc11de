#pragma once
// What this broker knows, as leader, of its followers: per partition it leads, the high
// watermark, its own log end and each follower's position, lag and when it was last caught up.
// Published by the ReplicaManager on the kafka thread about once a second, read from any thread
// (the admin socket, /metrics) as an immutable snapshot. Only leaders know follower positions:
// a view of the whole cluster merges every node's.

#include "sync/ThreadAnnotations.h"
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace skiff::kafka {

struct ReplicaProgress {
    uint64_t broker = 0;
    int64_t position = -1;        // its durable log end as its last fetch said; -1: no fetch this epoch
    int64_t lag = 0;              // the leader's log end minus position (messages)
    int64_t caughtUpAgoMs = -1;   // since it was last caught up; -1: not in this epoch
    bool inIsr = false;
};

struct LedPartition {
    std::string topic;
    int32_t partition = 0;
    int32_t leaderEpoch = 0;
    int64_t highWatermark = 0;
    int64_t logEnd = 0;
    std::vector<ReplicaProgress> followers;   // in replica order, the leader left out
};

using LedPartitions = std::shared_ptr<const std::vector<LedPartition>>;

class ReplicationView {
public:
    void publish(std::vector<LedPartition> led)
    {
        auto next = std::make_shared<const std::vector<LedPartition>>(std::move(led));
        sync::TrackedLock lock(m_mutex);
        m_led = std::move(next);
    }
    LedPartitions snapshot() const
    {
        sync::TrackedLock lock(m_mutex);
        return m_led ? m_led : std::make_shared<const std::vector<LedPartition>>();
    }

private:
    // Lock "ReplicationView::mutex": held only to swap or copy the pointer.
    mutable sync::TrackedMutex m_mutex{"ReplicationView::mutex"};
    LedPartitions m_led GUARDED_BY(m_mutex);
};

} // namespace skiff::kafka
