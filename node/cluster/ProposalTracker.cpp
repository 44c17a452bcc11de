#include "cluster/ProposalTracker.h"

#include "metadata/MetadataController.h"

namespace skiff::cluster {

uint64_t ProposalTracker::add(QPointer<QObject> context, Done done, int64_t deadlineMs)
{
    const uint64_t id = m_nextId++;
    m_pending.emplace(id, Pending{std::move(context), std::move(done), deadlineMs});
    return id;
}

void ProposalTracker::complete(uint64_t requestId, metadata::ApplyResult result)
{
    auto it = m_pending.find(requestId);
    if (it == m_pending.end())
        return;   // timed out earlier: the caller was told Unavailable and may have retried
    Pending p = std::move(it->second);
    m_pending.erase(it);
    metadata::replyOn(p.context, std::move(p.done), std::move(result));
}

void ProposalTracker::fail(uint64_t requestId, const Status &status) { complete(requestId, {status}); }

size_t ProposalTracker::expire(int64_t nowMs)
{
    size_t n = 0;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->second.deadlineMs > nowMs) {
            ++it;
            continue;
        }
        Pending p = std::move(it->second);
        it = m_pending.erase(it);
        metadata::replyOn(p.context, std::move(p.done),
                          {unavailable("the metadata change was not committed in time (leader change or no quorum); "
                                       "it may still be applied later; retry")});
        ++n;
    }
    return n;
}

void ProposalTracker::failAll(const Status &status)
{
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto &[id, p] : pending)
        metadata::replyOn(p.context, std::move(p.done), {status});
}

} // namespace skiff::cluster
