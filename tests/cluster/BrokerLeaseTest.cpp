// The leadership lease as pure logic: when it starts, how long it holds, and what never extends it.
#include "cluster/BrokerLease.h"
#include "cluster/ClusterStatus.h"
#include "cluster/Readiness.h"

#include <QTest>

using namespace skiff::cluster;

class BrokerLeaseTest : public QObject {
    Q_OBJECT
private slots:
    void holdsNothingBeforeTheFirstConfirmation()
    {
        BrokerLease lease(3000);
        QVERIFY(!lease.held(0));
        QVERIFY(!lease.held(1000000));
        QCOMPARE(lease.expiresAtMs(), BrokerLease::kNever);
    }

    void keepsAMarginBelowTheSessionTimeout()
    {
        QCOMPARE(BrokerLease(3000).durationMs(), int64_t(2700));   // a tenth
        QCOMPARE(BrokerLease(9000).durationMs(), int64_t(8100));
        QCOMPARE(BrokerLease(500).durationMs(), int64_t(400));     // at least 100 ms
        QCOMPARE(BrokerLease(150).durationMs(), int64_t(75));      // never below half
    }

    void startsAtTheSendTimeOnceTheCommitIsApplied()
    {
        BrokerLease lease(3000);
        lease.confirmed(100, 50);
        QVERIFY(!lease.held(101));
        lease.applied(49);
        QVERIFY(!lease.held(101));
        lease.applied(50);
        QVERIFY(lease.held(101));
        QCOMPARE(lease.expiresAtMs(), int64_t(100 + 2700));
        QVERIFY(!lease.held(2800));
    }

    void aConfirmationAlreadyAppliedStartsAtOnce()
    {
        BrokerLease lease(3000);
        lease.applied(80);
        lease.confirmed(200, 80);
        QCOMPARE(lease.expiresAtMs(), int64_t(200 + 2700));
    }

    void outOfOrderConfirmationsKeepTheLatestSend()
    {
        BrokerLease lease(3000);
        lease.confirmed(300, 10);
        lease.confirmed(200, 20);
        lease.applied(10);
        QCOMPARE(lease.expiresAtMs(), int64_t(300 + 2700));
        lease.applied(20);   // the later-applied one was sent earlier: it moves nothing back
        QCOMPARE(lease.expiresAtMs(), int64_t(300 + 2700));
        lease.confirmed(250, 5);   // older than the lease's start
        QCOMPARE(lease.expiresAtMs(), int64_t(300 + 2700));
    }

    // /ready and the Kafka listener's start wait for the lease too: a node that answers Metadata
    // before it holds one names no leader, and a client that just saw it ready gives up.
    void aNodeWithoutTheLeaseIsNotReady()
    {
        ClusterStatus s;
        s.leaderId = 1;
        s.registered = true;
        s.heartbeatAnswered = true;
        s.applied = 5;
        s.leaderCommitAtHeartbeat = 5;
        s.leaseRemainingMs = -1;
        const Readiness r = readinessOf(s);
        QVERIFY(!r.ready);
        QVERIFY2(r.reason.find("lease") != std::string::npos, r.reason.c_str());
        s.leaseRemainingMs = 2000;
        QVERIFY(readinessOf(s).ready);
    }
};

QTEST_GUILESS_MAIN(BrokerLeaseTest)
#include "BrokerLeaseTest.moc"
