#pragma once
// What the core reads from durable state. The application writes to it (entries, hard state,
// snapshots) while handling a Ready; the core only reads.
//
// Errors the core reacts to are told apart by code:
//   OutOfRange   the index was compacted away (the caller needs a snapshot instead)
//   NotFound     the index is beyond the last entry
//   Unavailable  the snapshot is temporarily unavailable (being built); retry later

#include "common/Status.h"
#include "raft.pb.h"

#include <cstdint>
#include <vector>

namespace skiff::raft {

struct InitialState {
    HardState hardState;
    ConfState confState;
};

class Storage {
public:
    virtual ~Storage() = default;
    virtual Result<InitialState> initialState() const = 0;
    // Entries in [lo, hi), at most maxSize bytes but always at least one if any exist.
    virtual Result<std::vector<Entry>> entries(uint64_t lo, uint64_t hi, uint64_t maxSize) const = 0;
    // Term of entry i; i may be firstIndex()-1 (the snapshot's term).
    virtual Result<uint64_t> term(uint64_t i) const = 0;
    virtual Result<uint64_t> lastIndex() const = 0;
    virtual Result<uint64_t> firstIndex() const = 0;
    virtual Result<Snapshot> snapshot() const = 0;
};

inline bool isCompacted(const Status &s) { return s.code() == StatusCode::OutOfRange; }
inline bool isSnapshotTemporarilyUnavailable(const Status &s) { return s.code() == StatusCode::Unavailable; }

} // namespace skiff::raft
