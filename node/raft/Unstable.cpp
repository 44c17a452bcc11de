#include "raft/Unstable.h"

#include "raft/Util.h"

#include <string>

namespace skiff::raft {

std::optional<uint64_t> Unstable::maybeFirstIndex() const
{
    if (m_snapshot)
        return m_snapshot->metadata().index() + 1;
    return std::nullopt;
}

std::optional<uint64_t> Unstable::maybeLastIndex() const
{
    if (!m_entries.empty())
        return m_offset + m_entries.size() - 1;
    if (m_snapshot)
        return m_snapshot->metadata().index();
    return std::nullopt;
}

std::optional<uint64_t> Unstable::maybeTerm(uint64_t i) const
{
    if (i < m_offset) {
        if (m_snapshot && m_snapshot->metadata().index() == i)
            return m_snapshot->metadata().term();
        return std::nullopt;
    }
    auto last = maybeLastIndex();
    if (!last || i > *last)
        return std::nullopt;
    return m_entries[i - m_offset].term();
}

void Unstable::stableTo(uint64_t i, uint64_t t)
{
    auto gt = maybeTerm(i);
    // Only if the entry is still the one that was persisted: it may have been replaced by an
    // entry of another term since the Ready was produced.
    if (!gt || *gt != t || i < m_offset)
        return;
    m_entries.erase(m_entries.begin(), m_entries.begin() + (i + 1 - m_offset));
    m_offset = i + 1;
}

void Unstable::stableSnapTo(uint64_t i)
{
    if (m_snapshot && m_snapshot->metadata().index() == i)
        m_snapshot.reset();
}

void Unstable::restore(const Snapshot &snap)
{
    m_offset = snap.metadata().index() + 1;
    m_entries.clear();
    m_snapshot = snap;
}

void Unstable::truncateAndAppend(const std::vector<Entry> &ents)
{
    if (ents.empty())
        return;
    const uint64_t after = ents.front().index();
    if (after == m_offset + m_entries.size()) {
        m_entries.insert(m_entries.end(), ents.begin(), ents.end());
    } else if (after <= m_offset) {
        // Replaces everything unstable (and, once persisted, a suffix of storage).
        m_offset = after;
        m_entries = ents;
    } else {
        m_entries.resize(after - m_offset);
        m_entries.insert(m_entries.end(), ents.begin(), ents.end());
    }
}

std::vector<Entry> Unstable::slice(uint64_t lo, uint64_t hi) const
{
    const uint64_t upper = m_offset + m_entries.size();
    if (lo > hi || lo < m_offset || hi > upper)
        raftFatal("unstable slice [" + std::to_string(lo) + "," + std::to_string(hi) + ") out of bounds [" +
                  std::to_string(m_offset) + "," + std::to_string(upper) + "]");
    return std::vector<Entry>(m_entries.begin() + (lo - m_offset), m_entries.begin() + (hi - m_offset));
}

} // namespace skiff::raft
