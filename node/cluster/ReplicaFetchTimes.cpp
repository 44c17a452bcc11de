#include "cluster/ReplicaFetchTimes.h"

#include <algorithm>

namespace skiff::cluster {

void ReplicaFetchTimes::onAnswer(uint64_t peer, uint64_t match, uint64_t leaderLastIndex, int64_t nowUnixMs)
{
    Peer &p = m_peers[peer];
    // The caught-up time is decided before the fetch time moves: reaching the previous end means
    // caught up as of the previous answer, whose time is still in lastFetchUnixMs.
    if (match >= leaderLastIndex)
        p.times.lastCaughtUpUnixMs = std::max(p.times.lastCaughtUpUnixMs, nowUnixMs);
    else if (p.leaderLastIndexAtLastAnswer > 0 && match >= p.leaderLastIndexAtLastAnswer)
        p.times.lastCaughtUpUnixMs = std::max(p.times.lastCaughtUpUnixMs, p.times.lastFetchUnixMs);
    p.leaderLastIndexAtLastAnswer = leaderLastIndex;
    // Never backwards, even if the wall clock is set back.
    p.times.lastFetchUnixMs = std::max(p.times.lastFetchUnixMs, nowUnixMs);
}

std::map<uint64_t, ReplicaTimes> ReplicaFetchTimes::times() const
{
    std::map<uint64_t, ReplicaTimes> out;
    for (const auto &[id, p] : m_peers)
        out.emplace(id, p.times);
    return out;
}

} // namespace skiff::cluster
