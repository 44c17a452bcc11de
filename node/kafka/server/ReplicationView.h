#pragma once
// What this broker knows, as leader, of its followers: per partition it leads, the high
// watermark, its own log end and each follower's position, lag and when it was last caught up;
// and its own log on disk (log start, bytes, segments), taken with the rest so that nobody walks
// the partition directories per request.
// Published by the ReplicaManager on the kafka thread about once a second, read from any thread
// (the admin socket, /metrics) as an immutable snapshot. Only leaders know follower positions:
// a view of the whole cluster merges every node's.

#include "kafka/server/PublishedView.h"

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
    int64_t logStart = 0;
    int64_t sizeBytes = 0;                    // every segment's .log file, indexes left out
    int32_t segments = 0;
};

using LedPartitions = PublishedView<LedPartition>::Snapshot;

class ReplicationView : public PublishedView<LedPartition> {
public:
    ReplicationView() : PublishedView("ReplicationView::mutex") {}
};

} // namespace skiff::kafka
