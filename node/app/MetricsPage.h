#pragma once
// Builds /metrics from what the node's threads publish (atomics, lock-free histograms, immutable
// snapshots): nothing here waits for another thread.

#include <string>

namespace skiff::cluster {
class RaftController;
}
namespace skiff::kafka {
struct KafkaMetrics;
}
namespace skiff::sync {
class Watchdog;
}

namespace skiff::app {

struct MetricsSources {
    const cluster::RaftController *controller = nullptr;
    const kafka::KafkaMetrics *kafka = nullptr;
    const sync::Watchdog *watchdog = nullptr;   // may be null
    double processStartSeconds = 0;
};

std::string renderMetrics(const MetricsSources &sources);

} // namespace skiff::app
