#pragma once
// Stall watchdog. Event-loop threads register and beat from a timer (LoopHeartbeat does it in
// one line); the watchdog runs on its own std::thread — outside any Qt event loop, so it keeps
// working when they all stop — and reports a loop that stays silent longer than the stall
// threshold: once per stall, naming the thread, how long it has been stuck and, if it is
// blocked in a tracked lock, the lock, its holder, and where and since when it is held.
//
//   Watchdog watchdog;                                   // starts its thread
//   LoopHeartbeat::attach(watchdog, &readyThread, "ready-loop");
//   if (!watchdog.isHealthy("ready-loop")) ...           // e.g. withhold the systemd keep-alive

#include "sync/LoopHandle.h"
#include "sync/LoopStats.h"
#include "sync/StallReport.h"
#include "sync/WatchdogConfig.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace skiff::sync {

namespace detail {
struct LoopState;
}

class Watchdog {
public:
    explicit Watchdog(WatchdogConfig config = {});
    ~Watchdog(); // stops the thread
    Watchdog(const Watchdog &) = delete;
    Watchdog &operator=(const Watchdog &) = delete;

    // The loop counts as beating from now on (so a loop that never beats is reported too).
    LoopHandle registerLoop(std::string loopName);
    void unregisterLoop(LoopHandle &handle) { handle.unregister(); }

    // Registered and silent for less than the stall threshold. Unknown loops are not healthy.
    bool isHealthy(std::string_view loopName) const;
    std::vector<LoopStats> loopStats() const;

    using ReportSink = std::function<void(const StallReport &)>;
    // Called on the watchdog thread. Empty restores the default: qCritical on "skiff.sync".
    void setReportSink(ReportSink sink);
    // The most recent reports, oldest first (at most config().keptReports).
    std::vector<StallReport> reports() const;

    const WatchdogConfig &config() const { return m_config; }
    void stop();

private:
    void run();
    void checkLoops();

    const WatchdogConfig m_config;
    mutable std::mutex m_mutex; // plain std::mutex: the watchdog must not watch itself
    std::condition_variable m_wakeUp;
    bool m_stopping = false;
    std::vector<std::shared_ptr<detail::LoopState>> m_loops;
    std::deque<StallReport> m_reports;
    ReportSink m_sink;
    std::thread m_thread; // last: started once everything above exists
};

} // namespace skiff::sync
