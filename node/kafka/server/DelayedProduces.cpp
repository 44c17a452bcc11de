#include "kafka/server/DelayedProduces.h"

#include "kafka/protocol/ErrorCode.h"

#include <algorithm>
#include <vector>

namespace skiff::kafka {

DelayedProduces::DelayedProduces(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DelayedProduces::onTimer);
}

void DelayedProduces::park(const TopicPartition &tp, int64_t offset, int64_t timeoutMs, Done done)
{
    const uint64_t id = m_nextId++;
    const int64_t deadline = now() + std::max<int64_t>(timeoutMs, 0);
    m_byId[id] = Waiter{tp, offset, deadline, std::move(done)};
    m_byDeadline.emplace(deadline, id);
    m_byPartition[tp].emplace(offset, id);
    rearm();
}

void DelayedProduces::reached(const TopicPartition &tp, int64_t highWatermark)
{
    auto it = m_byPartition.find(tp);
    if (it == m_byPartition.end())
        return;
    std::vector<uint64_t> ready;
    for (auto w = it->second.begin(); w != it->second.end() && w->first <= highWatermark; ++w)
        ready.push_back(w->second);
    for (uint64_t id : ready)
        finish(id, ErrorCode::None);
}

void DelayedProduces::failAll(const TopicPartition &tp, ErrorCode error)
{
    auto it = m_byPartition.find(tp);
    if (it == m_byPartition.end())
        return;
    std::vector<uint64_t> ids;
    for (const auto &[offset, id] : it->second)
        ids.push_back(id);
    for (uint64_t id : ids)
        finish(id, error);
}

void DelayedProduces::failEverything(ErrorCode error)
{
    std::vector<uint64_t> ids;
    for (const auto &[id, w] : m_byId)
        ids.push_back(id);
    for (uint64_t id : ids)
        finish(id, error);
}

void DelayedProduces::finish(uint64_t id, ErrorCode error)
{
    auto it = m_byId.find(id);
    if (it == m_byId.end())
        return;
    Waiter w = std::move(it->second);
    m_byId.erase(it);
    for (auto d = m_byDeadline.lower_bound(w.deadlineMs); d != m_byDeadline.end() && d->first == w.deadlineMs; ++d)
        if (d->second == id) {
            m_byDeadline.erase(d);
            break;
        }
    if (auto p = m_byPartition.find(w.tp); p != m_byPartition.end()) {
        for (auto o = p->second.lower_bound(w.offset); o != p->second.end() && o->first == w.offset; ++o)
            if (o->second == id) {
                p->second.erase(o);
                break;
            }
        if (p->second.empty())
            m_byPartition.erase(p);
    }
    rearm();
    if (w.done)
        w.done(error);
}

void DelayedProduces::onTimer()
{
    const int64_t t = now();
    std::vector<uint64_t> expired;
    for (auto it = m_byDeadline.begin(); it != m_byDeadline.end() && it->first <= t; ++it)
        expired.push_back(it->second);
    for (uint64_t id : expired)
        finish(id, ErrorCode::RequestTimedOut);
    rearm();
}

void DelayedProduces::rearm()
{
    if (m_byDeadline.empty()) {
        m_timer.stop();
        return;
    }
    const int64_t wait = std::max<int64_t>(m_byDeadline.begin()->first - now(), 0);
    m_timer.start(int(std::min<int64_t>(wait, INT32_MAX)));
}

} // namespace skiff::kafka
