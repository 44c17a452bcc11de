#pragma once
// This broker's lease on its partition leaderships. A broker that has lost touch with the
// controller may already be fenced, and its partitions led by others: a process resumed after a
// SIGSTOP, or a node cut off from the quorum, still holds the image that names it leader. Until it
// learns better it would answer a consumer's Fetch with OFFSET_OUT_OF_RANGE for offsets the new
// leader wrote (clients without KIP-320 then reset to the earliest offset), take acks=1 writes
// that are lost, and serve group offsets that moved on. The lease closes that window: the
// broker leads nothing (NOT_LEADER_OR_FOLLOWER, NOT_COORDINATOR) once it expires.
//
// Why the rule is safe: the controller fences a broker only when it has heard no heartbeat from
// it for broker.session.timeout.ms (and a new controller gives every broker that long from its
// election). So a heartbeat sent at t and answered "not fenced" proves no fence can take effect
// before t + session timeout, by this broker's clock (both clocks are monotonic; their rates
// differ by far less than the margin kept). The lease starts at t only once this node has applied
// the commit index the answer carried, so every change the controller made before answering is
// known here. The controller itself has no one to answer its heartbeat: its lease starts when a
// quorum confirms its leadership (a ReadIndex issued at t); a new controller can only be elected
// after that quorum answered, so it too fences this broker no earlier than t + session timeout.
//
// Pure logic with the clock passed in; Raft thread only.

#include <cstdint>
#include <deque>
#include <utility>

namespace skiff::cluster {

class BrokerLease {
public:
    // The lease lasts `sessionTimeoutMs` less a margin (a tenth, at least 100 ms, never below
    // half): clock rates and a fence decision taken between two of the controller's checks.
    explicit BrokerLease(int64_t sessionTimeoutMs);

    // A heartbeat sent at `sentMs` was answered "not fenced" by a controller whose commit index
    // was `commit` (or, on the controller, a ReadIndex issued at `sentMs` was confirmed at it).
    void confirmed(int64_t sentMs, uint64_t commit);
    // This node applied up to `applied`: confirmations up to it start the lease.
    void applied(uint64_t applied);

    bool held(int64_t nowMs) const { return m_startMs != kNever && nowMs < expiresAtMs(); }
    // kNever: no lease yet.
    int64_t expiresAtMs() const { return m_startMs == kNever ? kNever : m_startMs + m_durationMs; }
    int64_t durationMs() const { return m_durationMs; }

    static constexpr int64_t kNever = INT64_MIN / 4;

private:
    const int64_t m_durationMs;
    int64_t m_startMs = kNever;
    uint64_t m_applied = 0;
    std::deque<std::pair<int64_t, uint64_t>> m_waiting;   // (sent, commit) not applied yet, in arrival order
};

} // namespace skiff::cluster
