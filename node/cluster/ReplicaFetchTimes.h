#pragma once
// The leader's wall-clock record of each follower's replication, as Kafka's DescribeQuorum
// reports it (KIP-836): when the follower last answered the leader, and when it last had all
// the leader had. Kafka's followers fetch; a Raft follower answers appends and heartbeats, so
// each answer (an append or heartbeat response) is a "fetch" that reached `match`.
//
// A follower is caught up at an answer when its match reaches the leader's last index at that
// moment; and, if it reaches what the leader's last index was at its previous answer, it was
// caught up as of that previous answer (Kafka's rule: a follower that keeps up with a leader
// that keeps appending is never exactly at the end, yet is never more than one round behind).
//
// Raft thread only; pure (the caller gives the time), so it is tested without a clock.

#include <cstdint>
#include <map>

namespace skiff::cluster {

struct ReplicaTimes {
    int64_t lastFetchUnixMs = -1;      // -1: not heard from in this leadership
    int64_t lastCaughtUpUnixMs = -1;   // -1: not caught up in this leadership
    bool operator==(const ReplicaTimes &) const = default;
};

class ReplicaFetchTimes {
public:
    // `peer` answered at `nowUnixMs` having `match` of the log, while the leader's log ends at
    // `leaderLastIndex`.
    void onAnswer(uint64_t peer, uint64_t match, uint64_t leaderLastIndex, int64_t nowUnixMs);
    // A new leadership knows nothing of its followers yet (Kafka keeps this per leader epoch).
    void clear() { m_peers.clear(); }
    // What the published status carries (ClusterStatus::replicaTimes).
    std::map<uint64_t, ReplicaTimes> times() const;

private:
    struct Peer {
        ReplicaTimes times;
        uint64_t leaderLastIndexAtLastAnswer = 0;
    };
    std::map<uint64_t, Peer> m_peers;
};

} // namespace skiff::cluster
