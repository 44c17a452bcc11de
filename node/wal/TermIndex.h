#pragma once
// Index range and terms of the logical log, without the entries: (base, last] with base = the
// snapshot index (or 0), stored as runs of equal term, so it stays tiny (terms change rarely).
// Owner thread only.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace skiff::wal {

class TermIndex {
public:
    explicit TermIndex(uint64_t base = 0) : m_base(base), m_last(base) {}

    uint64_t base() const { return m_base; }
    uint64_t last() const { return m_last; }
    bool empty() const { return m_last == m_base; }

    void append(uint64_t index, uint64_t term); // index must be last() + 1
    void truncateFrom(uint64_t index);          // removes entries >= index (index > base())
    // Entries <= index become part of the snapshot; if index >= last() the log becomes empty
    // with base = last = index.
    void compactThrough(uint64_t index);
    std::optional<uint64_t> termAt(uint64_t index) const;

private:
    uint64_t m_base;
    uint64_t m_last;
    std::vector<std::pair<uint64_t, uint64_t>> m_runs; // (first index of run, term), ascending
};

} // namespace skiff::wal
