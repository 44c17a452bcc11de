#pragma once
// Thresholds of the stall watchdog.

#include <chrono>
#include <cstddef>

namespace skiff::sync {

struct WatchdogConfig {
    // A loop silent longer than this counts one miss (per silent spell).
    std::chrono::milliseconds missThreshold{200};
    // A loop silent longer than this is stalled: one report per stall.
    std::chrono::milliseconds stallThreshold{2000};
    // How often the watchdog looks; 0 = missThreshold / 4 (at least 1 ms, at most 50 ms).
    std::chrono::milliseconds checkInterval{0};
    // Reports kept for the admin socket.
    size_t keptReports = 64;
};

} // namespace skiff::sync
