#pragma once
// Turns the watchdog's miss counters into events for the event log (admin watch, dashboard).
// A miss is a loop silent for longer than watchdog.miss.ms but not yet a stall; there can be many,
// so they are summed per loop between two checks (the node checks once a second) instead of
// one event each.

#include "sync/LoopStats.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace skiff::app {

class WatchdogMissReporter {
public:
    explicit WatchdogMissReporter(std::chrono::milliseconds missThreshold) : m_threshold(missThreshold) {}

    // One text per loop whose miss count grew since the previous call.
    std::vector<std::string> check(const std::vector<sync::LoopStats> &stats);

private:
    std::chrono::milliseconds m_threshold;
    std::map<std::string, uint64_t> m_seen;   // misses already reported, per loop
};

} // namespace skiff::app
