#pragma once
// Replays a WAL directory into the logical log (Wal::open's first step). Single-threaded.
//
// Rules: every segment starts with a header whose firstIndex continues the previous segment;
// entries must be contiguous; a Truncate must name an index inside the log. A damaged record
// is a torn write only at the end of the LAST segment with nothing valid after it; the tail is
// then cut off (and logged once). Anything else is a hard Corruption error naming file, byte
// offset and the entry index concerned.

#include "common/Status.h"
#include "wal/RecoveredState.h"
#include "wal/SegmentInfo.h"
#include "wal/TermIndex.h"

#include <string>
#include <vector>

namespace skiff::wal {

struct RecoveryResult {
    RecoveredState state;
    TermIndex terms;
    bool hasHardState = false;
    std::vector<SegmentInfo> segments; // ascending; empty for a new WAL
    uint64_t lastSegmentBytes = 0;     // valid length of the last segment (after any tail cut)
    uint64_t lastSegmentPreambleEnd = 0;
};

class WalRecovery {
public:
    static Result<RecoveryResult> run(const std::string &dir);
};

} // namespace skiff::wal
