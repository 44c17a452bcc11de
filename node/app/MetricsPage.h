#pragma once
// Builds /metrics from what the node's threads publish (atomics, lock-free histograms, immutable
// snapshots): nothing here waits for another thread.

#include "log/DiskUsage.h"

#include <functional>
#include <string>
#include <vector>

namespace skiff::cluster {
class RaftController;
}
namespace skiff::kafka {
struct KafkaMetrics;
}
namespace skiff::admin {
struct AdminMetrics;
}
namespace skiff::sync {
class Watchdog;
}

namespace skiff::app {

struct MetricsSources {
    const cluster::RaftController *controller = nullptr;
    const kafka::KafkaMetrics *kafka = nullptr;
    const admin::AdminMetrics *admin = nullptr;   // null until the admin socket exists
    const sync::Watchdog *watchdog = nullptr;   // may be null
    std::function<std::vector<log::DiskUsageInfo>()> disks;   // may be unset
    double processStartSeconds = 0;
};

std::string renderMetrics(const MetricsSources &sources);

} // namespace skiff::app
