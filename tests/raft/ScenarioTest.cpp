// Feature 7: failure scenarios end to end on a synchronous in-memory cluster.
#include "TestCluster.h"

#include <QTest>

using namespace skiff;
using namespace skiff::raft;
using namespace skiff::raft::test;

namespace {
void run(TestCluster &c, int ticks)
{
    for (int i = 0; i < ticks; ++i) {
        c.tickAll();
        c.stabilize();
    }
}
std::vector<uint64_t> votersOf(const ConfState &cs) { return {cs.voters().begin(), cs.voters().end()}; }
} // namespace

class ScenarioTest : public QObject {
    Q_OBJECT
private slots:
    // PreVote: a node partitioned away keeps failing pre-elections without raising its term,
    // so on rejoining it does not depose the healthy leader.
    void rejoiningNodeDoesNotDeposeLeader()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        const uint64_t term = c.node(1).status().term;
        c.isolate(3);
        run(c, 100);
        QCOMPARE(c.node(3).status().term, term);  // no inflation
        c.heal();
        run(c, 30);
        QCOMPARE(c.leader(), uint64_t(1));
        QCOMPARE(c.node(1).status().term, term);
        QVERIFY(c.node(1).propose("still-leading").isOk());
        c.stabilize();
        QCOMPARE(normalData(c.testNode(3).applied).back(), std::string("still-leading"));
    }

    // The same without PreVote/CheckQuorum: the rejoining node's inflated term deposes the
    // leader. This is what the default configuration prevents.
    void withoutPreVoteRejoiningNodeDisrupts()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.preVote = false; cfg.checkQuorum = false; });
        QVERIFY(c.elect(1));
        const uint64_t term = c.node(1).status().term;
        c.isolate(3);
        run(c, 100);
        QVERIFY(c.node(3).status().term > term + 2);
        c.heal();
        c.tick(3, 40);  // its next election reaches the others
        c.stabilize();
        QVERIFY(c.node(1).status().term > term);  // the healthy leader was deposed
    }

    // CheckQuorum: a leader that cannot hear from a majority steps down within an election
    // timeout, and the majority side elects a new leader.
    void leaderCutOffFromMajorityStepsDown()
    {
        TestCluster c({1, 2, 3, 4, 5});
        QVERIFY(c.elect(1));
        c.isolate(1);
        c.cut(2, 1);  // and the minority side stays a minority
        run(c, 25);
        QCOMPARE(c.node(1).status().role, Role::Follower);
        const uint64_t l = c.leader();
        QVERIFY(l != 0 && l != 1);
        QCOMPARE(c.node(1).propose("x").code(), StatusCode::Unavailable);  // knows no leader
    }

    // Ongaro 2015 (single-server change bug): a leader must commit an entry from its own term
    // before a configuration change. Old leader 1 appended "add 5" that never committed; new
    // leader 2 must not propose "remove 1" until its NOOP (which discards "add 5") commits.
    void singleServerChangeBug()
    {
        auto tweak = [](Config &cfg) { cfg.preVote = false; cfg.checkQuorum = false; };
        TestCluster c({1, 2, 3, 4}, tweak);
        QVERIFY(c.elect(1));
        c.stabilize();
        c.isolate(1);
        QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_VOTER, 5)).isOk());  // only 1 has it
        c.stabilize();
        QVERIFY(c.node(2).campaign().isOk());
        for (int i = 0; i < 4 && c.node(2).status().role != Role::Leader; ++i) {
            c.handleReadies();
            c.deliverQueued();
        }
        QCOMPARE(c.node(2).status().role, Role::Leader);
        Status early = c.node(2).proposeConfChange(makeChange(REMOVE_NODE, 1));
        QCOMPARE(early.code(), StatusCode::FailedPrecondition);
        c.stabilize();
        QVERIFY(c.node(2).proposeConfChange(makeChange(REMOVE_NODE, 1)).isOk());
        c.stabilize();
        c.heal();
        run(c, 5);
        for (uint64_t id : {2, 3, 4})
            QCOMPARE(votersOf(c.testNode(id).confState), (std::vector<uint64_t>{2, 3, 4}));
        // Node 1's stray "add 5" was overwritten, never applied anywhere.
        for (uint64_t id : c.ids())
            for (auto &e : c.testNode(id).applied)
                if (e.type() == ENTRY_CONF_CHANGE)
                    QVERIFY(e.data() != makeChange(ADD_VOTER, 5).SerializeAsString());
        QCOMPARE(c.leader(), uint64_t(2));
    }

    void removeTheLeaderAndContinue()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).proposeConfChange(makeChange(REMOVE_NODE, 1)).isOk());
        c.stabilize();
        c.tick(1);  // its heartbeat meets the successor's higher term
        c.stabilize();
        QCOMPARE(c.node(1).status().role, Role::Follower);
        // Node 1 keeps running (it was not shut down) but never disrupts the new configuration.
        run(c, 60);
        const uint64_t l = c.leader();
        QVERIFY(l == 2 || l == 3);
        QCOMPARE(c.node(1).status().role, Role::Follower);
        QVERIFY(c.node(l).propose("post-removal").isOk());
        c.stabilize();
        QCOMPARE(normalData(c.testNode(l == 2 ? 3 : 2).applied).back(), std::string("post-removal"));
    }

    // A follower that was down while the leader compacted its log catches up from a snapshot.
    void followerNeedsSnapshotAfterCompaction()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(3);
        for (int i = 0; i < 20; ++i)
            QVERIFY(c.node(1).propose("v" + std::to_string(i)).isOk());
        c.stabilize();
        for (uint64_t id : {1, 2}) {
            const uint64_t applied = c.node(id).status().applied;
            QVERIFY(c.storage(id).createSnapshot(applied, &c.testNode(id).confState, "img").isOk());
            QVERIFY(c.storage(id).compact(applied).isOk());
        }
        c.restartNode(3);
        c.heal();
        run(c, 3);
        QCOMPARE(c.storage(3).snapshot().value().metadata().index(), uint64_t(21));
        QCOMPARE(c.node(3).status().commit, c.node(1).status().commit);
        QVERIFY(c.node(1).propose("after").isOk());
        c.stabilize();
        QCOMPARE(normalData(c.testNode(3).applied).back(), std::string("after"));
    }

    void proposalDuringLeadershipTransfer()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        c.isolate(3);
        QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_LEARNER, 9)).isOk());
        QVERIFY(c.node(1).propose("lagging").isOk());
        c.stabilize();
        c.heal();
        QVERIFY(c.node(1).transferLeader(3).isOk());  // 3 must catch up first
        Status s = c.node(1).propose("during");
        QCOMPARE(s.code(), StatusCode::Unavailable);
        c.stabilize();
        QCOMPARE(c.leader(), uint64_t(3));
        // The old leader now forwards proposals to the new one.
        QVERIFY(c.node(1).propose("after").isOk());
        c.stabilize();
        const auto data = normalData(c.testNode(2).applied);
        QCOMPARE(data, (std::vector<std::string>{"lagging", "after"}));
    }

    // A follower that cannot hear the leader but can still send (one-way partition) times
    // out; its pre-votes are ignored by nodes that hear the leader, so nothing is disrupted.
    void isolatedFollowerBehindOneWayPartition()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        const uint64_t term = c.node(1).status().term;
        c.cut(1, 3);
        c.cut(2, 3);
        for (int i = 0; i < 60; ++i) {
            c.tickAll();
            c.stabilize();
            if (i % 10 == 0)
                QVERIFY(c.node(1).propose("k" + std::to_string(i)).isOk());
        }
        c.stabilize();
        QCOMPARE(c.leader(), uint64_t(1));
        QCOMPARE(c.node(1).status().term, term);
        QCOMPARE(c.node(2).status().term, term);
        QCOMPARE(c.node(1).status().commit, c.node(1).status().lastIndex);
        QCOMPARE(c.node(3).status().term, term);  // pre-votes never raise it
        c.heal();
        run(c, 3);
        QCOMPARE(c.node(3).status().commit, c.node(1).status().commit);
        QCOMPARE(c.node(3).status().leader, uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(ScenarioTest)
#include "ScenarioTest.moc"
