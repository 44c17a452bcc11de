#include "raft/RaftLog.h"

#include "raft/Storage.h"
#include "raft/Util.h"

#include <algorithm>
#include <string>

namespace skiff::raft {

using std::to_string;

namespace {
uint64_t mustValue(const Result<uint64_t> &r, const char *what)
{
    if (!r.isOk())
        raftFatal(std::string("storage ") + what + " failed: " + r.status().toString());
    return r.value();
}
} // namespace

RaftLog::RaftLog(Storage *storage, uint64_t maxNextEntsSize)
    : m_storage(storage), m_maxNextEntsSize(maxNextEntsSize)
{
    const uint64_t first = mustValue(storage->firstIndex(), "firstIndex");
    const uint64_t last = mustValue(storage->lastIndex(), "lastIndex");
    m_unstable = Unstable(last + 1);
    m_committed = first - 1;
    m_applied = first - 1;
}

uint64_t RaftLog::firstIndex() const
{
    if (auto i = m_unstable.maybeFirstIndex())
        return *i;
    return mustValue(m_storage->firstIndex(), "firstIndex");
}

uint64_t RaftLog::lastIndex() const
{
    if (auto i = m_unstable.maybeLastIndex())
        return *i;
    return mustValue(m_storage->lastIndex(), "lastIndex");
}

uint64_t RaftLog::stableLastIndex() const
{
    if (m_unstable.snapshot())
        return 0;
    return m_unstable.offset() - 1;
}

uint64_t RaftLog::lastTerm() const
{
    auto t = term(lastIndex());
    if (!t)
        raftFatal("term of the last index " + to_string(lastIndex()) + " is unknown");
    return *t;
}

std::optional<uint64_t> RaftLog::term(uint64_t i) const
{
    const uint64_t dummy = firstIndex() - 1;
    if (i < dummy || i > lastIndex())
        return std::nullopt;
    if (auto t = m_unstable.maybeTerm(i))
        return t;
    auto r = m_storage->term(i);
    if (r.isOk())
        return r.value();
    if (isCompacted(r.status()) || r.status().code() == StatusCode::NotFound)
        return std::nullopt;
    raftFatal("storage term(" + to_string(i) + ") failed: " + r.status().toString());
}

bool RaftLog::matchTerm(uint64_t i, uint64_t t) const
{
    auto lt = term(i);
    return lt && *lt == t;
}

std::optional<uint64_t> RaftLog::maybeAppend(uint64_t index, uint64_t logTerm, uint64_t committed,
                                             const std::vector<Entry> &ents)
{
    if (!matchTerm(index, logTerm))
        return std::nullopt;
    const uint64_t lastNew = index + ents.size();
    const uint64_t ci = findConflict(ents);
    if (ci != 0) {
        if (ci <= m_committed)
            raftFatal("entry " + to_string(ci) + " conflicts with committed entry (committed " +
                      to_string(m_committed) + ")");
        const uint64_t offset = index + 1;
        append(std::vector<Entry>(ents.begin() + (ci - offset), ents.end()));
    }
    // Rule (paper §5.3): commit = min(leaderCommit, index of last new entry).
    commitTo(std::min(committed, lastNew));
    return lastNew;
}

uint64_t RaftLog::append(const std::vector<Entry> &ents)
{
    if (ents.empty())
        return lastIndex();
    const uint64_t after = ents.front().index() - 1;
    if (after < m_committed)
        raftFatal("append after " + to_string(after) + " would overwrite committed " + to_string(m_committed));
    m_unstable.truncateAndAppend(ents);
    return lastIndex();
}

uint64_t RaftLog::findConflict(const std::vector<Entry> &ents) const
{
    for (const Entry &e : ents) {
        if (!matchTerm(e.index(), e.term()))
            return e.index();
    }
    return 0;
}

std::pair<uint64_t, uint64_t> RaftLog::findConflictByTerm(uint64_t index, uint64_t t) const
{
    for (; index > 0; --index) {
        auto ourTerm = term(index);
        if (!ourTerm)
            return {index, 0};  // unknown: assume a possible match
        if (*ourTerm <= t)
            return {index, *ourTerm};
    }
    return {0, 0};
}

std::vector<Entry> RaftLog::nextCommittedEntries() const
{
    if (m_unstable.snapshot())
        return {};  // the snapshot must be applied first
    const uint64_t off = std::max(m_applied + 1, firstIndex());
    if (m_committed + 1 <= off)
        return {};
    auto r = slice(off, m_committed + 1, m_maxNextEntsSize);
    if (!r.isOk())
        raftFatal("reading committed entries failed: " + r.status().toString());
    return std::move(r).value();
}

bool RaftLog::hasNextCommittedEntries() const
{
    if (m_unstable.snapshot())
        return false;
    return m_committed + 1 > std::max(m_applied + 1, firstIndex());
}

Result<Snapshot> RaftLog::snapshot() const
{
    if (m_unstable.snapshot())
        return *m_unstable.snapshot();
    return m_storage->snapshot();
}

void RaftLog::commitTo(uint64_t toCommit)
{
    if (m_committed >= toCommit)
        return;  // never decrease commit
    if (lastIndex() < toCommit)
        raftFatal("commit " + to_string(toCommit) + " is beyond last index " + to_string(lastIndex()) +
                  " (was the log corrupted, truncated or lost?)");
    m_committed = toCommit;
}

bool RaftLog::maybeCommit(uint64_t maxIndex, uint64_t t)
{
    // Only entries of the leader's current term are committed by counting (paper §5.4.2).
    if (maxIndex > m_committed && zeroTermOnErr(maxIndex) == t) {
        commitTo(maxIndex);
        return true;
    }
    return false;
}

void RaftLog::appliedTo(uint64_t i)
{
    if (i == 0)
        return;
    if (m_committed < i || i < m_applied)
        raftFatal("applied " + to_string(i) + " out of range [applied " + to_string(m_applied) + ", committed " +
                  to_string(m_committed) + "]");
    m_applied = i;
}

void RaftLog::restore(const Snapshot &snap)
{
    m_committed = snap.metadata().index();
    m_unstable.restore(snap);
}

Result<std::vector<Entry>> RaftLog::entries(uint64_t i, uint64_t maxSize) const
{
    if (i > lastIndex())
        return std::vector<Entry>{};
    return slice(i, lastIndex() + 1, maxSize);
}

Result<std::vector<Entry>> RaftLog::slice(uint64_t lo, uint64_t hi, uint64_t maxSize) const
{
    if (lo > hi)
        raftFatal("invalid slice " + to_string(lo) + " > " + to_string(hi));
    const uint64_t first = firstIndex();
    if (lo < first)
        return outOfRange("raft log: entries from " + to_string(lo) + " are compacted (first index " +
                          to_string(first) + ")");
    if (hi > lastIndex() + 1)
        raftFatal("slice [" + to_string(lo) + "," + to_string(hi) + ") out of bound, last index " +
                  to_string(lastIndex()));
    if (lo == hi)
        return std::vector<Entry>{};
    std::vector<Entry> ents;
    const uint64_t off = m_unstable.offset();
    if (lo < off) {
        auto stored = m_storage->entries(lo, std::min(hi, off), maxSize);
        if (!stored.isOk()) {
            if (isCompacted(stored.status()))
                return stored.status();
            raftFatal("storage entries [" + to_string(lo) + "," + to_string(std::min(hi, off)) +
                      ") failed: " + stored.status().toString());
        }
        ents = std::move(stored).value();
        // Storage stopped early because of the size limit: do not add unstable entries.
        if (ents.size() < std::min(hi, off) - lo)
            return ents;
    }
    if (hi > off) {
        auto unstable = m_unstable.slice(std::max(lo, off), hi);
        ents.insert(ents.end(), std::make_move_iterator(unstable.begin()), std::make_move_iterator(unstable.end()));
    }
    limitSize(ents, maxSize);
    return ents;
}

bool RaftLog::isUpToDate(uint64_t lastIdx, uint64_t t) const
{
    const uint64_t ourTerm = lastTerm();
    return t > ourTerm || (t == ourTerm && lastIdx >= lastIndex());
}

} // namespace skiff::raft
