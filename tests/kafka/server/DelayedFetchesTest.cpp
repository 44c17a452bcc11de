#include "kafka/server/DelayedFetches.h"

#include <QElapsedTimer>
#include <QTest>

using namespace skiff::kafka;

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
