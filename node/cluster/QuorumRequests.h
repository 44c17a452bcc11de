#pragma once
// DescribeQuorum requests this node forwarded to the leader and waits to answer (QuorumView.h).
// Each gets a request id echoed by the leader's QuorumReply; one not answered by its deadline
// (the leader died or the link is down) is answered Unavailable: never lost silently. Raft
// thread only (PendingReplies, as ProposalTracker for proposals).

#include "cluster/PendingReplies.h"
#include "common/Status.h"
#include "metadata/QuorumDescription.h"

#include <QObject>
#include <QPointer>

namespace skiff::cluster {

class QuorumRequests : public PendingReplies<Result<metadata::QuorumDescription>> {
public:
    // Answers every request whose deadline passed (Unavailable).
    void expire(int64_t nowMs);
    void failAll(const Status &status) { PendingReplies::failAll(status); }
};

// Posts `result` to `done` on `context`'s thread, dropping it if `context` is gone.
void replyOn(const QPointer<QObject> &context, QuorumRequests::Done done, Result<metadata::QuorumDescription> result);

} // namespace skiff::cluster
