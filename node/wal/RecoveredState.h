#pragma once

#include "raft.pb.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace skiff::wal {

// What Wal::open() found on disk: the logical log after replaying every record.
struct RecoveredState {
    raft::HardState hardState;                     // the latest one written; default if none
    std::optional<raft::SnapshotMetadata> snapshot; // the latest snapshot marker, if any
    std::vector<raft::Entry> entries;              // contiguous, all after snapshot->index()
    uint64_t tornBytesDropped = 0;                 // bytes cut off the last segment's torn tail
};

} // namespace skiff::wal
