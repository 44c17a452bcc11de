#include "LogTestUtil.h"

#include "log/GroupCommitter.h"
#include "log/PartitionLog.h"
#include "metrics/Histogram.h"

#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

using namespace skiff::log;
using namespace skiff::log::test;

class GroupCommitTest : public QObject {
    Q_OBJECT
private slots:
    void manyRequestsFewRounds()
    {
        QTemporaryDir tmp;
        constexpr int kThreads = 4;
        constexpr int kPerThread = 250;
        constexpr int kRequests = kThreads * kPerThread;
        LogConfig cfg;
        cfg.segmentBytes = 8000;    // rolls while the committer syncs
        cfg.retentionBytes = 20000; // and retention deletes segments it may still hold fds of
        cfg.retentionMs = -1;
        std::vector<std::shared_ptr<PartitionLog>> logs;
        for (int i = 0; i < kThreads; ++i)
            logs.push_back(PartitionLog::open(tmp.path().toStdString() + "/t-" + std::to_string(i), cfg).value());

        std::atomic<int64_t> hookCalls{0};
        GroupCommitter::Options opts;
        std::atomic<int> badLatency{0};
        opts.fsyncLatencyHook = [&](int64_t micros) { // committer thread: no QTest macros here
            if (micros < 0)
                ++badLatency;
            ++hookCalls;
        };
        GroupCommitter committer(opts);
        committer.start();

        std::vector<std::atomic<int>> calls(kRequests);
        std::atomic<int> failures{0};
        std::mutex mutex;
        std::condition_variable allDone;
        int done = 0;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            // One appending thread per log, as the broker's I/O thread owns its logs.
            threads.emplace_back([&, t] {
                auto &log = logs[static_cast<size_t>(t)];
                for (int i = 0; i < kPerThread; ++i) {
                    if (!log->append(makeBatch(1 + i % 3, i, 200), 0).isOk())
                        ++failures;
                    if (i % 50 == 0 && !log->applyRetention(0).isOk())
                        ++failures;
                    int64_t appended = log->logEndOffset();
                    int id = t * kPerThread + i;
                    committer.requestSync(log, [&, id, appended, log](skiff::Status s) {
                        if (!s.isOk() || log->durableEndOffset() < appended)
                            ++failures;
                        ++calls[static_cast<size_t>(id)];
                        std::lock_guard lock(mutex);
                        ++done;
                        allDone.notify_all();
                    });
                    // Now and then wait for our own request, like a producer with acks=all, so
                    // requests keep arriving while earlier rounds are still syncing.
                    if (i % 20 == 19) {
                        std::unique_lock lock(mutex);
                        allDone.wait(lock, [&] { return calls[static_cast<size_t>(id)].load() == 1; });
                    }
                }
            });
        }
        for (auto &th : threads)
            th.join();
        {
            std::unique_lock lock(mutex);
            QVERIFY(allDone.wait_for(lock, std::chrono::seconds(50), [&] { return done == kRequests; }));
        }
        committer.stop();
        QCOMPARE(failures.load(), 0);
        for (int i = 0; i < kRequests; ++i)
            QCOMPARE(calls[static_cast<size_t>(i)].load(), 1);
        QCOMPARE(committer.requestsServed(), uint64_t(kRequests));
        {
            // Fire-and-forget requests (empty callback) are served too.
            GroupCommitter second;
            second.start();
            second.requestSync(logs[0], nullptr);
            second.stop();
            QCOMPARE(second.requestsServed(), uint64_t(1));
        }
        qInfo("%d sync requests served in %llu rounds with %llu fdatasyncs", kRequests,
              static_cast<unsigned long long>(committer.syncRounds()),
              static_cast<unsigned long long>(committer.fsyncCalls()));
        QVERIFY(committer.syncRounds() < uint64_t(kRequests));
        QVERIFY(committer.syncRounds() > 0);
        QVERIFY(hookCalls.load() > 0);
        QCOMPARE(badLatency.load(), 0);
        for (auto &log : logs) {
            QCOMPARE(log->durableEndOffset(), log->logEndOffset());
            QVERIFY(log->segmentCount() > 1);
            QVERIFY(log->logStartOffset() > 0); // retention really ran
            QVERIFY(!log->needsSync());
        }
    }

    // The hook the node sets (PartitionManager into KafkaMetrics::logFsyncMicros): a group commit
    // of one dirty log records one sample; a round with nothing to sync records none.
    void groupCommitRecordsItsFsyncLatency()
    {
        QTemporaryDir tmp;
        auto log = PartitionLog::open(tmp.path().toStdString() + "/t-0", LogConfig{}).value();
        skiff::metrics::Histogram latency;
        GroupCommitter::Options opts;
        opts.fsyncLatencyHook = [&latency](int64_t micros) { latency.record(micros); };
        GroupCommitter committer(opts);
        committer.start();
        auto syncNow = [&] {
            std::promise<skiff::Status> done;
            committer.requestSync(log, [&done](skiff::Status s) { done.set_value(s); });
            return done.get_future().get();
        };
        QVERIFY(syncNow().isOk()); // nothing appended: no fdatasync, no sample
        QCOMPARE(latency.snapshot().count(), uint64_t(0));
        QVERIFY(log->append(makeBatch(3, 1), 0).isOk());
        QVERIFY(syncNow().isOk());
        QCOMPARE(log->durableEndOffset(), int64_t(3));
        QCOMPARE(latency.snapshot().count(), uint64_t(1));
        QVERIFY(committer.fsyncCalls() > 0);
        committer.stop();
    }

    void intervalMode()
    {
        QTemporaryDir tmp;
        auto log = PartitionLog::open(tmp.path().toStdString() + "/t-0", LogConfig{}).value();
        GroupCommitter::Options opts;
        opts.flushIntervalMs = 3600 * 1000; // never fires during the test: stop() does the flush
        GroupCommitter committer(opts);
        committer.start();
        QVERIFY(log->append(makeBatch(3, 1), 0).isOk());
        bool called = false;
        committer.requestSync(log, [&](skiff::Status s) {
            QVERIFY(s.isOk());
            called = true;
        });
        QVERIFY(called); // satisfied immediately
        committer.requestSync(log, nullptr); // an empty callback is allowed
        QCOMPARE(log->durableEndOffset(), int64_t(0));
        QVERIFY(log->needsSync());
        committer.stop(); // final flush of dirty logs
        QCOMPARE(log->durableEndOffset(), int64_t(3));
        skiff::Status after;
        committer.requestSync(log, [&](skiff::Status s) { after = s; });
        QCOMPARE(after.code(), skiff::StatusCode::Unavailable);
    }

    void syncIsIdempotentAndCounted()
    {
        QTemporaryDir tmp;
        LogConfig cfg;
        cfg.segmentBytes = 300;
        auto log = PartitionLog::open(tmp.path().toStdString() + "/t-0", cfg).value();
        for (int i = 0; i < 5; ++i)
            QVERIFY(log->append(makeBatch(2, 1, 100), 0).isOk());
        QVERIFY(log->segmentCount() >= 3);
        int calls = 0;
        QVERIFY(log->sync(&calls).isOk());
        QVERIFY(calls >= 3); // rolled segments + the active one
        QCOMPARE(log->durableEndOffset(), log->logEndOffset());
        QVERIFY(log->sync(&calls).isOk());
        QCOMPARE(calls, 0); // nothing dirty: no fdatasync
    }
};

QTEST_GUILESS_MAIN(GroupCommitTest)
#include "GroupCommitTest.moc"
