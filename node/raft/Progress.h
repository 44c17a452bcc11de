#pragma once
// The leader's view of one peer: how much of the log it has (match), what to send next, and in
// which mode (probe: one message at a time until we find where logs agree; replicate: pipelined
// up to the inflight limit; snapshot: waiting for a snapshot to be applied).

#include "raft/Inflights.h"

#include <cstdint>

namespace skiff::raft {

enum class ProgressState { Probe, Replicate, Snapshot };
const char *progressStateName(ProgressState s);

class Progress {
public:
    Progress(uint64_t next, size_t maxInflight, bool isLearner)
        : m_next(next), m_inflights(maxInflight), m_isLearner(isLearner) {}

    uint64_t match() const { return m_match; }
    uint64_t next() const { return m_next; }
    ProgressState state() const { return m_state; }
    uint64_t pendingSnapshot() const { return m_pendingSnapshot; }
    bool recentActive() const { return m_recentActive; }
    bool isLearner() const { return m_isLearner; }
    uint64_t lastContactTick() const { return m_lastContactTick; }
    Inflights &inflights() { return m_inflights; }
    const Inflights &inflights() const { return m_inflights; }

    void setMatch(uint64_t m) { m_match = m; }
    void setLearner(bool learner) { m_isLearner = learner; }
    void setRecentActive(bool active) { m_recentActive = active; }
    void markContact(uint64_t tick) { m_recentActive = true; m_lastContactTick = tick; }
    void setLastContactTick(uint64_t tick) { m_lastContactTick = tick; }
    void pauseProbe() { m_probeSent = true; }
    void resume() { m_probeSent = false; }

    void becomeProbe();
    void becomeReplicate();
    void becomeSnapshot(uint64_t snapshotIndex);
    // An append up to n was acknowledged; returns true if match advanced.
    bool maybeUpdate(uint64_t n);
    void optimisticUpdate(uint64_t n) { m_next = n + 1; }
    // The follower rejected an append at rejected; hint is its best guess of the match.
    bool maybeDecrTo(uint64_t rejected, uint64_t hint);
    bool isPaused() const;

private:
    uint64_t m_match = 0;
    uint64_t m_next;
    ProgressState m_state = ProgressState::Probe;
    uint64_t m_pendingSnapshot = 0;
    bool m_recentActive = false;
    bool m_probeSent = false;
    Inflights m_inflights;
    bool m_isLearner;
    uint64_t m_lastContactTick = 0;
};

} // namespace skiff::raft
