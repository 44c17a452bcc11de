#pragma once
// One stalled event loop: which, on which thread, for how long, and — when the thread is blocked
// in a tracked lock — on what and behind whom.

#include "sync/LockWaitInfo.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace skiff::sync {

struct StallReport {
    std::string loop;   // name given to registerLoop()
    std::string thread; // "ready-loop [tid 4242]"; empty if the loop never beat
    int64_t stuckForMicros = 0;
    std::chrono::system_clock::time_point lastBeat;
    std::optional<LockWaitInfo> waitingOn; // empty: not blocked in a tracked lock
    std::string text;                      // one line for the log
};

} // namespace skiff::sync
