#include "kafka/server/DelayedProduces.h"

#include "kafka/protocol/ErrorCode.h"

#include <vector>

namespace skiff::kafka {

DelayedProduces::DelayedProduces(QObject *parent)
    : QObject(parent), m_deadlines([this](uint64_t id) { finish(id, ErrorCode::RequestTimedOut); }, this)
{
}

void DelayedProduces::park(const TopicPartition &tp, int64_t offset, int64_t timeoutMs, Done done)
{
    const uint64_t id = m_deadlines.add(timeoutMs);
    m_byId[id] = Waiter{tp, offset, std::move(done)};
    m_byPartition[tp].emplace(offset, id);
}

void DelayedProduces::reached(const TopicPartition &tp, int64_t highWatermark)
{
    auto it = m_byPartition.find(tp);
    if (it == m_byPartition.end())
        return;
    std::vector<uint64_t> ready;
    for (auto w = it->second.begin(); w != it->second.end() && w->first <= highWatermark; ++w)
        ready.push_back(w->second);
    finishEach(std::move(ready), ErrorCode::None);
}

void DelayedProduces::failAll(const TopicPartition &tp, ErrorCode error)
{
    auto it = m_byPartition.find(tp);
    if (it == m_byPartition.end())
        return;
    std::vector<uint64_t> ids;
    for (const auto &[offset, id] : it->second)
        ids.push_back(id);
    finishEach(std::move(ids), error);
}

void DelayedProduces::failEverything(ErrorCode error)
{
    std::vector<uint64_t> ids;
    for (const auto &[id, w] : m_byId)
        ids.push_back(id);
    finishEach(std::move(ids), error);
}

void DelayedProduces::finishEach(std::vector<uint64_t> ids, ErrorCode error)
{
    // Collected first: an answer may park or finish others (finish skips ids already gone).
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
    m_deadlines.remove(id);
    if (auto p = m_byPartition.find(w.tp); p != m_byPartition.end()) {
        for (auto o = p->second.lower_bound(w.offset); o != p->second.end() && o->first == w.offset; ++o)
            if (o->second == id) {
                p->second.erase(o);
                break;
            }
        if (p->second.empty())
            m_byPartition.erase(p);
    }
    if (w.done)
        w.done(error);
}

} // namespace skiff::kafka
