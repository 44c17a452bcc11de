#pragma once
// Callers of add_node and remove_node waiting for their configuration change to be applied:
// answered once the applied configuration shows it, or Unavailable at the deadline (the proposal
// was dropped with a leader change, or there is no quorum), never on the proposal alone. An
// operator (or a tool) that stops a node once its removal is answered must not shrink the quorum
// by stopping a voter whose removal was lost (the fault bed did, and a cluster of 3 live voters
// out of 6 stopped for good). Kafka's RemoveRaftVoter/AddRaftVoter (KIP-853) also answer once
// the change is committed. Raft thread only.

#include "common/Status.h"

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace skiff::cluster {

class Membership;

class MembershipWaits {
public:
    using Reached = std::function<bool(const Membership &)>;
    using Done = std::function<void(Status)>;

    // `what` completes the timeout's message: "the removal of node 4".
    void add(Reached reached, std::string what, QPointer<QObject> context, Done done, int64_t deadlineMs);
    // After a configuration change or snapshot was applied, and on each tick: answers the waits
    // `membership` satisfies (ok) and those past their deadline (Unavailable).
    void settle(const Membership &membership, int64_t nowMs);
    void failAll(const Status &status);
    size_t pending() const { return m_waits.size(); }

private:
    struct Wait {
        Reached reached;
        std::string what;
        QPointer<QObject> context;
        Done done;
        int64_t deadlineMs = 0;
    };
    std::vector<Wait> m_waits;
};

} // namespace skiff::cluster
