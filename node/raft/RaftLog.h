#pragma once
// The node's view of the log: durable entries in Storage followed by unstable ones, plus the
// commit and apply cursors.

#include "common/Status.h"
#include "raft/Unstable.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace skiff::raft {

class Storage;

class RaftLog {
public:
    RaftLog(Storage *storage, uint64_t maxNextEntsSize);

    uint64_t committed() const { return m_committed; }
    uint64_t applied() const { return m_applied; }
    uint64_t firstIndex() const;
    uint64_t lastIndex() const;
    uint64_t lastTerm() const;
    // Last index known durable (everything before the unstable part); a leader counts itself
    // in the quorum only up to here.
    uint64_t stableLastIndex() const;
    // Term of entry i, or nullopt if i is compacted or beyond the last index.
    std::optional<uint64_t> term(uint64_t i) const;
    bool matchTerm(uint64_t i, uint64_t t) const;
    uint64_t zeroTermOnErr(uint64_t i) const { return term(i).value_or(0); }

    // Follower side of MsgApp: appends if (index, logTerm) matches, returns the last new index.
    std::optional<uint64_t> maybeAppend(uint64_t index, uint64_t logTerm, uint64_t committed,
                                        const std::vector<Entry> &ents);
    uint64_t append(const std::vector<Entry> &ents);
    uint64_t findConflict(const std::vector<Entry> &ents) const;
    // Largest index <= index whose term is <= term (with that term), for fast probing backoff.
    std::pair<uint64_t, uint64_t> findConflictByTerm(uint64_t index, uint64_t term) const;

    const std::vector<Entry> &unstableEntries() const { return m_unstable.entries(); }
    const std::optional<Snapshot> &unstableSnapshot() const { return m_unstable.snapshot(); }
    std::vector<Entry> nextCommittedEntries() const;
    bool hasNextCommittedEntries() const;
    Result<Snapshot> snapshot() const;

    void commitTo(uint64_t toCommit);
    bool maybeCommit(uint64_t maxIndex, uint64_t term);
    void appliedTo(uint64_t i);
    void stableTo(uint64_t i, uint64_t t) { m_unstable.stableTo(i, t); }
    void stableSnapTo(uint64_t i) { m_unstable.stableSnapTo(i); }
    void restore(const Snapshot &snap);

    // Entries from i to the end, at most maxSize bytes (at least one).
    Result<std::vector<Entry>> entries(uint64_t i, uint64_t maxSize) const;
    Result<std::vector<Entry>> slice(uint64_t lo, uint64_t hi, uint64_t maxSize) const;
    bool isUpToDate(uint64_t lastIndex, uint64_t term) const;

private:
    Storage *m_storage;
    Unstable m_unstable;
    uint64_t m_committed = 0;
    uint64_t m_applied = 0;
    uint64_t m_maxNextEntsSize;
};

} // namespace skiff::raft
