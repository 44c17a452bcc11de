#pragma once
// What a partition leader knows of its followers, and the rules that follow from it: where the
// high watermark may go, which follower has fallen out of sync, which may come back. No clock,
// no sockets, no log: the caller passes positions and the time, so every rule is tested alone.
//
// Positions are durable positions. A follower sends its next Fetch only once everything it
// appended is fsynced, so the offset it fetches from is what it holds on disk; the leader's own
// position is its durable end (in log.flush.mode=interval: its written end). That is Skiff's
// promise: an acks=all acknowledgement means "fsynced on every ISR member".
//
// Rules (Apache Kafka's Partition.scala, KIP-497, KIP-841 and the strict min-ISR rule of 3.x):
// - The high watermark is the lowest position over the maximal ISR (the committed ISR plus the
//   members of an ISR change in flight), never moves back, and does not move at all while the
//   ISR is smaller than min(min.insync.replicas, replication factor).
// - A follower is out of sync when it is behind the leader's end and has not been caught up for
//   replica.lag.time.max.ms. Caught up at a fetch means: it fetched from the leader's end, or from
//   the end the leader had at its previous fetch (then it was caught up at that previous time).
// - A follower may join the ISR once its position reached both the high watermark and the start
//   of the leader's epoch.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace skiff::kafka {

class LeaderState {
public:
    struct Config {
        uint64_t self = 0;
        std::vector<uint64_t> replicas;
        std::vector<uint64_t> isr;           // committed, from the metadata image
        int32_t minInsyncReplicas = 1;
        int64_t lagTimeMaxMs = 30000;
        int64_t epochStartOffset = 0;        // the leader's end when it took this epoch
        int64_t highWatermark = 0;           // where it starts (the log's, never above its end)
    };
    struct Follower {
        int64_t position = -1;               // -1: has not fetched in this epoch
        int64_t lastFetchMs = -1;
        int64_t leaderEndAtLastFetch = -1;
        int64_t lastCaughtUpMs = -1;
        int64_t logStartOffset = -1;         // as its last Fetch said; -1: not yet in this epoch
    };

    LeaderState(Config config, int64_t nowMs);

    // A new committed ISR (same epoch): the pending change it answers, if any, is over.
    void setIsr(std::vector<uint64_t> isr);
    const std::vector<uint64_t> &isr() const { return m_config.isr; }
    // An ISR change was proposed: until it is applied (or refused), the HW counts its members too.
    void setPending(std::optional<std::vector<uint64_t>> proposed) { m_pending = std::move(proposed); }
    bool hasPending() const { return m_pending.has_value(); }

    // A follower fetched from `position` at `nowMs`, when the leader's end was `leaderEnd`.
    void onFollowerFetch(uint64_t follower, int64_t position, int64_t leaderEnd, int64_t nowMs);

    // The log start a follower reported in its Fetch (it follows the leader's, KIP-107).
    void onFollowerLogStart(uint64_t follower, int64_t logStartOffset);
    // DeleteRecords' low watermark (Kafka's lowWatermarkIfLeader): the lowest log start over the
    // leader's own and every replica's for which `live(replica)` holds (-1 for one that has not
    // reported it yet in this epoch).
    template <class Live>
    int64_t lowWatermark(int64_t leaderLogStart, Live &&live) const
    {
        int64_t low = leaderLogStart;
        for (uint64_t r : m_config.replicas) {
            if (r == m_config.self || !live(r))
                continue;
            auto it = m_followers.find(r);
            low = std::min(low, it == m_followers.end() ? -1 : it->second.logStartOffset);
        }
        return low;
    }

    // Recomputes the HW from the leader's own durable position; true when it moved.
    bool advanceHighWatermark(int64_t leaderPosition);
    int64_t highWatermark() const { return m_hw; }

    // Whether acks=all may append now (Kafka: NOT_ENOUGH_REPLICAS otherwise).
    bool enoughReplicas() const { return int32_t(m_config.isr.size()) >= effectiveMinIsr(); }
    int32_t effectiveMinIsr() const;

    // ISR members other than the leader that are out of sync at `nowMs` (empty: none).
    std::vector<uint64_t> outOfSync(int64_t leaderEnd, int64_t nowMs) const;
    // Replicas not in the ISR that may join it now.
    std::vector<uint64_t> mayJoin() const;

    const Follower *follower(uint64_t id) const;
    const Config &config() const { return m_config; }

private:
    std::vector<uint64_t> maximalIsr() const;

    Config m_config;
    std::map<uint64_t, Follower> m_followers;
    std::optional<std::vector<uint64_t>> m_pending;
    int64_t m_hw = 0;
};

} // namespace skiff::kafka
