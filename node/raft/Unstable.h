#pragma once
// Entries (and possibly a snapshot) the node has accepted but not yet persisted. Entry i lives at
// m_entries[i - m_offset]; the application persists them from a Ready and advance() drops them.

#include "raft.pb.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace skiff::raft {

class Unstable {
public:
    explicit Unstable(uint64_t offset = 1) : m_offset(offset) {}

    std::optional<uint64_t> maybeFirstIndex() const;
    std::optional<uint64_t> maybeLastIndex() const;
    std::optional<uint64_t> maybeTerm(uint64_t i) const;

    // Entries up to i (of term t) are durable. Ignored if i was since overwritten by another term.
    void stableTo(uint64_t i, uint64_t t);
    void stableSnapTo(uint64_t i);
    void restore(const Snapshot &snap);
    void truncateAndAppend(const std::vector<Entry> &ents);
    std::vector<Entry> slice(uint64_t lo, uint64_t hi) const;

    uint64_t offset() const { return m_offset; }
    const std::vector<Entry> &entries() const { return m_entries; }
    const std::optional<Snapshot> &snapshot() const { return m_snapshot; }

private:
    uint64_t m_offset;
    std::vector<Entry> m_entries;
    std::optional<Snapshot> m_snapshot;
};

} // namespace skiff::raft
