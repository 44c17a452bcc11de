#include "kafka/server/DelayedFetches.h"

namespace skiff::kafka {

DelayedFetches::DelayedFetches(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DelayedFetches::onTimer);
}

void DelayedFetches::park(std::vector<TopicPartition> partitions, int64_t maxWaitMs, TryComplete tryComplete)
{
    const uint64_t id = m_nextId++;
    Waiter w{id, std::move(partitions), now() + std::max<int64_t>(0, maxWaitMs), std::move(tryComplete)};
    for (const auto &tp : w.partitions)
        m_byPartition[tp].insert(id);
    m_byDeadline.emplace(w.deadlineMs, id);
    m_waiters.emplace(id, std::move(w));
    rearm();
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
    rearm();
}

void DelayedFetches::onTimer()
{
    const int64_t t = now();
    while (!m_byDeadline.empty() && m_byDeadline.begin()->first <= t) {
        const uint64_t id = m_byDeadline.begin()->second;
        auto w = m_waiters.find(id);
        TryComplete complete = w != m_waiters.end() ? w->second.tryComplete : nullptr;
        remove(id);
        if (complete)
            complete(true);
    }
    rearm();
}

void DelayedFetches::completeAll()
{
    while (!m_waiters.empty()) {
        TryComplete complete = m_waiters.begin()->second.tryComplete;
        remove(m_waiters.begin()->first);
        complete(true);
    }
    m_timer.stop();
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
    auto range = m_byDeadline.equal_range(w->second.deadlineMs);
    for (auto d = range.first; d != range.second; ++d) {
        if (d->second == id) {
            m_byDeadline.erase(d);
            break;
        }
    }
    m_waiters.erase(w);
}

void DelayedFetches::rearm()
{
    if (m_byDeadline.empty()) {
        m_timer.stop();
        return;
    }
    const int64_t wait = std::max<int64_t>(0, m_byDeadline.begin()->first - now());
    m_timer.start(int(std::min<int64_t>(wait, 24 * 3600 * 1000)));
}

} // namespace skiff::kafka
