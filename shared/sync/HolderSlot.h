#pragma once
// Internal: who currently holds one mutex instance. Written by the owner right after acquiring
// and cleared right before releasing; read racily by snapshots and the watchdog. Fields are
// separate atomics, so a reader may see a mix of two consecutive holders: good enough for a
// diagnostic, and never a dangling pointer (slots and thread records are never freed).

#include <atomic>
#include <cstdint>

namespace skiff::sync::detail {

struct ThreadRecord;

struct HolderSlot {
    std::atomic<ThreadRecord *> holder{nullptr};
    std::atomic<int64_t> sinceNs{0};             // FastClock
    std::atomic<const char *> file{nullptr};
    std::atomic<uint32_t> line{0};
    bool inUse = false; // owned by LockClass, under its slot mutex
};

} // namespace skiff::sync::detail
