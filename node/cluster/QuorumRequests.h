#pragma once
// DescribeQuorum requests this node forwarded to the leader and waits to answer (QuorumView.h).
// Each gets a request id echoed by the leader's QuorumReply; one not answered by its deadline
// (the leader died or the link is down) is answered Unavailable: never lost silently. Raft
// thread only (see ProposalTracker, the same for proposals).

#include "common/Status.h"
#include "metadata/QuorumDescription.h"

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <functional>
#include <map>

namespace skiff::cluster {

class QuorumRequests {
public:
    using Done = std::function<void(Result<metadata::QuorumDescription>)>;

    uint64_t add(QPointer<QObject> context, Done done, int64_t deadlineMs);
    // Answers the request `requestId` (dropped if it was answered already: expired).
    void complete(uint64_t requestId, Result<metadata::QuorumDescription> result);
    // Answers every request whose deadline passed.
    void expire(int64_t nowMs);
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

// Posts `result` to `done` on `context`'s thread, dropping it if `context` is gone.
void replyOn(const QPointer<QObject> &context, QuorumRequests::Done done, Result<metadata::QuorumDescription> result);

} // namespace skiff::cluster
