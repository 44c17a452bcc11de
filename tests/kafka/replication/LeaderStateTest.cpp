// The leader's rules over its followers: the high watermark (lowest durable position over the
// maximal ISR, never back, frozen below min.insync.replicas), who falls out of sync after
// replica.lag.time.max.ms, who may join the ISR, and the low watermark DeleteRecords waits for.
#include "kafka/replication/LeaderState.h"

#include <QTest>

using skiff::kafka::LeaderState;

namespace {

LeaderState::Config config(std::vector<uint64_t> isr, int32_t minIsr = 2)
{
    LeaderState::Config c;
    c.self = 1;
    c.replicas = {1, 2, 3};
    c.isr = std::move(isr);
    c.minInsyncReplicas = minIsr;
    c.lagTimeMaxMs = 1000;
    c.epochStartOffset = 10;
    c.highWatermark = 10;
    return c;
}

} // namespace

class LeaderStateTest : public QObject {
    Q_OBJECT
private slots:
    void highWatermarkIsTheLowestIsrPosition()
    {
        LeaderState s(config({1, 2, 3}), 0);
        QVERIFY(!s.advanceHighWatermark(20));   // no follower fetched in this epoch yet
        s.onFollowerFetch(2, 15, 20, 1);
        QVERIFY(!s.advanceHighWatermark(20));   // 3 still has not
        s.onFollowerFetch(3, 18, 20, 1);
        QVERIFY(s.advanceHighWatermark(20));
        QCOMPARE(s.highWatermark(), 15);
        s.onFollowerFetch(2, 20, 20, 2);
        QVERIFY(s.advanceHighWatermark(20));
        QCOMPARE(s.highWatermark(), 18);
        // The leader's own durable position bounds it too.
        s.onFollowerFetch(3, 20, 25, 3);
        s.onFollowerFetch(2, 25, 25, 3);
        QVERIFY(s.advanceHighWatermark(19));
        QCOMPARE(s.highWatermark(), 19);
    }

    void highWatermarkNeverMovesBack()
    {
        LeaderState s(config({1, 2}), 0);
        s.onFollowerFetch(2, 30, 30, 1);
        QVERIFY(s.advanceHighWatermark(30));
        QCOMPARE(s.highWatermark(), 30);
        // A follower restarting from an older position (a new incarnation, before it is fenced).
        s.onFollowerFetch(2, 12, 30, 2);
        QVERIFY(!s.advanceHighWatermark(30));
        QCOMPARE(s.highWatermark(), 30);
    }

    void highWatermarkFrozenBelowMinInsync()
    {
        LeaderState s(config({1}, 2), 0);
        QVERIFY(!s.enoughReplicas());
        QVERIFY(!s.advanceHighWatermark(50));   // ISR {leader} < min.insync.replicas 2
        QCOMPARE(s.highWatermark(), 10);
        // min.insync.replicas above the replication factor counts as the replication factor.
        LeaderState all(config({1, 2, 3}, 5), 0);
        QCOMPARE(all.effectiveMinIsr(), 3);
        QVERIFY(all.enoughReplicas());
    }

    void pendingExpansionHoldsTheHighWatermark()
    {
        LeaderState s(config({1, 2}), 0);
        s.onFollowerFetch(2, 40, 40, 1);
        s.onFollowerFetch(3, 30, 40, 1);
        s.setPending(std::vector<uint64_t>{1, 2, 3});
        QVERIFY(s.advanceHighWatermark(40));
        QCOMPARE(s.highWatermark(), 30);   // 3 may be elected once the change applies
        s.setIsr({1, 2, 3});
        QVERIFY(!s.hasPending());
    }

    void followerFallsOutOfSyncAfterLagTime()
    {
        LeaderState s(config({1, 2, 3}), 0);
        s.onFollowerFetch(2, 20, 20, 100);   // caught up
        s.onFollowerFetch(3, 15, 20, 100);   // behind
        QVERIFY(s.outOfSync(20, 900).empty());   // within lag time of the takeover (0)
        QCOMPARE(s.outOfSync(20, 1001), std::vector<uint64_t>{3});
        // A follower that keeps reaching the end the leader had at its previous fetch stays in
        // (caught up as of that previous fetch), though the leader keeps moving ahead.
        s.onFollowerFetch(3, 20, 30, 1200);   // caught up as of 100
        s.onFollowerFetch(3, 30, 35, 1300);   // as of 1200
        s.onFollowerFetch(2, 35, 35, 2000);
        QVERIFY(s.outOfSync(35, 2100).empty());
        QCOMPARE(s.outOfSync(35, 2201), std::vector<uint64_t>{3});
        // A stuck one (fetching but never reaching) does not come back.
        s.onFollowerFetch(3, 31, 40, 2300);
        s.onFollowerFetch(3, 31, 40, 2400);
        s.onFollowerFetch(2, 40, 40, 2400);
        QCOMPARE(s.outOfSync(40, 2500), std::vector<uint64_t>{3});
        // At the leader's end a follower is never out of sync.
        s.onFollowerFetch(2, 40, 40, 2100);
        QVERIFY(s.outOfSync(40, 99999).size() == 1);
    }

    void mayJoinOnceAtHighWatermarkAndEpochStart()
    {
        LeaderState s(config({1, 2}, 1), 0);
        s.onFollowerFetch(2, 50, 50, 1);
        QVERIFY(s.advanceHighWatermark(50));
        s.onFollowerFetch(3, 9, 50, 1);
        QVERIFY(s.mayJoin().empty());   // below the HW and the epoch start
        s.onFollowerFetch(3, 49, 50, 2);
        QVERIFY(s.mayJoin().empty());
        s.onFollowerFetch(3, 50, 50, 3);
        QCOMPARE(s.mayJoin(), std::vector<uint64_t>{3});
    }

    void lowWatermarkIsTheLowestLogStartOverLiveReplicas()
    {
        LeaderState s(config({1, 2, 3}), 0);
        auto all = [](uint64_t) { return true; };
        QCOMPARE(s.lowWatermark(5, all), -1);   // followers have not said yet (Kafka: unknown, -1)
        s.onFollowerLogStart(2, 5);
        s.onFollowerLogStart(3, 3);
        QCOMPARE(s.lowWatermark(5, all), 3);
        s.onFollowerLogStart(3, 7);
        QCOMPARE(s.lowWatermark(5, all), 5);    // the leader's own start counts too
        // A replica on a dead (fenced) broker does not hold DeleteRecords up, ISR or not.
        s.onFollowerLogStart(3, 0);
        QCOMPARE(s.lowWatermark(5, [](uint64_t r) { return r != 3; }), 5);
        s.onFollowerLogStart(9, 0);             // not a replica: ignored
        QCOMPARE(s.lowWatermark(5, [](uint64_t r) { return r != 3; }), 5);
    }

    void unknownReplicaIsIgnored()
    {
        LeaderState s(config({1, 2, 3}), 0);
        s.onFollowerFetch(9, 100, 100, 1);
        QVERIFY(s.follower(9) == nullptr);
        QVERIFY(s.follower(2) != nullptr);
    }
};

QTEST_GUILESS_MAIN(LeaderStateTest)
#include "LeaderStateTest.moc"
