#pragma once
// Storage kept in memory: for tests, the simulator, the benchmark, and as the in-memory cache in
// front of the WAL. Holds a snapshot, the entries after it and the hard state.

#include "raft/Storage.h"

namespace skiff::raft {

class MemoryStorage : public Storage {
public:
    MemoryStorage();
    // Bootstraps a new cluster member with an initial configuration (at index 0, term 0).
    explicit MemoryStorage(const ConfState &initial);

    Result<InitialState> initialState() const override;
    Result<std::vector<Entry>> entries(uint64_t lo, uint64_t hi, uint64_t maxSize) const override;
    Result<uint64_t> term(uint64_t i) const override;
    Result<uint64_t> lastIndex() const override;
    Result<uint64_t> firstIndex() const override;
    Result<Snapshot> snapshot() const override;

    const HardState &hardState() const { return m_hardState; }
    void setHardState(const HardState &hs) { m_hardState = hs; }
    // Replaces everything with the snapshot; fails if it is older than what we have.
    Status applySnapshot(const Snapshot &snap);
    // Records a snapshot of the state machine at index (which must be applied and present).
    Result<Snapshot> createSnapshot(uint64_t index, const ConfState *cs, std::string data);
    // Discards entries before compactIndex (which must be <= lastIndex).
    Status compact(uint64_t compactIndex);
    // Appends entries, truncating any conflicting suffix first.
    Status append(const std::vector<Entry> &ents);

private:
    uint64_t offset() const { return m_ents.front().index(); }
    uint64_t last() const { return offset() + m_ents.size() - 1; }

    HardState m_hardState;
    Snapshot m_snapshot;
    std::vector<Entry> m_ents;  // m_ents[0] is a dummy holding the snapshot's index and term
};

} // namespace skiff::raft
