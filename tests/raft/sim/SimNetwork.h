#pragma once
// Simulated network: every message gets a random delay (so messages reorder), may be dropped or
// duplicated, and is lost if its link is cut when it would be delivered. Links are directed, so
// partitions can be asymmetric. Deterministic given the Rng.

#include "raft/Rng.h"
#include "raft.pb.h"

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace skiff::raft::sim {

class SimNetwork {
public:
    explicit SimNetwork(Rng *rng) : m_rng(rng) {}

    void send(const Message &m, uint64_t now);
    // Messages due at or before now, in (due time, send order) order; cut links drop theirs.
    std::vector<Message> deliverDue(uint64_t now);

    void cut(uint64_t from, uint64_t to) { m_cut.insert({from, to}); }
    bool isCut(uint64_t from, uint64_t to) const { return m_cut.count({from, to}) != 0; }
    void healAll() { m_cut.clear(); }
    void setDropRate(double p) { m_drop = p; }
    void setDupRate(double p) { m_dup = p; }
    void setMaxDelay(uint64_t d) { m_maxDelay = d; }
    size_t inFlight() const { return m_queue.size(); }
    // Snapshots lost so far (from, to): the transport reports these as failed to the sender.
    std::vector<std::pair<uint64_t, uint64_t>> takeDroppedSnapshots() { return std::move(m_droppedSnaps); }
    uint64_t dropped() const { return m_dropped; }

private:
    Rng *m_rng;
    std::map<std::pair<uint64_t, uint64_t>, Message> m_queue;  // (due, seq) -> message
    std::set<std::pair<uint64_t, uint64_t>> m_cut;
    uint64_t m_seq = 0;
    double m_drop = 0;
    double m_dup = 0;
    uint64_t m_maxDelay = 3;
    uint64_t m_dropped = 0;
    std::vector<std::pair<uint64_t, uint64_t>> m_droppedSnaps;
};

} // namespace skiff::raft::sim
