#pragma once
// Broker-wide limits and delays of the group coordinator (Kafka's group.* settings).

#include <cstdint>
#include <functional>

namespace skiff::kafka::group {

// Milliseconds on a monotonic clock. Injected so that the state machine is tested without
// waiting: production passes a steady clock, tests a variable they advance.
using Clock = std::function<int64_t()>;

struct GroupConfig {
    int32_t minSessionTimeoutMs = 6000;
    int32_t maxSessionTimeoutMs = 1800000;
    // An empty group waits this long for more members before its first rebalance completes,
    // so that a consumer fleet starting together gets one rebalance, not one per member.
    int32_t initialRebalanceDelayMs = 3000;
};

} // namespace skiff::kafka::group
