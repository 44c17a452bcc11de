// Feature 4: ReadIndex (safe and lease-based), leadership transfer, proposal forwarding.
#include "TestCluster.h"

#include <QTest>

using namespace skiff;
using namespace skiff::raft;
using namespace skiff::raft::test;

namespace {
int heartbeatsWithContext(const std::vector<Message> &msgs, const std::string &ctx)
{
    int n = 0;
    for (auto &m : msgs)
        n += (m.type() == MSG_HEARTBEAT && m.context() == ctx) ? 1 : 0;
    return n;
}
} // namespace

class ReadTransferTest : public QObject {
    Q_OBJECT
private slots:
    void readIndexOnLeaderWaitsForQuorumAck()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).propose("w").isOk());
        c.stabilize();
        QVERIFY(c.node(1).readIndex("r1").isOk());
        Ready rd = c.node(1).ready();
        QVERIFY(rd.readStates.empty());  // not before a quorum confirmed our leadership
        QCOMPARE(heartbeatsWithContext(rd.messages, "r1"), 2);
        c.node(1).advance(rd);
        for (auto &m : rd.messages)
            (void)c.node(m.to()).step(m);
        c.stabilize();
        auto &rs = c.testNode(1).readStates;
        QCOMPARE(rs.size(), size_t(1));
        QCOMPARE(rs[0].requestCtx, std::string("r1"));
        QCOMPARE(rs[0].index, uint64_t(2));
    }

    void readIndexOnIsolatedLeaderNeverCompletes()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(1);
        QVERIFY(c.node(1).readIndex("stale?").isOk());
        for (int i = 0; i < 5; ++i) {
            c.tick(1);
            c.stabilize();
        }
        QVERIFY(c.testNode(1).readStates.empty());
    }

    void readIndexWaitsForCommitInCurrentTerm()
    {
        TestCluster d({1, 2, 3});
        (void)d.node(1).campaign();
        // Drive the election by hand so the read arrives before the NOOP commits.
        d.handleReadies();
        d.deliverQueued();  // pre-votes
        d.handleReadies();
        d.deliverQueued();  // pre-vote responses -> candidate
        d.handleReadies();
        d.deliverQueued();  // votes
        d.handleReadies();
        d.deliverQueued();  // vote responses -> leader
        QCOMPARE(d.node(1).status().role, Role::Leader);
        QVERIFY(d.node(1).status().commit < d.node(1).status().lastIndex);
        QVERIFY(d.node(1).readIndex("early").isOk());
        Ready rd = d.node(1).ready();
        QCOMPARE(heartbeatsWithContext(rd.messages, "early"), 0);  // held back
        for (auto &m : rd.messages)
            (void)d.node(m.to()).step(m);
        (void)d.storage(1).append(rd.entries);
        if (rd.hardState)
            d.storage(1).setHardState(*rd.hardState);
        d.node(1).advance(rd);
        d.stabilize();
        auto &rs = d.testNode(1).readStates;
        QCOMPARE(rs.size(), size_t(1));
        QCOMPARE(rs[0].index, d.node(1).status().commit);  // includes the NOOP
    }

    void readIndexOnFollowerIsForwarded()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).propose("w").isOk());
        c.stabilize();
        QVERIFY(c.node(3).readIndex("f1").isOk());
        c.stabilize();
        auto &rs = c.testNode(3).readStates;
        QCOMPARE(rs.size(), size_t(1));
        QCOMPARE(rs[0].requestCtx, std::string("f1"));
        QCOMPARE(rs[0].index, c.node(1).status().commit);
        QVERIFY(c.testNode(1).readStates.empty());
    }

    void readIndexWithoutLeaderFails()
    {
        TestCluster c({1, 2, 3});
        QCOMPARE(c.node(2).readIndex("x").code(), StatusCode::Unavailable);
        QCOMPARE(c.node(2).readIndex("").code(), StatusCode::InvalidArgument);
    }

    void leaseBasedReadAnswersWithoutHeartbeatRound()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.readOnlyOption = ReadOnlyOption::LeaseBased; });
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).readIndex("lease").isOk());
        Ready rd = c.node(1).ready();
        QCOMPARE(rd.readStates.size(), size_t(1));
        QCOMPARE(rd.readStates[0].index, c.node(1).status().commit);
        QCOMPARE(heartbeatsWithContext(rd.messages, "lease"), 0);
        c.node(1).advance(rd);
    }

    void transferToUpToDateFollower()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        const uint64_t term = c.node(1).status().term;
        QVERIFY(c.node(1).transferLeader(2).isOk());
        c.stabilize();
        QCOMPARE(c.leader(), uint64_t(2));
        QCOMPARE(c.node(2).status().term, term + 1);  // no pre-vote round, and the lease is bypassed
        QCOMPARE(c.node(1).status().role, Role::Follower);
        QVERIFY(c.node(2).propose("after").isOk());
        c.stabilize();
        QCOMPARE(normalData(c.testNode(1).applied), std::vector<std::string>{"after"});
    }

    void transferToLaggingFollowerCatchesUpFirst()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(3);
        for (int i = 0; i < 5; ++i)
            QVERIFY(c.node(1).propose("x").isOk());
        c.stabilize();
        c.heal();
        c.recordSent = true;
        QVERIFY(c.node(1).transferLeader(3).isOk());
        c.stabilize();
        QCOMPARE(c.leader(), uint64_t(3));
        // MsgTimeoutNow was sent only after 3 had every entry.
        bool sawApp = false, timeoutAfterApp = false;
        for (auto &m : c.sent) {
            if (m.type() == MSG_APP && m.to() == 3 && m.entries_size() > 0)
                sawApp = true;
            if (m.type() == MSG_TIMEOUT_NOW)
                timeoutAfterApp = sawApp;
        }
        QVERIFY(timeoutAfterApp);
    }

    void proposalDuringTransferIsRefused()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(3);  // the transfer cannot complete
        QVERIFY(c.node(1).transferLeader(3).isOk());
        c.stabilize();
        QCOMPARE(c.node(1).status().leadTransferee, uint64_t(3));
        Status s = c.node(1).propose("during");
        QCOMPARE(s.code(), StatusCode::Unavailable);
        QVERIFY(s.message().find("transferred") != std::string::npos);
        // After an election timeout without success the transfer is abandoned.
        c.heal();
        c.cut(1, 3);
        for (int i = 0; i < 10; ++i) {
            c.tick(1);
            c.stabilize();
        }
        QCOMPARE(c.node(1).status().leadTransferee, uint64_t(0));
        QVERIFY(c.node(1).propose("after").isOk());
    }

    void transferRequestFromFollowerIsForwarded()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(3).transferLeader(3).isOk());
        c.stabilize();
        QCOMPARE(c.leader(), uint64_t(3));
    }

    void transferToNonVoterIsRefused()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QCOMPARE(c.node(1).transferLeader(9).code(), StatusCode::InvalidArgument);
        QCOMPARE(c.node(1).transferLeader(0).code(), StatusCode::InvalidArgument);
    }

    void followerForwardsProposals()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(2).propose("via-follower").isOk());
        c.stabilize();
        for (uint64_t id : c.ids())
            QCOMPARE(normalData(c.testNode(id).applied), std::vector<std::string>{"via-follower"});
    }

    void forwardingDisabledRejectsExplicitly()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.disableProposalForwarding = true; });
        QVERIFY(c.elect(1));
        Status s = c.node(2).propose("nope");
        QCOMPARE(s.code(), StatusCode::FailedPrecondition);
        QVERIFY(s.message().find("forwarding is disabled") != std::string::npos);
        QVERIFY(s.message().find("leader is 1") != std::string::npos);
        QVERIFY(!c.node(2).hasReady());  // nothing was sent
        QVERIFY(c.node(1).propose("yes").isOk());
    }
};

QTEST_GUILESS_MAIN(ReadTransferTest)
#include "ReadTransferTest.moc"
