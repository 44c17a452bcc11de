#include "kafka/server/DelayedFetches.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace skiff::kafka;

namespace {
// Outside every closure: the test reads them after the closure that set them may be gone.
bool g_sentinelAlive = false;
bool g_aliveAfterInnerNotify = false;
int g_calls = 0;
struct Sentinel {
    Sentinel() { g_sentinelAlive = true; }
    ~Sentinel() { g_sentinelAlive = false; }
};
} // namespace

class DelayedFetchesTest : public QObject {
    Q_OBJECT
private slots:
    void notifyWakesOnlyWaitersOfThatPartition()
    {
        DelayedFetches fetches;
        int aCalls = 0, bCalls = 0;
        bool aDone = false;
        fetches.park({{"a", 0}}, 60000, [&](bool expired) {
            ++aCalls;
            aDone = !expired;
            return true;
        });
        fetches.park({{"b", 0}}, 60000, [&](bool) {
            ++bCalls;
            return false;   // not enough bytes yet
        });
        fetches.notify({"a", 0});
        QCOMPARE(aCalls, 1);
        QVERIFY(aDone);
        QCOMPARE(bCalls, 0);
        QCOMPARE(fetches.size(), size_t(1));
        fetches.notify({"b", 0});
        QCOMPARE(bCalls, 1);
        QCOMPARE(fetches.size(), size_t(1));   // still waiting
        fetches.notify({"a", 0});   // nobody waits on a any more
        QCOMPARE(aCalls, 1);
    }

    // A waiter's read may notify again (a follower's fetch moves the high watermark), and that
    // inner notify may answer the same waiter: the function that runs must stay alive until it
    // returns (it once was freed while running: a SIGSEGV under the fault bed).
    void reentrantNotifyKeepsTheRunningWaiterAlive()
    {
        DelayedFetches fetches;
        g_calls = 0;
        auto sentinel = std::make_shared<Sentinel>();
        DelayedFetches *f = &fetches;
        fetches.park({{"a", 0}}, 60000, [sentinel, f](bool) {
            if (++g_calls == 1) {
                f->notify({"a", 0});   // the inner call answers (below) and removes this waiter
                g_aliveAfterInnerNotify = g_sentinelAlive;
                return true;
            }
            return true;
        });
        sentinel.reset();   // the parked function holds the only reference now
        QVERIFY(g_sentinelAlive);
        fetches.notify({"a", 0});
        QCOMPARE(g_calls, 2);
        QVERIFY2(g_aliveAfterInnerNotify, "the running waiter was destroyed by the inner notify");
        QCOMPARE(fetches.size(), size_t(0));
        QVERIFY(!g_sentinelAlive);   // and freed once done
    }

    void deadlineAnswersExpired()
    {
        DelayedFetches fetches;
        bool expiredSeen = false;
        fetches.park({{"t", 0}, {"t", 1}}, 30, [&](bool expired) {
            expiredSeen = expired;
            return expired;
        });
        QTRY_VERIFY_WITH_TIMEOUT(expiredSeen, 5000);
        QCOMPARE(fetches.size(), size_t(0));
        fetches.notify({"t", 1});   // the index no longer holds it
    }

    void completeAllAnswersEveryone()
    {
        DelayedFetches fetches;
        int expiredCount = 0;
        for (int i = 0; i < 3; ++i)
            fetches.park({{"t", i}}, 600000, [&](bool expired) {
                expiredCount += expired;
                return expired;
            });
        fetches.completeAll();
        QCOMPARE(expiredCount, 3);
        QCOMPARE(fetches.size(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(DelayedFetchesTest)
#include "DelayedFetchesTest.moc"
