#pragma once
// Counters of one watched event loop (admin socket, metrics).

#include <cstdint>
#include <string>

namespace skiff::sync {

struct LoopStats {
    std::string name;
    uint64_t beats = 0;
    uint64_t misses = 0; // silent spells longer than the miss threshold
    uint64_t stalls = 0; // silent spells longer than the stall threshold (one report each)
    int64_t silentForMicros = 0;
    bool healthy = true;
};

} // namespace skiff::sync
