#pragma once

#include <cstdint>

namespace skiff::wal {

struct WalOptions {
    // A segment is closed and a new one started once the next write would take it past this size
    // (a single append larger than this still goes into one segment).
    uint64_t segmentBytes = 64ull << 20;
};

} // namespace skiff::wal
