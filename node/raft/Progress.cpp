#include "raft/Progress.h"

#include <algorithm>

namespace skiff::raft {

const char *progressStateName(ProgressState s)
{
    switch (s) {
    case ProgressState::Probe: return "probe";
    case ProgressState::Replicate: return "replicate";
    case ProgressState::Snapshot: return "snapshot";
    }
    return "?";
}

void Progress::becomeProbe()
{
    // Coming back from a snapshot, resume right after it (if the follower has not said more).
    if (m_state == ProgressState::Snapshot) {
        const uint64_t pending = m_pendingSnapshot;
        m_state = ProgressState::Probe;
        m_next = std::max(m_match + 1, pending + 1);
    } else {
        m_state = ProgressState::Probe;
        m_next = m_match + 1;
    }
    m_probeSent = false;
    m_pendingSnapshot = 0;
    m_inflights.reset();
}

void Progress::becomeReplicate()
{
    m_state = ProgressState::Replicate;
    m_next = m_match + 1;
    m_probeSent = false;
    m_pendingSnapshot = 0;
    m_inflights.reset();
}

void Progress::becomeSnapshot(uint64_t snapshotIndex)
{
    m_state = ProgressState::Snapshot;
    m_probeSent = false;
    m_pendingSnapshot = snapshotIndex;
    m_inflights.reset();
}

bool Progress::maybeUpdate(uint64_t n)
{
    bool updated = false;
    if (m_match < n) {
        m_match = n;
        updated = true;
        m_probeSent = false;
    }
    m_next = std::max(m_next, n + 1);
    return updated;
}

bool Progress::maybeDecrTo(uint64_t rejected, uint64_t hint)
{
    if (m_state == ProgressState::Replicate) {
        // A rejection of something already matched is stale (reordered).
        if (rejected <= m_match)
            return false;
        m_next = m_match + 1;
        return true;
    }
    // In probe state only the rejection of our latest probe counts.
    if (m_next == 0 || m_next - 1 != rejected)
        return false;
    m_next = std::max<uint64_t>(std::min(rejected, hint + 1), 1);
    m_probeSent = false;
    return true;
}

bool Progress::isPaused() const
{
    switch (m_state) {
    case ProgressState::Probe: return m_probeSent;
    case ProgressState::Replicate: return m_inflights.full();
    case ProgressState::Snapshot: return true;
    }
    return true;
}

} // namespace skiff::raft
