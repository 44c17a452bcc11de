#pragma once
// The metadata quorum as its leader sees it, for Kafka's DescribeQuorum (KIP-595, KIP-836): who
// leads in which term, what is committed, and how far each voter and observer (Raft learner) has
// replicated. Offsets are Kafka's: the metadata log's Raft index i is offset i-1, so a log end
// offset is a last index and the high watermark is the commit index.

#include <cstdint>
#include <vector>

namespace skiff::metadata {

struct QuorumReplica {
    uint64_t id = 0;
    int64_t logEndOffset = -1;          // the leader's match index for it; -1 until it answered this term
    int64_t lastFetchUnixMs = -1;       // when it last answered the leader (the leader: now); -1: never this term
    int64_t lastCaughtUpUnixMs = -1;    // when it last had all the leader had (the leader: now); -1: never
    bool operator==(const QuorumReplica &) const = default;
};

struct QuorumDescription {
    uint64_t leaderId = 0;
    uint64_t term = 0;
    uint64_t highWatermark = 0;
    std::vector<QuorumReplica> voters;
    std::vector<QuorumReplica> observers;
    bool operator==(const QuorumDescription &) const = default;
};

} // namespace skiff::metadata
