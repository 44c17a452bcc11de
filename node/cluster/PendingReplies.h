#pragma once
// Callers on other threads waiting for an answer the Raft thread gives later: each gets a request
// id; the answer is posted to the caller's thread (dropped if its context is gone); one not
// answered by its deadline gets the timeout answer: never lost silently. The one bookkeeping
// behind ProposalTracker (proposals waiting to be applied) and QuorumRequests (DescribeQuorum
// forwarded to the leader). Raft thread only.

#include "metadata/MetadataController.h"

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

namespace skiff::cluster {

template <class Reply>
class PendingReplies {
public:
    using Done = std::function<void(Reply)>;

    uint64_t add(QPointer<QObject> context, Done done, int64_t deadlineMs)
    {
        const uint64_t id = m_nextId++;
        m_pending.emplace(id, Pending{std::move(context), std::move(done), deadlineMs});
        return id;
    }
    // Answers `requestId` (dropped when it was answered already: it expired, and its caller may
    // have retried).
    void complete(uint64_t requestId, Reply reply)
    {
        auto it = m_pending.find(requestId);
        if (it == m_pending.end())
            return;
        Pending p = std::move(it->second);
        m_pending.erase(it);
        post(p, std::move(reply));
    }
    // Answers every request whose deadline passed with `timedOut`; returns how many.
    size_t expire(int64_t nowMs, const Reply &timedOut)
    {
        size_t n = 0;
        for (auto it = m_pending.begin(); it != m_pending.end();) {
            if (it->second.deadlineMs > nowMs) {
                ++it;
                continue;
            }
            Pending p = std::move(it->second);
            it = m_pending.erase(it);
            post(p, timedOut);
            ++n;
        }
        return n;
    }
    void failAll(const Reply &reply)
    {
        auto pending = std::move(m_pending);
        m_pending.clear();
        for (auto &[id, p] : pending)
            post(p, reply);
    }
    size_t pending() const { return m_pending.size(); }
    bool contains(uint64_t requestId) const { return m_pending.contains(requestId); }

private:
    struct Pending {
        QPointer<QObject> context;
        Done done;
        int64_t deadlineMs;
    };
    static void post(Pending &p, Reply reply)
    {
        if (!p.done)
            return;
        metadata::postTo(p.context, [done = std::move(p.done), reply = std::move(reply)]() { done(reply); });
    }

    uint64_t m_nextId = 1;
    std::map<uint64_t, Pending> m_pending;
};

} // namespace skiff::cluster
