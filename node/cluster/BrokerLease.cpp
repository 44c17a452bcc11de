#include "cluster/BrokerLease.h"

#include <algorithm>

namespace skiff::cluster {

namespace {

int64_t leaseDuration(int64_t sessionTimeoutMs)
{
    const int64_t margin = std::max<int64_t>(sessionTimeoutMs / 10, 100);
    return std::max(sessionTimeoutMs - margin, sessionTimeoutMs / 2);
}

// Answers pile up only while this node applies slower than heartbeats come back.
constexpr size_t kMaxWaiting = 64;

} // namespace

BrokerLease::BrokerLease(int64_t sessionTimeoutMs) : m_durationMs(leaseDuration(sessionTimeoutMs)) {}

void BrokerLease::confirmed(int64_t sentMs, uint64_t commit)
{
    if (sentMs <= m_startMs)
        return;
    if (commit <= m_applied) {
        m_startMs = sentMs;
        return;
    }
    if (m_waiting.size() == kMaxWaiting)
        m_waiting.pop_front();
    m_waiting.emplace_back(sentMs, commit);
}

void BrokerLease::applied(uint64_t applied)
{
    m_applied = std::max(m_applied, applied);
    // Answers may arrive out of order: any one applied counts, the latest send wins.
    std::erase_if(m_waiting, [&](const std::pair<int64_t, uint64_t> &w) {
        if (w.second > applied)
            return false;
        m_startMs = std::max(m_startMs, w.first);
        return true;
    });
}

} // namespace skiff::cluster
