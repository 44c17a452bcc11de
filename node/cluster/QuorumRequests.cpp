#include "cluster/QuorumRequests.h"

#include "metadata/MetadataController.h"

namespace skiff::cluster {

void replyOn(const QPointer<QObject> &context, QuorumRequests::Done done, Result<metadata::QuorumDescription> result)
{
    if (!done)
        return;
    metadata::postTo(context, [done = std::move(done), result = std::move(result)]() { done(result); });
}

uint64_t QuorumRequests::add(QPointer<QObject> context, Done done, int64_t deadlineMs)
{
    const uint64_t id = m_nextId++;
    m_pending.emplace(id, Pending{std::move(context), std::move(done), deadlineMs});
    return id;
}

void QuorumRequests::complete(uint64_t requestId, Result<metadata::QuorumDescription> result)
{
    auto it = m_pending.find(requestId);
    if (it == m_pending.end())
        return;   // expired earlier: the caller was answered and its client may have retried
    Pending p = std::move(it->second);
    m_pending.erase(it);
    replyOn(p.context, std::move(p.done), std::move(result));
}

void QuorumRequests::expire(int64_t nowMs)
{
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->second.deadlineMs > nowMs) {
            ++it;
            continue;
        }
        Pending p = std::move(it->second);
        it = m_pending.erase(it);
        replyOn(p.context, std::move(p.done),
                unavailable("the metadata leader did not answer in time (leader change or link down); retry"));
    }
}

void QuorumRequests::failAll(const Status &status)
{
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto &[id, p] : pending)
        replyOn(p.context, std::move(p.done), status);
}

} // namespace skiff::cluster
