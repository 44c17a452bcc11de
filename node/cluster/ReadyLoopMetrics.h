#pragma once
// The Ready loop's heartbeat: every iteration records the interval since the previous one and the
// time spent in each phase. Written by the raft thread only, read from any thread (lock-free
// histograms and atomics), for /metrics, the admin status and the dashboard.

#include "metrics/Histogram.h"

#include <atomic>
#include <cstdint>

namespace skiff::cluster {

struct ReadyLoopMetrics {
    metrics::Histogram intervalMicros;   // from one iteration's start to the next one's
    metrics::Histogram persistMicros;    // WAL append + fdatasync
    metrics::Histogram sendMicros;       // handing messages to the peer links
    metrics::Histogram applyMicros;      // committed entries into the state machine, image publication
    metrics::Histogram advanceMicros;
    std::atomic<uint64_t> iterations{0};
    std::atomic<uint64_t> entriesApplied{0};
};

} // namespace skiff::cluster
