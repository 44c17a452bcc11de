#pragma once
// Proposals of this node that wait to be applied. Each gets a request id that travels in the
// command's ProposalTag; when this node applies an entry carrying its own id and incarnation, the
// waiting caller is answered. A proposal that is not applied within the timeout (no quorum, or
// no leader for that long) is answered Unavailable so the caller can retry: never lost silently.
// Raft thread only.
//
// A follower forwards a proposal to the leader it knows, and the leader may be lost before the
// proposal is committed (stopped, crashed, or its term ended): the forward, or the leader's
// uncommitted entry, is gone. So this also remembers where each proposal went (Route) and says
// which to send (again) to the current leader (due): never sent yet (no leader was known, or one
// was transferring leadership), sent to a leader or term that is no longer current, sent over a
// link that went down since, or unanswered for the resend interval. Copies are harmless: each
// carries the first index a copy can occupy, and a leader appends one only when its log from
// there holds no copy (raft/RaftStep.cpp, dropResentCopies), so exactly one is committed and the
// caller is answered once, when this node applies it.

#include "cluster/PendingReplies.h"
#include "metadata/MetadataStateMachine.h"

#include <map>
#include <string>
#include <vector>

namespace skiff::cluster {

class ProposalTracker : public PendingReplies<metadata::ApplyResult> {
public:
    // Where a proposal was sent: the leader (this node when it leads) in its term.
    struct Route {
        uint64_t leader = 0;
        uint64_t term = 0;
        bool operator==(const Route &) const = default;
    };
    // A proposal to send now: its request id, the command with its tag, and the first index any
    // copy of it can occupy (one past the commit index this node knew when it was submitted).
    struct Outgoing {
        uint64_t id = 0;
        std::string data;
        uint64_t firstPossibleIndex = 0;
    };

    // Remembers what proposal `id` (from add()) sends, until it is answered.
    void track(uint64_t id, std::string data, uint64_t firstPossibleIndex);
    // The proposals to send to `route` now (see above); none while no leader is known.
    std::vector<Outgoing> due(Route route, int64_t nowMs, int64_t resendAfterMs) const;
    void sent(uint64_t id, Route route, int64_t nowMs);
    // The link to `peer` went down or came up: what was sent to it may not have arrived.
    void resendTo(uint64_t peer);

    void complete(uint64_t requestId, metadata::ApplyResult result);
    void fail(uint64_t requestId, const Status &status) { complete(requestId, {status}); }
    // Answers every proposal whose deadline passed; returns how many.
    size_t expire(int64_t nowMs);
    void failAll(const Status &status);

private:
    struct Tracked {
        std::string data;
        uint64_t firstPossibleIndex = 0;
        bool sent = false;
        Route route;
        int64_t sentAtMs = 0;
    };
    std::map<uint64_t, Tracked> m_tracked;
};

} // namespace skiff::cluster
