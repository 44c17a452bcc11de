#pragma once
// "Thread T has been waiting for lock L since t at site S; H holds it since t' from site S'" —
// what the stall watchdog adds to a report when the stuck thread is blocked on a tracked lock.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::sync {

struct LockWaitInfo {
    std::string thread;       // the waiting thread
    std::string lockClass;
    std::string waitSite;     // where the stuck thread tries to take it
    int64_t waitingForMicros = 0;
    bool held = false;        // false: released meanwhile, or held by an untracked path
    std::string holderThread;
    std::string holderSite;   // where the holder took it
    int64_t heldForMicros = 0;
    std::chrono::system_clock::time_point heldSince;
};

// Every thread blocked in a tracked acquisition right now (admin socket, tests).
std::vector<LockWaitInfo> currentLockWaits();

namespace detail {
struct ThreadRecord;
// Empty when the thread is not blocked in a tracked acquisition.
std::optional<LockWaitInfo> lockWaitInfoFor(const ThreadRecord &thread);
} // namespace detail

} // namespace skiff::sync
