#pragma once
// Plain-value snapshot of the per-lock-class statistics, for the admin socket and metrics.
// All instances with the same class name are aggregated.

#include "metrics/HistogramSnapshot.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::sync {

// Who holds one instance right now.
struct LockHolderInfo {
    std::string thread; // "ready-loop [tid 4242]"
    std::string site;   // where it was taken, "node/raft/RaftNode.cpp:120"
    std::chrono::system_clock::time_point since;
    int64_t heldForMicros = 0;
};

struct LockClassStats {
    std::string name;
    uint64_t acquisitions = 0;
    uint64_t contended = 0;                 // acquisitions whose first try failed
    metrics::HistogramSnapshot waitMicros;  // contended acquisitions only
    metrics::HistogramSnapshot holdMicros;  // every release
    std::vector<LockHolderInfo> holders;    // instances currently held
};

// Every class ever registered, in registration order.
std::vector<LockClassStats> lockStatsSnapshot();
std::optional<LockClassStats> lockStatsFor(std::string_view className);

} // namespace skiff::sync
