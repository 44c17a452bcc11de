#include "kafka/server/DelayedFetches.h"

namespace skiff::kafka {

DelayedFetches::DelayedFetches(QObject *parent)
    : QObject(parent), m_deadlines([this](uint64_t id) { expire(id); }, this)
{
}

void DelayedFetches::park(std::vector<TopicPartition> partitions, int64_t maxWaitMs, TryComplete tryComplete)
{
    const uint64_t id = m_deadlines.add(maxWaitMs);
    for (const auto &tp : partitions)
        m_byPartition[tp].insert(id);
    m_waiters.emplace(id, Waiter{std::move(partitions), std::move(tryComplete)});
}

void DelayedFetches::notify(const TopicPartition &partition)
{
    auto it = m_byPartition.find(partition);
    if (it == m_byPartition.end())
        return;
    const std::set<uint64_t> ids = it->second;   // completing removes from the index
    for (uint64_t id : ids) {
        auto w = m_waiters.find(id);
        if (w == m_waiters.end())
            continue;   // answered meanwhile, by a notify from inside another waiter's read
        // A copy runs: reading may notify again (a follower's fetch moves the high watermark),
        // and that inner notify may answer and remove this very waiter, freeing the stored
        // function while it runs (a crash seen under the fault bed).
        const TryComplete complete = w->second.tryComplete;
        if (complete(false))
            remove(id);
    }
}

void DelayedFetches::expire(uint64_t id)
{
    auto w = m_waiters.find(id);
    if (w == m_waiters.end())
        return;
    const TryComplete complete = w->second.tryComplete;
    remove(id);
    complete(true);
}

void DelayedFetches::completeAll()
{
    while (!m_waiters.empty()) {
        const TryComplete complete = m_waiters.begin()->second.tryComplete;
        remove(m_waiters.begin()->first);
        complete(true);
    }
}

void DelayedFetches::remove(uint64_t id)
{
    auto w = m_waiters.find(id);
    if (w == m_waiters.end())
        return;
    for (const auto &tp : w->second.partitions) {
        auto p = m_byPartition.find(tp);
        if (p != m_byPartition.end()) {
            p->second.erase(id);
            if (p->second.empty())
                m_byPartition.erase(p);
        }
    }
    m_deadlines.remove(id);
    m_waiters.erase(w);
}

} // namespace skiff::kafka
