#include "kafka/replication/LeaderState.h"

#include <algorithm>

namespace skiff::kafka {
namespace {

bool contains(const std::vector<uint64_t> &ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace

LeaderState::LeaderState(Config config, int64_t nowMs) : m_config(std::move(config)), m_hw(m_config.highWatermark)
{
    // A follower in the ISR when this leader took over counts as caught up now: it gets a full
    // replica.lag.time.max.ms to show it is still fetching (Kafka resets follower state so too).
    for (uint64_t r : m_config.replicas) {
        if (r == m_config.self)
            continue;
        Follower f;
        if (contains(m_config.isr, r))
            f.lastCaughtUpMs = nowMs;
        m_followers[r] = f;
    }
}

void LeaderState::setIsr(std::vector<uint64_t> isr)
{
    m_config.isr = std::move(isr);
    m_pending.reset();
}

int32_t LeaderState::effectiveMinIsr() const
{
    return std::min<int32_t>(m_config.minInsyncReplicas, int32_t(m_config.replicas.size()));
}

void LeaderState::onFollowerFetch(uint64_t follower, int64_t position, int64_t leaderEnd, int64_t nowMs)
{
    auto it = m_followers.find(follower);
    if (it == m_followers.end())
        return;
    Follower &f = it->second;
    if (position >= leaderEnd)
        f.lastCaughtUpMs = std::max(f.lastCaughtUpMs, nowMs);
    else if (f.lastFetchMs >= 0 && position >= f.leaderEndAtLastFetch)
        f.lastCaughtUpMs = std::max(f.lastCaughtUpMs, f.lastFetchMs);
    f.position = position;
    f.lastFetchMs = nowMs;
    f.leaderEndAtLastFetch = leaderEnd;
}

std::vector<uint64_t> LeaderState::maximalIsr() const
{
    std::vector<uint64_t> out = m_config.isr;
    if (m_pending)
        for (uint64_t r : *m_pending)
            if (!contains(out, r))
                out.push_back(r);
    return out;
}

void LeaderState::onFollowerLogStart(uint64_t follower, int64_t logStartOffset)
{
    auto it = m_followers.find(follower);
    if (it != m_followers.end())
        it->second.logStartOffset = logStartOffset;
}

bool LeaderState::advanceHighWatermark(int64_t leaderPosition)
{
    if (int32_t(m_config.isr.size()) < effectiveMinIsr())
        return false;
    int64_t candidate = leaderPosition;
    for (uint64_t r : maximalIsr()) {
        if (r == m_config.self)
            continue;
        auto it = m_followers.find(r);
        // A member that has not fetched in this epoch holds the HW where it is.
        candidate = std::min(candidate, it == m_followers.end() ? -1 : it->second.position);
    }
    if (candidate <= m_hw)
        return false;
    m_hw = candidate;
    return true;
}

std::vector<uint64_t> LeaderState::outOfSync(int64_t leaderEnd, int64_t nowMs) const
{
    std::vector<uint64_t> out;
    for (uint64_t r : m_config.isr) {
        if (r == m_config.self)
            continue;
        auto it = m_followers.find(r);
        if (it == m_followers.end())
            continue;
        const Follower &f = it->second;
        if (f.position >= leaderEnd)
            continue;
        if (f.lastCaughtUpMs < 0 || nowMs - f.lastCaughtUpMs > m_config.lagTimeMaxMs)
            out.push_back(r);
    }
    return out;
}

std::vector<uint64_t> LeaderState::mayJoin() const
{
    std::vector<uint64_t> out;
    for (const auto &[id, f] : m_followers)
        if (!contains(m_config.isr, id) && f.position >= 0 && f.position >= m_hw && f.position >= m_config.epochStartOffset)
            out.push_back(id);
    return out;
}

const LeaderState::Follower *LeaderState::follower(uint64_t id) const
{
    auto it = m_followers.find(id);
    return it == m_followers.end() ? nullptr : &it->second;
}

} // namespace skiff::kafka
