#pragma once

#include <cstdint>
#include <functional>

namespace skiff::wal {

struct WalOptions {
    // A segment is closed and a new one started once the next write would take it past this size
    // (a single append larger than this still goes into one segment).
    uint64_t segmentBytes = 64ull << 20;
    // Tests only: runs on the syncer thread right before each fdatasync, outside every lock, so a
    // test can hold a sync "in flight" while the owner keeps appending.
    std::function<void()> beforeFdatasyncForTest;
};

} // namespace skiff::wal
