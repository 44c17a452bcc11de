#pragma once
// Proposals of this node that wait to be applied. Each gets a request id that travels in the
// command's ProposalTag; when this node applies an entry carrying its own id and incarnation, the
// waiting caller is answered. A proposal that is not applied within the timeout (lost with a
// leader change, or no quorum) is answered Unavailable so the caller can retry: never lost
// silently. Raft thread only.

#include "metadata/MetadataStateMachine.h"

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <functional>
#include <map>

namespace skiff::cluster {

class ProposalTracker {
public:
    using Done = std::function<void(metadata::ApplyResult)>;

    uint64_t add(QPointer<QObject> context, Done done, int64_t deadlineMs);
    // The entry tagged with `requestId` was applied: answers its caller (if it still waits).
    void complete(uint64_t requestId, metadata::ApplyResult result);
    void fail(uint64_t requestId, const Status &status);
    // Answers every proposal whose deadline passed; returns how many.
    size_t expire(int64_t nowMs);
    void failAll(const Status &status);
    size_t pending() const { return m_pending.size(); }

private:
    struct Pending {
        QPointer<QObject> context;
        Done done;
        int64_t deadlineMs;
    };
    uint64_t m_nextId = 1;
    std::map<uint64_t, Pending> m_pending;
};

} // namespace skiff::cluster
