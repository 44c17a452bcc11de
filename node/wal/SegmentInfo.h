#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace skiff::wal {

// What the owner thread remembers about each segment file, for rolling and compaction.
struct SegmentInfo {
    // File name index: the segment's first index, except after a truncation moved the log behind
    // the previous segment's start, where it is previous name + 1 so names stay ascending.
    uint64_t nameIndex = 0;
    uint64_t firstIndex = 0; // from the header: lastIndex + 1 when the segment was started
    std::string path;
    // Lowest index named by a Truncate record in this segment (max if none). A later segment
    // truncating below a segment's firstIndex needs the entries before it (see Wal::compact).
    uint64_t minTruncation = std::numeric_limits<uint64_t>::max();
};

} // namespace skiff::wal
