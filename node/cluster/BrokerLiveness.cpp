#include "cluster/BrokerLiveness.h"

#include <algorithm>

namespace skiff::cluster {

BrokerLiveness::BrokerLiveness(int64_t sessionTimeoutMs) : m_sessionTimeoutMs(sessionTimeoutMs) {}

void BrokerLiveness::becameLeader(int64_t nowMs)
{
    m_leaderSinceMs = nowMs;
    m_sessions.clear();
}

void BrokerLiveness::heartbeat(uint64_t broker, const std::string &incarnation, uint64_t appliedIndex,
                               uint64_t leaderCommit, int64_t nowMs)
{
    Session &s = m_sessions[broker];
    if (s.incarnation != incarnation) {
        s = Session();
        s.incarnation = incarnation;
    }
    s.lastSeenMs = nowMs;
    s.caughtUp = s.answered && appliedIndex >= s.answeredCommit;
    s.answered = true;
    s.answeredCommit = leaderCommit;
}

std::vector<BrokerLiveness::Decision> BrokerLiveness::check(const metadata::MetadataImage &image, int64_t nowMs)
{
    constexpr int64_t kRetryMs = 1000;
    std::vector<Decision> out;
    for (const auto &[id, broker] : image.brokers) {
        auto it = m_sessions.find(id);
        if (it == m_sessions.end() || it->second.incarnation != broker.incarnationId) {
            // Registered but not heard from since this node leads (or re-registered by a new
            // process): its session starts now.
            Session s;
            s.incarnation = broker.incarnationId;
            s.lastSeenMs = std::max(nowMs, m_leaderSinceMs);
            it = m_sessions.insert_or_assign(id, s).first;
        }
        Session &s = it->second;
        if (nowMs - s.decidedAtMs < kRetryMs)
            continue;
        const int64_t silentMs = nowMs - s.lastSeenMs;
        if (!broker.fenced && silentMs > m_sessionTimeoutMs) {
            out.push_back({id, broker.incarnationId, true});
            s.decidedAtMs = nowMs;
        } else if (broker.fenced && silentMs <= m_sessionTimeoutMs / 2 && s.caughtUp) {
            out.push_back({id, broker.incarnationId, false});
            s.decidedAtMs = nowMs;
        }
    }
    return out;
}

int64_t BrokerLiveness::lastHeartbeatMs(uint64_t broker) const
{
    auto it = m_sessions.find(broker);
    return it == m_sessions.end() ? -1 : it->second.lastSeenMs;
}

} // namespace skiff::cluster
