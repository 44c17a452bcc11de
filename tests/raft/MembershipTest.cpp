// Feature 5: learners, single-server membership changes, one change at a time, the leader
// committing an entry of its own term first, removing the leader.
#include "TestCluster.h"

#include <QTest>

using namespace skiff;
using namespace skiff::raft;
using namespace skiff::raft::test;

namespace {
ConfState confOf(std::initializer_list<uint64_t> voters, std::initializer_list<uint64_t> learners = {})
{
    ConfState cs;
    for (uint64_t v : voters)
        cs.add_voters(v);
    for (uint64_t l : learners)
        cs.add_learners(l);
    return cs;
}

std::vector<uint64_t> votersOf(const ConfState &cs) { return {cs.voters().begin(), cs.voters().end()}; }
} // namespace

class MembershipTest : public QObject {
    Q_OBJECT
private slots:
    void addLearnerCatchesUpWithoutVoting()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        for (int i = 0; i < 5; ++i)
            QVERIFY(c.node(1).propose("d" + std::to_string(i)).isOk());
        c.stabilize();
        QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_LEARNER, 4)).isOk());
        // A joining node starts with the configuration it joins.
        c.addNode(4, confOf({1, 2, 3}, {4}));
        c.stabilize();
        c.tick(1);
        c.stabilize();
        auto s1 = c.node(1).status();
        QCOMPARE(s1.learners, std::vector<uint64_t>{4});
        QCOMPARE(normalData(c.testNode(4).applied).size(), size_t(5));  // caught up
        for (auto &p : s1.progress)
            if (p.id == 4)
                QVERIFY(p.isLearner && p.match == s1.lastIndex);
        // A learner never campaigns, even after long silence.
        QCOMPARE(c.node(4).campaign().code(), StatusCode::FailedPrecondition);
        c.tick(4, 100);
        QCOMPARE(c.node(4).status().role, Role::Follower);
        // And is not counted in the quorum: with 2 and 3 down nothing commits.
        c.isolate(2);
        c.isolate(3);
        QVERIFY(c.node(1).propose("needs-quorum").isOk());
        c.stabilize();
        QCOMPARE(c.node(1).status().commit, s1.commit);
    }

    void promoteLearnerToVoter()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_LEARNER, 4)).isOk());
        c.addNode(4, confOf({1, 2, 3}, {4}));
        c.isolate(4);
        c.stabilize();
        for (int i = 0; i < 3; ++i)
            QVERIFY(c.node(1).propose("w").isOk());
        c.stabilize();
        // The learner has not caught up: promoting it now is refused.
        Status early = c.node(1).proposeConfChange(makeChange(ADD_VOTER, 4));
        QCOMPARE(early.code(), StatusCode::FailedPrecondition);
        QVERIFY(early.message().find("not caught up") != std::string::npos);
        c.heal();
        c.tick(1);
        c.stabilize();
        QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_VOTER, 4)).isOk());
        c.stabilize();
        c.tick(1);
        c.stabilize();
        for (uint64_t id : c.ids())
            QCOMPARE(votersOf(c.testNode(id).confState), (std::vector<uint64_t>{1, 2, 3, 4}));
        QVERIFY(c.node(1).status().learners.empty());
        // Now 4 voters: quorum is 3, so losing two blocks commits; 4 counts.
        c.isolate(2);
        QVERIFY(c.node(1).propose("with-4").isOk());
        c.stabilize();
        QCOMPARE(normalData(c.testNode(4).applied).back(), std::string("with-4"));
        QCOMPARE(c.node(1).status().commit, c.node(1).status().lastIndex);
    }

    void applyConfChangeReturnsNewConfState()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        auto cs = c.node(2).applyConfChange(makeChange(ADD_VOTER, 7));
        QVERIFY(cs.isOk());
        QCOMPARE(votersOf(cs.value()), (std::vector<uint64_t>{1, 2, 3, 7}));
        cs = c.node(2).applyConfChange(makeChange(REMOVE_NODE, 7));
        QCOMPARE(votersOf(cs.value()), (std::vector<uint64_t>{1, 2, 3}));
        ConfChange joint = makeChange(ADD_VOTER, 5);
        joint.add_changes()->set_node_id(6);  // type 0 = unspecified
        QCOMPARE(c.node(2).applyConfChange(joint).status().code(), StatusCode::InvalidArgument);
        joint.mutable_changes(1)->set_type(ADD_VOTER);
        cs = c.node(2).applyConfChange(joint);  // two changes: enters a joint configuration
        QVERIFY(cs.isOk());
        QCOMPARE(votersOf(cs.value()), (std::vector<uint64_t>{1, 2, 3, 5, 6}));
        QCOMPARE(cs->voters_outgoing_size(), 3);
        QVERIFY(cs->auto_leave());
        QCOMPARE(c.node(2).applyConfChange(makeChange(ADD_VOTER, 8)).status().code(), StatusCode::FailedPrecondition);
        QCOMPARE(c.node(2).applyConfChange(joint).status().code(), StatusCode::FailedPrecondition);
        cs = c.node(2).applyConfChange(ConfChange());  // empty: leave the joint configuration
        QVERIFY(cs.isOk());
        QCOMPARE(cs->voters_outgoing_size(), 0);
        QCOMPARE(votersOf(cs.value()), (std::vector<uint64_t>{1, 2, 3, 5, 6}));
        QCOMPARE(c.node(2).applyConfChange(ConfChange()).status().code(), StatusCode::FailedPrecondition);
        QCOMPARE(c.node(2).applyConfChange(makeChange(CONF_CHANGE_UNSPECIFIED, 5)).status().code(),
                 StatusCode::InvalidArgument);
    }

    // Joint consensus: replace two voters at once; while joint, both majorities must agree.
    void jointConsensusReplacesVoters()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        for (uint64_t id : {4, 5}) {
            QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_LEARNER, id)).isOk());
            c.addNode(id, c.testNode(1).confState);
            c.stabilize();
            c.testNode(id).confState = c.testNode(1).confState;
            c.tick(1);
            c.stabilize();
        }
        ConfChange cc = makeChange(ADD_VOTER, 4);
        *cc.add_changes() = makeChange(ADD_VOTER, 5).changes(0);
        *cc.add_changes() = makeChange(REMOVE_NODE, 3).changes(0);
        cc.set_transition(TRANSITION_JOINT_EXPLICIT);
        QVERIFY(c.node(1).proposeConfChange(cc).isOk());
        c.stabilize();
        auto s = c.node(1).status();
        QCOMPARE(s.voters, (std::vector<uint64_t>{1, 2, 4, 5}));
        QCOMPARE(s.votersOutgoing, (std::vector<uint64_t>{1, 2, 3}));
        // The outgoing half {1,2,3} has a majority without 4 and 5, the incoming one does not.
        c.isolate(4);
        c.isolate(5);
        QVERIFY(c.node(1).propose("needs-both").isOk());
        c.stabilize();
        QVERIFY(c.node(1).status().commit < c.node(1).status().lastIndex);
        c.heal();
        c.tick(1);
        c.stabilize();
        QCOMPARE(c.node(1).status().commit, c.node(1).status().lastIndex);
        QVERIFY(c.node(1).proposeConfChange(ConfChange()).isOk());  // explicit leave
        c.stabilize();
        s = c.node(1).status();
        QCOMPARE(s.voters, (std::vector<uint64_t>{1, 2, 4, 5}));
        QVERIFY(s.votersOutgoing.empty());
        QCOMPARE(s.progress.size(), size_t(4));  // 3 is gone
        for (uint64_t id : {1, 2, 4, 5})
            QCOMPARE(votersOf(c.testNode(id).confState), (std::vector<uint64_t>{1, 2, 4, 5}));
    }

    void jointConsensusLeavesAutomatically()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        ConfChange cc = makeChange(ADD_LEARNER, 4);
        *cc.add_changes() = makeChange(REMOVE_NODE, 3).changes(0);
        QVERIFY(c.node(1).proposeConfChange(cc).isOk());  // AUTO with 2 changes: joint, auto-leave
        c.stabilize();
        auto s = c.node(1).status();
        QCOMPARE(s.voters, (std::vector<uint64_t>{1, 2}));
        QVERIFY(s.votersOutgoing.empty());  // already left
        QCOMPARE(s.learners, std::vector<uint64_t>{4});
        int confEntries = 0;
        for (auto &e : c.testNode(2).applied)
            confEntries += e.type() == ENTRY_CONF_CHANGE ? 1 : 0;
        QCOMPARE(confEntries, 2);  // the joint entry and the leader's automatic leave
        QCOMPARE(c.node(1).proposeConfChange(ConfChange()).code(), StatusCode::FailedPrecondition);
    }

    void onlyOneChangePendingAtATime()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_LEARNER, 4)).isOk());
        Status s = c.node(1).proposeConfChange(makeChange(ADD_LEARNER, 5));
        QCOMPARE(s.code(), StatusCode::FailedPrecondition);
        QVERIFY(s.message().find("not applied yet") != std::string::npos);
        c.stabilize();  // the first change commits and is applied
        QVERIFY(c.node(1).proposeConfChange(makeChange(ADD_LEARNER, 5)).isOk());
    }

    // Ongaro 2015: a new leader must commit an entry of its own term before changing membership;
    // otherwise a change from a deposed leader's term can be lost while a new one is committed
    // against a different majority.
    void newLeaderMustCommitOwnTermEntryBeforeChange()
    {
        TestCluster c({1, 2, 3}, [](Config &cfg) { cfg.preVote = false; cfg.checkQuorum = false; });
        QVERIFY(c.elect(1));
        c.stabilize();
        QVERIFY(c.node(2).campaign().isOk());
        // Drive only until 2 is leader; its NOOP is not yet committed/applied.
        for (int i = 0; i < 4 && c.node(2).status().role != Role::Leader; ++i) {
            c.handleReadies();
            c.deliverQueued();
        }
        QCOMPARE(c.node(2).status().role, Role::Leader);
        QVERIFY(c.node(2).status().applied < c.node(2).status().lastIndex);
        Status s = c.node(2).proposeConfChange(makeChange(REMOVE_NODE, 3));
        QCOMPARE(s.code(), StatusCode::FailedPrecondition);
        QVERIFY(s.message().find("first entry of term") != std::string::npos);
        c.stabilize();
        QVERIFY(c.node(2).proposeConfChange(makeChange(REMOVE_NODE, 3)).isOk());
        c.stabilize();
        QCOMPARE(votersOf(c.testNode(1).confState), (std::vector<uint64_t>{1, 2}));
    }

    void removeFollowerShrinksQuorum()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).proposeConfChange(makeChange(REMOVE_NODE, 3)).isOk());
        c.stabilize();
        c.isolate(3);
        c.isolate(2);
        c.heal();
        c.cut(1, 3);
        c.cut(3, 1);
        QVERIFY(c.node(1).propose("two-node").isOk());
        c.stabilize();
        QCOMPARE(c.node(1).status().commit, c.node(1).status().lastIndex);
        QCOMPARE(c.node(1).status().progress.size(), size_t(2));
    }

    void removingLeaderMakesItStepDown()
    {
        TestCluster c({1, 2, 3});
        QVERIFY(c.elect(1));
        QVERIFY(c.node(1).propose("before").isOk());
        c.stabilize();
        QVERIFY(c.node(1).proposeConfChange(makeChange(REMOVE_NODE, 1)).isOk());
        c.stabilize();
        // It handed leadership to an up-to-date voter, and steps down at its next heartbeat
        // (the new leader no longer talks to it).
        const uint64_t successor = c.leader();
        QVERIFY(successor == 2 || successor == 3);
        QCOMPARE(c.node(successor).status().term, c.node(1).status().term + 1);
        c.tick(1);
        c.stabilize();
        QCOMPARE(c.node(1).status().role, Role::Follower);
        QCOMPARE(votersOf(c.testNode(2).confState), (std::vector<uint64_t>{2, 3}));
        // The removed node never campaigns; the rest elect a leader and carry on.
        QCOMPARE(c.node(1).campaign().code(), StatusCode::FailedPrecondition);
        c.removeNode(1);
        const uint64_t l = c.waitForLeader();
        QVERIFY(l == 2 || l == 3);
        QVERIFY(c.node(l).propose("after").isOk());
        c.stabilize();
        QCOMPARE(normalData(c.testNode(2).applied).back(), std::string("after"));
        QCOMPARE(normalData(c.testNode(3).applied).back(), std::string("after"));
    }

    void cannotRemoveLastVoter()
    {
        TestCluster c({1});
        QVERIFY(c.elect(1));
        c.stabilize();
        QCOMPARE(c.node(1).proposeConfChange(makeChange(REMOVE_NODE, 1)).code(), StatusCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(MembershipTest)
#include "MembershipTest.moc"
