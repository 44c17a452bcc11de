#include "cluster/ProposalTracker.h"

#include <iterator>

namespace skiff::cluster {

void ProposalTracker::track(uint64_t id, std::string data, uint64_t firstPossibleIndex)
{
    if (contains(id))
        m_tracked[id] = Tracked{std::move(data), firstPossibleIndex, false, {}, 0};
}

std::vector<ProposalTracker::Outgoing> ProposalTracker::due(Route route, int64_t nowMs, int64_t resendAfterMs) const
{
    std::vector<Outgoing> out;
    if (route.leader == 0)
        return out;   // held: a leader will be known, or the deadline answers
    for (const auto &[id, t] : m_tracked)
        if (!t.sent || t.route != route || nowMs - t.sentAtMs >= resendAfterMs)
            out.push_back({id, t.data, t.firstPossibleIndex});
    return out;
}

void ProposalTracker::sent(uint64_t id, Route route, int64_t nowMs)
{
    auto it = m_tracked.find(id);
    if (it == m_tracked.end())
        return;
    it->second.sent = true;
    it->second.route = route;
    it->second.sentAtMs = nowMs;
}

void ProposalTracker::resendTo(uint64_t peer)
{
    for (auto &[id, t] : m_tracked)
        if (t.route.leader == peer)
            t.sent = false;
}

void ProposalTracker::complete(uint64_t requestId, metadata::ApplyResult result)
{
    m_tracked.erase(requestId);
    PendingReplies::complete(requestId, std::move(result));
}

size_t ProposalTracker::expire(int64_t nowMs)
{
    const size_t n = PendingReplies::expire(nowMs, {unavailable("the metadata change was not committed in time (no "
                                                                "leader or no quorum); it may still be applied later; retry")});
    if (n > 0)
        std::erase_if(m_tracked, [this](const auto &entry) { return !contains(entry.first); });
    return n;
}

void ProposalTracker::failAll(const Status &status)
{
    m_tracked.clear();
    PendingReplies::failAll({status});
}

} // namespace skiff::cluster
