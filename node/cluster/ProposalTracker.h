#pragma once
// Proposals of this node that wait to be applied. Each gets a request id that travels in the
// command's ProposalTag; when this node applies an entry carrying its own id and incarnation, the
// waiting caller is answered. A proposal that is not applied within the timeout (lost with a
// leader change, or no quorum) is answered Unavailable so the caller can retry: never lost
// silently. Raft thread only.

#include "cluster/PendingReplies.h"
#include "metadata/MetadataStateMachine.h"

namespace skiff::cluster {

class ProposalTracker : public PendingReplies<metadata::ApplyResult> {
public:
    void fail(uint64_t requestId, const Status &status) { complete(requestId, {status}); }
    // Answers every proposal whose deadline passed; returns how many.
    size_t expire(int64_t nowMs);
    void failAll(const Status &status) { PendingReplies::failAll({status}); }
};

} // namespace skiff::cluster
