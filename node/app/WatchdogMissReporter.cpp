#include "app/WatchdogMissReporter.h"

namespace skiff::app {

std::vector<std::string> WatchdogMissReporter::check(const std::vector<sync::LoopStats> &stats)
{
    std::vector<std::string> out;
    for (const sync::LoopStats &loop : stats) {
        uint64_t &seen = m_seen[loop.name];
        if (loop.misses <= seen) {
            seen = loop.misses;   // a loop registered again starts from zero
            continue;
        }
        const uint64_t now = loop.misses - seen;
        seen = loop.misses;
        out.push_back("loop " + loop.name + " missed its heartbeat " + std::to_string(now) + (now == 1 ? " time" : " times") +
                      " since the last check (silent over watchdog.miss.ms = " + std::to_string(m_threshold.count()) +
                      " ms; " + std::to_string(loop.misses) + " since start)");
    }
    return out;
}

} // namespace skiff::app
