#include "sync/Watchdog.h"
#include "sync/LoopState.h"
#include "sync/SyncLog.h"
#include "sync/ThreadRecord.h"

#include <algorithm>
#include <pthread.h>

namespace skiff::sync {

namespace {

std::chrono::milliseconds checkIntervalOf(const WatchdogConfig &config)
{
    if (config.checkInterval.count() > 0)
        return config.checkInterval;
    return std::clamp(config.missThreshold / 4, std::chrono::milliseconds(1), std::chrono::milliseconds(50));
}

int64_t millis(int64_t micros)
{
    return micros / 1000;
}

std::string describe(const StallReport &r, std::chrono::milliseconds stallThreshold)
{
    std::string text = "stall: event loop \"" + r.loop + "\" on thread "
                       + (r.thread.empty() ? std::string("<unknown: it never beat>") : r.thread)
                       + " has not run for " + std::to_string(millis(r.stuckForMicros)) + " ms (stall threshold "
                       + std::to_string(stallThreshold.count()) + " ms)";
    if (!r.waitingOn) {
        text += "; it is not waiting for a tracked lock (busy, or blocked elsewhere: take a stack dump)";
        return text;
    }
    const LockWaitInfo &w = *r.waitingOn;
    text += "; it has been waiting " + std::to_string(millis(w.waitingForMicros)) + " ms for lock \"" + w.lockClass
            + "\" at " + w.waitSite;
    if (w.held) {
        text += ", held by thread " + w.holderThread + " for "
                + std::to_string(millis(w.heldForMicros)) + " ms, taken at " + w.holderSite;
    } else {
        text += ", whose holder is not known (just released, or taken without tracking)";
    }
    return text;
}

} // namespace

Watchdog::Watchdog(WatchdogConfig config) : m_config(config)
{
    m_thread = std::thread([this] { run(); });
}

Watchdog::~Watchdog()
{
    stop();
}

void Watchdog::stop()
{
    {
        std::lock_guard guard(m_mutex);
        m_stopping = true;
    }
    m_wakeUp.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

LoopHandle Watchdog::registerLoop(std::string loopName)
{
    auto state = std::make_shared<detail::LoopState>(std::move(loopName), detail::steadyNowNs());
    std::lock_guard guard(m_mutex);
    m_loops.push_back(state);
    return LoopHandle(std::move(state));
}

bool Watchdog::isHealthy(std::string_view loopName) const
{
    const int64_t now = detail::steadyNowNs();
    const int64_t stallNs = std::chrono::nanoseconds(m_config.stallThreshold).count();
    std::lock_guard guard(m_mutex);
    bool found = false;
    for (const auto &loop : m_loops) {
        if (loop->name != loopName || !loop->registered.load(std::memory_order_acquire))
            continue;
        found = true;
        if (now - loop->lastBeatNs.load(std::memory_order_acquire) > stallNs)
            return false;
    }
    return found;
}

std::vector<LoopStats> Watchdog::loopStats() const
{
    const int64_t now = detail::steadyNowNs();
    const int64_t stallNs = std::chrono::nanoseconds(m_config.stallThreshold).count();
    std::vector<LoopStats> result;
    std::lock_guard guard(m_mutex);
    for (const auto &loop : m_loops) {
        if (!loop->registered.load(std::memory_order_acquire))
            continue;
        const int64_t silentNs = now - loop->lastBeatNs.load(std::memory_order_acquire);
        result.push_back(LoopStats{loop->name, loop->beats.load(std::memory_order_relaxed),
                                   loop->misses.load(std::memory_order_relaxed),
                                   loop->stalls.load(std::memory_order_relaxed), silentNs / 1000, silentNs <= stallNs});
    }
    return result;
}

void Watchdog::setReportSink(ReportSink sink)
{
    std::lock_guard guard(m_mutex);
    m_sink = std::move(sink);
}

std::vector<StallReport> Watchdog::reports() const
{
    std::lock_guard guard(m_mutex);
    return {m_reports.begin(), m_reports.end()};
}

void Watchdog::run()
{
    pthread_setname_np(pthread_self(), "skiff-watchdog");
    const auto interval = checkIntervalOf(m_config);
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wakeUp.wait_for(lock, interval, [this] { return m_stopping; });
        if (m_stopping)
            break;
        lock.unlock();
        checkLoops();
        lock.lock();
    }
}

void Watchdog::checkLoops()
{
    const int64_t missNs = std::chrono::nanoseconds(m_config.missThreshold).count();
    const int64_t stallNs = std::chrono::nanoseconds(m_config.stallThreshold).count();
    std::vector<std::shared_ptr<detail::LoopState>> loops;
    {
        std::lock_guard guard(m_mutex);
        std::erase_if(m_loops, [](const auto &loop) { return !loop->registered.load(std::memory_order_acquire); });
        loops = m_loops;
    }

    std::vector<StallReport> fresh;
    for (const auto &loop : loops) {
        const int64_t now = detail::steadyNowNs();
        const int64_t lastBeat = loop->lastBeatNs.load(std::memory_order_acquire);
        const int64_t silentNs = now - lastBeat;
        if (silentNs > missNs && loop->missCountedFor != lastBeat) {
            loop->missCountedFor = lastBeat;
            loop->misses.fetch_add(1, std::memory_order_relaxed);
        }
        if (silentNs <= stallNs) {
            if (loop->stallReportedFor >= 0 && loop->stallReportedFor != lastBeat) {
                qCWarning(lcSync).noquote() << "event loop" << QString::fromStdString(loop->name)
                                            << "is running again after a stall";
                loop->stallReportedFor = -1;
            }
            continue;
        }
        if (loop->stallReportedFor == lastBeat)
            continue; // this stall is already reported
        loop->stallReportedFor = lastBeat;
        loop->stalls.fetch_add(1, std::memory_order_relaxed);

        StallReport report;
        report.loop = loop->name;
        report.stuckForMicros = silentNs / 1000;
        report.lastBeat = std::chrono::system_clock::now()
                          - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              std::chrono::nanoseconds(silentNs));
        if (const detail::ThreadRecord *thread = loop->thread.load(std::memory_order_relaxed)) {
            report.thread = thread->displayName();
            report.waitingOn = detail::lockWaitInfoFor(*thread);
        }
        report.text = describe(report, m_config.stallThreshold);
        fresh.push_back(std::move(report));
    }
    if (fresh.empty())
        return;

    ReportSink sink;
    {
        std::lock_guard guard(m_mutex);
        for (const StallReport &report : fresh) {
            m_reports.push_back(report);
            while (m_reports.size() > m_config.keptReports)
                m_reports.pop_front();
        }
        sink = m_sink;
    }
    for (const StallReport &report : fresh) {
        if (sink)
            sink(report);
        else
            qCCritical(lcSync).noquote() << QString::fromStdString(report.text);
    }
}

} // namespace skiff::sync
