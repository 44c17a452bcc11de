#include "wal/TermIndex.h"

#include <algorithm>
#include <cassert>

namespace skiff::wal {

void TermIndex::append(uint64_t index, uint64_t term)
{
    assert(index == m_last + 1);
    if (m_runs.empty() || m_runs.back().second != term)
        m_runs.emplace_back(index, term);
    m_last = index;
}

void TermIndex::truncateFrom(uint64_t index)
{
    assert(index > m_base);
    while (!m_runs.empty() && m_runs.back().first >= index)
        m_runs.pop_back();
    m_last = std::min(m_last, index - 1);
}

void TermIndex::compactThrough(uint64_t index)
{
    if (index <= m_base)
        return;
    if (index >= m_last) {
        m_runs.clear();
        m_base = m_last = index;
        return;
    }
    // Drop runs that end at or before index; the run containing index + 1 now starts there.
    size_t keepFrom = 0;
    while (keepFrom + 1 < m_runs.size() && m_runs[keepFrom + 1].first <= index + 1)
        ++keepFrom;
    m_runs.erase(m_runs.begin(), m_runs.begin() + long(keepFrom));
    m_runs.front().first = index + 1;
    m_base = index;
}

std::optional<uint64_t> TermIndex::termAt(uint64_t index) const
{
    if (index <= m_base || index > m_last)
        return std::nullopt;
    auto it = std::upper_bound(m_runs.begin(), m_runs.end(), index,
                               [](uint64_t i, const std::pair<uint64_t, uint64_t> &run) { return i < run.first; });
    return std::prev(it)->second;
}

} // namespace skiff::wal
