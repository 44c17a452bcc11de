// Feature 6: snapshots and log compaction, MsgSnap to lagging followers, snapshot status.
#include "NodeHarness.h"
#include "TestCluster.h"

#include <QTest>

using namespace skiff;
using namespace skiff::raft;
using namespace skiff::raft::test;

namespace {
// The leader snapshots its state machine at its applied index and compacts its log.
uint64_t compactLeader(TestCluster &c, uint64_t id)
{
    const uint64_t applied = c.node(id).status().applied;
    auto snap = c.storage(id).createSnapshot(applied, &c.testNode(id).confState, "image@" + std::to_string(applied));
    if (!snap.isOk() || !c.storage(id).compact(applied).isOk())
        return 0;
    return applied;
}

PeerStatus peer(RawNode &n, uint64_t id)
{
    for (auto &p : n.status().progress)
        if (p.id == id)
            return p;
    return {};
}
} // namespace

class SnapshotTest : public QObject {
    Q_OBJECT
private slots:
    void laggingFollowerGetsSnapshot()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(3);
        for (int i = 0; i < 10; ++i)
            QVERIFY(c.node(1).propose("d" + std::to_string(i)).isOk());
        c.stabilize();
        const uint64_t snapIndex = compactLeader(c, 1);
        QCOMPARE(snapIndex, uint64_t(11));
        QVERIFY(c.node(1).propose("after-snap").isOk());
        c.stabilize();
        c.heal();
        c.recordSent = true;
        c.tick(1);
        c.stabilize();
        int snaps = 0;
        for (auto &m : c.sent)
            if (m.type() == MSG_SNAP) {
                ++snaps;
                QCOMPARE(m.to(), uint64_t(3));
                QCOMPARE(m.snapshot().metadata().index(), snapIndex);
                QCOMPARE(m.snapshot().data(), std::string("image@11"));
            }
        QCOMPARE(snaps, 1);
        QCOMPARE(c.storage(3).snapshot().value().metadata().index(), snapIndex);
        QCOMPARE(c.storage(3).firstIndex().value(), snapIndex + 1);
        // After the snapshot the follower got the rest by normal replication.
        QCOMPARE(normalData(c.testNode(3).applied), std::vector<std::string>{"after-snap"});
        QCOMPARE(c.node(3).status().commit, c.node(1).status().commit);
        auto p = peer(c.node(1), 3);
        QCOMPARE(p.state, ProgressState::Replicate);
        QCOMPARE(p.match, c.node(1).status().lastIndex);
    }

    void failedSnapshotReturnsToProbeAndRetries()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(c.node(1).propose("d").isOk());
        c.stabilize();
        const uint64_t snapIndex = compactLeader(c, 1);
        c.heal();
        c.autoReportSnapshot = false;
        c.filter = [](const Message &m) { return m.type() != MSG_SNAP; };  // snapshots are lost
        c.tick(1);
        c.stabilize();
        auto p = peer(c.node(1), 3);
        QCOMPARE(p.state, ProgressState::Snapshot);
        QCOMPARE(p.pendingSnapshot, snapIndex);
        // While a snapshot is in flight nothing else is sent to 3.
        c.recordSent = true;
        c.tick(1);
        c.stabilize();
        for (auto &m : c.sent)
            QVERIFY(!(m.to() == 3 && (m.type() == MSG_APP || m.type() == MSG_SNAP)));
        c.node(1).reportSnapshot(3, false);
        QCOMPARE(peer(c.node(1), 3).state, ProgressState::Probe);
        c.filter = nullptr;
        c.autoReportSnapshot = true;
        c.tick(1);  // heartbeat response unpauses the probe, which needs the snapshot again
        c.stabilize();
        QCOMPARE(c.storage(3).snapshot().value().metadata().index(), snapIndex);
        QCOMPARE(peer(c.node(1), 3).state, ProgressState::Replicate);
    }

    void restartFromSnapshot()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        for (int i = 0; i < 4; ++i)
            QVERIFY(c.node(1).propose("d").isOk());
        c.stabilize();
        auto snap = c.storage(2).createSnapshot(5, &c.testNode(2).confState, "img");
        QVERIFY(snap.isOk());
        QVERIFY(c.storage(2).compact(5).isOk());
        c.restartNode(2);
        auto s = c.node(2).status();
        QCOMPARE(s.applied, uint64_t(5));
        QCOMPARE(s.commit, uint64_t(5));
        QCOMPARE(s.voters, (std::vector<uint64_t>{1, 2, 3}));
        c.stabilize();
        QVERIFY(c.testNode(2).applied.empty());  // nothing to re-apply before the snapshot
    }

    void staleSnapshotOnlyFastForwards()
    {
        NodeHarness h(2, {1, 2, 3}, {1, 1, 1}, 1, 3);
        Message m = makeMsg(MSG_SNAP, 1, 2, 1);
        m.mutable_snapshot()->mutable_metadata()->set_index(2);
        m.mutable_snapshot()->mutable_metadata()->set_term(1);
        *m.mutable_snapshot()->mutable_metadata()->mutable_conf_state() = h.storage().initialState().value().confState;
        QVERIFY(h.step(m).isOk());
        Ready rd = h.node().ready();
        QVERIFY(!rd.snapshot.has_value());
        auto resp = ofType(rd.persistedMessages, MSG_APP_RESP);
        QCOMPARE(resp.size(), size_t(1));
        QCOMPARE(resp[0].index(), uint64_t(3));  // our commit
        h.node().advance(rd);
    }

    void snapshotFromBeforeOurAdditionIsAccepted()
    {
        NodeHarness h(2, {1, 2, 3});
        Message m = makeMsg(MSG_SNAP, 1, 2, 1);
        m.mutable_snapshot()->mutable_metadata()->set_index(10);
        m.mutable_snapshot()->mutable_metadata()->set_term(1);
        m.mutable_snapshot()->mutable_metadata()->mutable_conf_state()->add_voters(1);
        QVERIFY(h.step(m).isOk());
        auto out = h.drain();
        // A re-added node catches up from a snapshot taken before the re-add.
        QCOMPARE(h.storage().snapshot().value().metadata().index(), uint64_t(10));
        QCOMPARE(h.node().status().commit, uint64_t(10));
        QCOMPARE(h.node().status().voters, std::vector<uint64_t>{1});
        QCOMPARE(ofType(out, MSG_APP_RESP).at(0).index(), uint64_t(10));
        QCOMPARE(h.node().campaign().code(), StatusCode::FailedPrecondition);  // not a voter there
    }

    void memoryStorageRefusesOlderSnapshot()
    {
        MemoryStorage st;
        Snapshot s;
        s.mutable_metadata()->set_index(5);
        s.mutable_metadata()->set_term(2);
        QVERIFY(st.applySnapshot(s).isOk());
        QCOMPARE(st.firstIndex().value(), uint64_t(6));
        s.mutable_metadata()->set_index(3);
        QCOMPARE(st.applySnapshot(s).code(), StatusCode::FailedPrecondition);
    }
};

QTEST_GUILESS_MAIN(SnapshotTest)
#include "SnapshotTest.moc"
