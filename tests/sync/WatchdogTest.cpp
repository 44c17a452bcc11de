// The stall watchdog: a "ready-loop" QThread stuck behind a tracked lock is reported with the
// lock, its holder and the holder's site; short silences count as misses; healthy loops and
// unregistered loops are not reported. Thresholds are short, waits for reports generous, and
// only report contents are asserted.

#include "sync/LoopHeartbeat.h"
#include "sync/ThreadName.h"
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"
#include "sync/Watchdog.h"

#include <QTest>
#include <QThread>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace skiff::sync;
using namespace std::chrono_literals;

namespace {

constexpr int kReportTimeoutMs = 30'000;

// Records reports from the watchdog thread.
class StallRecorder {
public:
    explicit StallRecorder(Watchdog &watchdog)
    {
        watchdog.setReportSink([this](const StallReport &report) {
            std::lock_guard guard(m_mutex);
            m_reports.push_back(report);
        });
    }
    std::vector<StallReport> reports() const
    {
        std::lock_guard guard(m_mutex);
        return m_reports;
    }
    size_t count() const { return reports().size(); }

private:
    mutable std::mutex m_mutex;
    std::vector<StallReport> m_reports;
};

std::optional<LoopStats> statsOf(const Watchdog &watchdog, const std::string &loop)
{
    for (const LoopStats &stats : watchdog.loopStats()) {
        if (stats.name == loop)
            return stats;
    }
    return std::nullopt;
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::string siteAt(int line)
{
    return "tests/sync/WatchdogTest.cpp:" + std::to_string(line);
}

// A QThread running an event loop, named so its OS thread name is "ready-loop".
class LoopThread {
public:
    LoopThread(Watchdog &watchdog, const char *name, std::chrono::milliseconds beatEvery)
    {
        m_thread.setObjectName(name);
        LoopHeartbeat::attach(watchdog, &m_thread, name, beatEvery);
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    ~LoopThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    // Runs f on the loop's thread (queued, like any event).
    template <class F>
    void post(F f)
    {
        QMetaObject::invokeMethod(&m_context, std::move(f), Qt::QueuedConnection);
    }

private:
    QThread m_thread;
    QObject m_context;
};

} // namespace

class WatchdogTest : public QObject {
    Q_OBJECT

private slots:
    void readyLoopStuckOnALockIsReportedWithTheHolder()
    {
        Watchdog watchdog(WatchdogConfig{20ms, 200ms});
        StallRecorder recorder(watchdog);
        TrackedMutex raft{"wd-raft"};
        LoopThread loop(watchdog, "ready-loop", 10ms);
        QTRY_VERIFY_WITH_TIMEOUT(statsOf(watchdog, "ready-loop") && statsOf(watchdog, "ready-loop")->beats > 0,
                                 kReportTimeoutMs);
        QVERIFY(watchdog.isHealthy("ready-loop"));

        // Another thread takes the lock and keeps it until the test has its report.
        std::atomic<bool> held{false}, release{false};
        int holderLine = 0;
        std::thread holder([&] {
            setCurrentThreadName("raft-worker");
            holderLine = __LINE__ + 1;
            TrackedLock lock(raft);
            held = true;
            while (!release)
                std::this_thread::sleep_for(1ms);
        });
        while (!held)
            std::this_thread::sleep_for(1ms);

        int waitLine = 0;
        std::atomic<bool> loopGotLock{false};
        loop.post([&] {
            waitLine = __LINE__ + 1;
            TrackedLock lock(raft); // the ready loop blocks here
            loopGotLock = true;
        });

        QTRY_VERIFY_WITH_TIMEOUT(recorder.count() > 0, kReportTimeoutMs);
        QVERIFY(!watchdog.isHealthy("ready-loop"));
        const StallReport report = recorder.reports().at(0);
        qInfo().noquote() << QString::fromStdString(report.text);
        QCOMPARE(report.loop, std::string("ready-loop"));
        QVERIFY2(contains(report.thread, "ready-loop"), report.thread.c_str());
        QVERIFY(report.stuckForMicros > 200'000); // reported only beyond the stall threshold
        QVERIFY(report.waitingOn.has_value());
        const LockWaitInfo &wait = *report.waitingOn;
        QCOMPARE(wait.lockClass, std::string("wd-raft"));
        QCOMPARE(wait.waitSite, siteAt(waitLine));
        QVERIFY(wait.held);
        QVERIFY2(contains(wait.holderThread, "raft-worker"), wait.holderThread.c_str());
        QCOMPARE(wait.holderSite, siteAt(holderLine));
        QVERIFY(wait.heldForMicros >= wait.waitingForMicros); // taken before the loop asked
        for (const std::string &needle : {std::string("ready-loop"), std::string("wd-raft"), std::string("raft-worker"),
                                          siteAt(holderLine), siteAt(waitLine)})
            QVERIFY2(contains(report.text, needle), (needle + " missing from: " + report.text).c_str());
        QCOMPARE(watchdog.reports().size(), size_t(1)); // also kept for the admin socket

        // Still stuck for more than another stall threshold: still one report for this stall.
        std::this_thread::sleep_for(500ms);
        QCOMPARE(recorder.count(), size_t(1));
        const auto stats = statsOf(watchdog, "ready-loop");
        QVERIFY(stats);
        QCOMPARE(stats->stalls, uint64_t(1));
        QVERIFY(stats->misses >= 1);
        QVERIFY(!stats->healthy);

        release = true;
        holder.join();
        QTRY_VERIFY_WITH_TIMEOUT(loopGotLock.load(), kReportTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(watchdog.isHealthy("ready-loop"), kReportTimeoutMs);
    }

    void shortSilencesCountAsMissesNotStalls()
    {
        Watchdog watchdog(WatchdogConfig{20ms, 60s});
        StallRecorder recorder(watchdog);
        LoopThread loop(watchdog, "slow-loop", 5ms);
        QTRY_VERIFY_WITH_TIMEOUT(statsOf(watchdog, "slow-loop") && statsOf(watchdog, "slow-loop")->beats > 0,
                                 kReportTimeoutMs);
        const uint64_t missesBefore = statsOf(watchdog, "slow-loop")->misses;
        // Block the loop until the watchdog has seen it silent for over 20 ms.
        std::atomic<bool> done{false};
        loop.post([&] {
            const auto giveUp = std::chrono::steady_clock::now() + 30s;
            while (statsOf(watchdog, "slow-loop")->misses == missesBefore && std::chrono::steady_clock::now() < giveUp)
                std::this_thread::sleep_for(1ms);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), kReportTimeoutMs);
        const auto stats = statsOf(watchdog, "slow-loop");
        QVERIFY(stats->misses > missesBefore);
        QCOMPARE(stats->stalls, uint64_t(0));
        QCOMPARE(recorder.count(), size_t(0));
        QVERIFY(watchdog.isHealthy("slow-loop"));
    }

    void healthyLoopIsNotReported()
    {
        Watchdog watchdog; // defaults: miss 200 ms, stall 2 s
        QCOMPARE(watchdog.config().missThreshold, 200ms);
        QCOMPARE(watchdog.config().stallThreshold, 2000ms);
        StallRecorder recorder(watchdog);
        LoopThread loop(watchdog, "healthy-loop", 10ms);
        QTRY_VERIFY_WITH_TIMEOUT(statsOf(watchdog, "healthy-loop") && statsOf(watchdog, "healthy-loop")->beats >= 20,
                                 kReportTimeoutMs);
        QCOMPARE(recorder.count(), size_t(0));
        QCOMPARE(statsOf(watchdog, "healthy-loop")->stalls, uint64_t(0));
        QVERIFY(watchdog.isHealthy("healthy-loop"));
    }

    void busyLoopIsReportedWithoutALock()
    {
        Watchdog watchdog(WatchdogConfig{20ms, 100ms});
        StallRecorder recorder(watchdog);
        std::atomic<bool> stop{false};
        LoopHandle handle = watchdog.registerLoop("busy-loop");
        std::thread busy([&] {
            setCurrentThreadName("busy-loop");
            handle.beat();
            while (!stop) // stuck computing, no lock involved
                std::this_thread::sleep_for(1ms);
        });
        QTRY_VERIFY_WITH_TIMEOUT(recorder.count() > 0, kReportTimeoutMs);
        stop = true;
        busy.join();
        const StallReport report = recorder.reports().at(0);
        QCOMPARE(report.loop, std::string("busy-loop"));
        QVERIFY(contains(report.thread, "busy-loop"));
        QVERIFY(!report.waitingOn);
        QVERIFY(contains(report.text, "not waiting for a tracked lock"));
    }

    void unregisteredAndUnknownLoopsAreNotWatched()
    {
        Watchdog watchdog(WatchdogConfig{20ms, 100ms});
        StallRecorder recorder(watchdog);
        QVERIFY(!watchdog.isHealthy("no-such-loop"));
        LoopHandle handle = watchdog.registerLoop("gone-loop");
        handle.beat();
        QVERIFY(watchdog.isHealthy("gone-loop"));
        watchdog.unregisterLoop(handle);
        QVERIFY(!handle.isRegistered());
        QVERIFY(!watchdog.isHealthy("gone-loop"));
        std::this_thread::sleep_for(300ms); // well past the stall threshold
        QCOMPARE(recorder.count(), size_t(0));
        QVERIFY(!statsOf(watchdog, "gone-loop"));
    }
};

QTEST_GUILESS_MAIN(WatchdogTest)
#include "WatchdogTest.moc"
