#pragma once
// A point-in-time view of a node for operators and tests (RawNode::status()).

#include "raft/Progress.h"
#include "raft/Role.h"

#include <cstdint>
#include <vector>

namespace skiff::raft {

struct PeerStatus {
    uint64_t id = 0;
    uint64_t match = 0;
    uint64_t next = 0;
    ProgressState state = ProgressState::Probe;
    bool isLearner = false;
    bool recentActive = false;
    uint64_t ticksSinceContact = 0;  // ticks since the last response (0 if never heard from)
    uint64_t pendingSnapshot = 0;
    size_t inflight = 0;
};

struct RaftStatus {
    uint64_t id = 0;
    Role role = Role::Follower;
    uint64_t term = 0;
    uint64_t vote = 0;
    uint64_t leader = 0;
    uint64_t commit = 0;
    uint64_t applied = 0;
    uint64_t lastIndex = 0;
    uint64_t leadTransferee = 0;
    std::vector<uint64_t> voters;          // the (incoming) voters
    std::vector<uint64_t> votersOutgoing;  // non-empty while in a joint configuration
    std::vector<uint64_t> learners;
    std::vector<PeerStatus> progress;  // leader only, one per member including itself
};

} // namespace skiff::raft
