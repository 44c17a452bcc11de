#pragma once
// Internal: shared between a LoopHandle (the loop's thread beats) and the Watchdog (its thread
// checks). Held by shared_ptr so either side may go first.

#include <atomic>
#include <cstdint>
#include <string>

namespace skiff::sync::detail {

struct ThreadRecord;

struct LoopState {
    explicit LoopState(std::string loopName, int64_t nowNs) : name(std::move(loopName)), lastBeatNs(nowNs) {}

    const std::string name;
    std::atomic<int64_t> lastBeatNs;
    std::atomic<ThreadRecord *> thread{nullptr}; // the thread that beats, known after the first beat
    std::atomic<bool> registered{true};
    std::atomic<uint64_t> beats{0};
    std::atomic<uint64_t> misses{0};
    std::atomic<uint64_t> stalls{0};

    // Watchdog thread only: the beat time a miss / stall was already counted for, so one
    // silent spell counts once.
    int64_t missCountedFor = -1;
    int64_t stallReportedFor = -1;
};

int64_t steadyNowNs();

} // namespace skiff::sync::detail
