// Membership without sockets or a Raft node: the configuration a log starts with, the address book
// and the links it sets, joining from both sides, and what an applied configuration change does.
#include "cluster/Membership.h"
#include "cluster/MembershipWaits.h"

#include <QTest>

#include <vector>

using namespace skiff;
using namespace skiff::cluster;

namespace {

// Records what a Membership asks of its links and of Raft.
struct Recorder {
    std::vector<std::pair<uint64_t, std::string>> peersSet;
    std::vector<uint64_t> peersRemoved;
    std::vector<std::pair<uint64_t, PeerFrame>> sent;
    std::vector<raft::ConfChange> proposed;
    std::vector<std::map<uint64_t, std::string>> snapshots;
    Status proposeAnswer = Status::ok();
    Status snapshotAnswer = Status::ok();

    Membership::Hooks hooks()
    {
        return {[this](uint64_t node, const std::string &address) { peersSet.emplace_back(node, address); },
                [this](uint64_t node) { peersRemoved.push_back(node); },
                [this](uint64_t to, const PeerFrame &frame) { sent.emplace_back(to, frame); },
                [this](const raft::ConfChange &change) {
                    proposed.push_back(change);
                    return proposeAnswer;
                },
                [this](const std::map<uint64_t, std::string> &addresses) {
                    snapshots.push_back(addresses);
                    return snapshotAnswer;
                }};
    }
};

ClusterOptions optionsOf(uint64_t self, std::map<uint64_t, std::string> voters, std::string join = {})
{
    ClusterOptions o;
    o.nodeId = self;
    o.raftHost = "10.0.0." + std::to_string(self);
    o.raftPort = 7000;
    o.initialVoters = std::move(voters);
    o.joinAddress = std::move(join);
    return o;
}

const std::map<uint64_t, std::string> kThree{{1, "10.0.0.1:7000"}, {2, "10.0.0.2:7000"}, {3, "10.0.0.3:7000"}};

raft::ConfState configuration(std::vector<uint64_t> voters, std::vector<uint64_t> learners = {})
{
    raft::ConfState cs;
    for (uint64_t v : voters)
        cs.add_voters(v);
    for (uint64_t l : learners)
        cs.add_learners(l);
    return cs;
}

// A member of the three-node cluster that knows its configuration and addresses.
Membership memberOfThree(uint64_t self, Recorder &r)
{
    Membership m(optionsOf(self, kThree), r.hooks());
    m.setConfiguration(m.bootstrap());
    for (const auto &[id, address] : kThree)
        m.setAddress(id, address);
    r.peersSet.clear();
    return m;
}

JoinRequest joinRequest(uint64_t id, std::string address)
{
    JoinRequest req;
    req.set_node_id(id);
    req.set_raft_address(std::move(address));
    return req;
}

std::vector<uint64_t> ids(const google::protobuf::RepeatedField<uint64_t> &field) { return {field.begin(), field.end()}; }

} // namespace

class MembershipTest : public QObject {
    Q_OBJECT
private slots:
    void aLogStartsWithTheInitialVotersOrThisNodeAloneAndAJoinerWithNone()
    {
        Recorder r;
        QCOMPARE(ids(Membership(optionsOf(2, kThree), r.hooks()).bootstrap().voters()), (std::vector<uint64_t>{1, 2, 3}));
        QCOMPARE(ids(Membership(optionsOf(5, {}), r.hooks()).bootstrap().voters()), (std::vector<uint64_t>{5}));
        const raft::ConfState joiner = Membership(optionsOf(4, kThree, "10.0.0.1:7000"), r.hooks()).bootstrap();
        QVERIFY(joiner.voters().empty() && joiner.learners().empty());
    }

    void whatItKnowsOfTheConfiguration()
    {
        Recorder r;
        Membership m(optionsOf(1, {}), r.hooks());
        m.setConfiguration(configuration({1}));
        QVERIFY(m.isSoleVoter());
        QVERIFY(m.isMember(1));
        QCOMPARE(m.describe(), std::string("voters 1"));
        m.setConfiguration(configuration({1, 2}, {4}));
        QVERIFY(!m.isSoleVoter());
        QVERIFY(m.isMember(4));
        QVERIFY(!m.isMember(3));
        QCOMPARE(m.describe(), std::string("voters 1,2, learners 4"));
        m.setConfiguration(configuration({2}));
        QVERIFY(!m.isSoleVoter());   // the only voter is another node
    }

    void theLinksDialEveryMemberButThisNodeAndTheJoinAddressWhileNotAMember()
    {
        Recorder r;
        Membership member = memberOfThree(2, r);
        member.connectPeers();
        QCOMPARE(r.peersSet, (std::vector<std::pair<uint64_t, std::string>>{{1, "10.0.0.1:7000"}, {3, "10.0.0.3:7000"}}));

        Recorder j;
        Membership joiner(optionsOf(4, {}, "10.0.0.1:7000"), j.hooks());
        joiner.connectPeers();
        QCOMPARE(j.peersSet, (std::vector<std::pair<uint64_t, std::string>>{{0, "10.0.0.1:7000"}}));
    }

    void aJoinerAsksEverySecondUntilItKnowsALeaderOrIsAMember()
    {
        Recorder r;
        Membership joiner(optionsOf(4, {}, "10.0.0.1:7000"), r.hooks());
        joiner.askToJoinIfDue(0, 0);
        QCOMPARE(r.sent.size(), size_t(1));
        QCOMPARE(r.sent[0].first, uint64_t(0));   // whoever answers at the join address
        QCOMPARE(r.sent[0].second.join_request().node_id(), uint64_t(4));
        QCOMPARE(r.sent[0].second.join_request().raft_address(), std::string("10.0.0.4:7000"));
        joiner.askToJoinIfDue(0, 999);
        QCOMPARE(r.sent.size(), size_t(1));
        joiner.askToJoinIfDue(0, 1000);
        QCOMPARE(r.sent.size(), size_t(2));
        joiner.askToJoinIfDue(1, 5000);   // a leader is known: it is catching up
        joiner.setConfiguration(configuration({1, 2, 3}, {4}));
        joiner.askToJoinIfDue(0, 9000);   // a member
        QCOMPARE(r.sent.size(), size_t(2));

        // A member that does not lead points the joiner at the leader.
        JoinReply reply;
        reply.set_leader_id(2);
        reply.set_leader_raft_address("10.0.0.2:7000");
        joiner.onJoinReply(reply);
        QCOMPARE(r.peersSet, (std::vector<std::pair<uint64_t, std::string>>{{0, "10.0.0.2:7000"}}));

        Recorder n;
        Membership notJoining(optionsOf(2, kThree), n.hooks());
        notJoining.askToJoinIfDue(0, 0);
        QVERIFY(n.sent.empty());
    }

    void aFollowerAnswersAJoinerWithTheLeaderItKnows()
    {
        Recorder r;
        Membership m = memberOfThree(2, r);
        QVERIFY(!m.onJoinRequest(9, joinRequest(4, "10.0.0.4:7000"), /*leader=*/1, /*isLeader=*/false));
        QVERIFY(!m.onJoinRequest(9, joinRequest(4, "10.0.0.4:7000"), /*leader=*/0, /*isLeader=*/false));
        QCOMPARE(r.sent.size(), size_t(2));
        const JoinReply &toLeader = r.sent[0].second.join_reply();
        QCOMPARE(r.sent[0].first, uint64_t(9));
        QVERIFY(!toLeader.accepted());
        QCOMPARE(toLeader.leader_id(), uint64_t(1));
        QCOMPARE(toLeader.leader_raft_address(), std::string("10.0.0.1:7000"));
        QCOMPARE(toLeader.error(), std::string("this node is not the leader"));
        QCOMPARE(r.sent[1].second.join_reply().error(), std::string("no leader is known yet"));
        QVERIFY(r.proposed.empty() && r.snapshots.empty());
    }

    void theLeaderSnapshotsThenProposesTheJoinerAsALearner()
    {
        Recorder r;
        Membership m = memberOfThree(1, r);
        QVERIFY(m.onJoinRequest(9, joinRequest(4, "10.0.0.4:7000"), 1, true));
        QCOMPARE(r.snapshots.size(), size_t(1));
        QCOMPARE(r.snapshots[0].at(4), std::string("10.0.0.4:7000"));   // the joiner learns its own address too
        QCOMPARE(r.snapshots[0].size(), size_t(4));
        QCOMPARE(r.proposed.size(), size_t(1));
        QCOMPARE(r.proposed[0].changes(0).type(), raft::ADD_LEARNER);
        QCOMPARE(r.proposed[0].changes(0).node_id(), uint64_t(4));
        QCOMPARE(r.proposed[0].context(), std::string("10.0.0.4:7000"));
        QVERIFY(r.sent.back().second.join_reply().accepted());
        QVERIFY(!m.addresses().count(4));   // in the book once the change is applied

        // Already a member: accepted, nothing proposed again.
        m.setConfiguration(configuration({1, 2, 3}, {4}));
        QVERIFY(!m.onJoinRequest(9, joinRequest(4, "10.0.0.4:7000"), 1, true));
        QVERIFY(r.sent.back().second.join_reply().accepted());
        QCOMPARE(r.proposed.size(), size_t(1));
    }

    void aJoinTheLeaderCannotStartIsAnsweredWithTheReason()
    {
        Recorder r;
        Membership m = memberOfThree(1, r);
        r.snapshotAnswer = ioError("disk full");
        QVERIFY(!m.onJoinRequest(9, joinRequest(4, "10.0.0.4:7000"), 1, true));
        QVERIFY(r.proposed.empty());
        QCOMPARE(r.sent.back().second.join_reply().error(), std::string("the leader could not snapshot its metadata: disk full"));
        r.snapshotAnswer = Status::ok();
        r.proposeAnswer = unavailable("a configuration change is pending");
        QVERIFY(!m.onJoinRequest(9, joinRequest(4, "10.0.0.4:7000"), 1, true));
        QVERIFY(!r.sent.back().second.join_reply().accepted());
        QCOMPARE(r.sent.back().second.join_reply().error(), std::string("cannot add node 4 now: a configuration change is pending"));
    }

    void aCaughtUpLearnerIsProposedAsAVoter()
    {
        Recorder r;
        Membership m = memberOfThree(1, r);
        raft::RaftStatus status;
        status.commit = 50;
        status.progress = {{1, 50}, {4, 49}, {5, 50}, {6, 50}};
        status.progress[1].isLearner = status.progress[2].isLearner = status.progress[3].isLearner = true;
        m.promoteCaughtUpLearner(status);
        QCOMPARE(r.proposed.size(), size_t(1));   // one change at a time
        QCOMPARE(r.proposed[0].changes(0).type(), raft::ADD_VOTER);
        QCOMPARE(r.proposed[0].changes(0).node_id(), uint64_t(5));
        status.progress[2].match = 10;
        status.progress[3].match = 10;
        m.promoteCaughtUpLearner(status);
        QCOMPARE(r.proposed.size(), size_t(1));
    }

    // Once a member (added as a learner, by a snapshot or an applied change), a joiner closes the
    // link to the address it joined through: that member is dialled under its own id too, and two
    // links to one address replaced each other at the far end every few ms (the fault bed).
    void aJoinerClosesItsJoinLinkOnceAMember()
    {
        Recorder r;
        Membership m(optionsOf(4, {}, "10.0.0.3:7000"), r.hooks());
        m.connectPeers();
        QCOMPARE(r.peersSet, (std::vector<std::pair<uint64_t, std::string>>{{0, "10.0.0.3:7000"}}));
        m.setConfiguration(configuration({1, 2, 3}));   // not a member yet: the link stays
        QVERIFY(r.peersRemoved.empty());
        m.setConfiguration(configuration({1, 2, 3}, {4}));   // the leader's snapshot names it a learner
        QCOMPARE(r.peersRemoved, std::vector<uint64_t>{0});
        metadata::MetadataImage image;
        m.applied(Membership::addLearner(5, "10.0.0.5:7000"), configuration({1, 2, 3}, {4, 5}), 20, false, image);
        QCOMPARE(r.peersRemoved, std::vector<uint64_t>{0});   // once only

        // Added by an applied change rather than a snapshot: the same.
        Recorder r2;
        Membership m2(optionsOf(6, {}, "10.0.0.1:7000"), r2.hooks());
        m2.connectPeers();
        m2.setConfiguration(configuration({1, 2, 3}));
        m2.applied(Membership::addLearner(6, "10.0.0.6:7000"), configuration({1, 2, 3}, {6}), 21, false, image);
        QCOMPARE(r2.peersRemoved, std::vector<uint64_t>{0});
    }

    void anAppliedChangeUpdatesTheAddressBookAndTheLinks()
    {
        Recorder r;
        Membership m = memberOfThree(1, r);
        metadata::MetadataImage image;
        image.brokers[3].id = 3;

        // Added: its address comes with the change.
        auto proposals = m.applied(Membership::addLearner(4, "10.0.0.4:7000"), configuration({1, 2, 3}, {4}), 10, true, image);
        QVERIFY(proposals.empty());
        QCOMPARE(m.addresses().at(4), std::string("10.0.0.4:7000"));
        QCOMPARE(r.peersSet, (std::vector<std::pair<uint64_t, std::string>>{{4, "10.0.0.4:7000"}}));
        QVERIFY(m.isMember(4));

        // Removed: out of the book and the links; a registered broker leaves the registry, by the leader.
        proposals = m.applied(Membership::removal(3), configuration({1, 2}, {4}), 11, /*isLeader=*/true, image);
        QCOMPARE(proposals.size(), size_t(1));
        QVERIFY(proposals[0].has_remove_broker());
        QCOMPARE(proposals[0].remove_broker().broker_id(), uint64_t(3));
        QVERIFY(!m.addresses().count(3));
        QCOMPARE(r.peersRemoved, std::vector<uint64_t>{3});
        QVERIFY(!m.isMember(3));
        QVERIFY(m.applied(Membership::removal(4), configuration({1, 2}), 12, /*isLeader=*/false, image).empty());
        QVERIFY(m.applied(Membership::removal(2), configuration({1}), 13, true, image).empty());   // not a broker

        // This node removed: it keeps its own address and has no link to itself to drop.
        r.peersRemoved.clear();
        QVERIFY(m.applied(Membership::removal(1), configuration({}), 14, true, image).empty());
        QVERIFY(m.addresses().count(1));
        QVERIFY(r.peersRemoved.empty());
    }

    // add_node / remove_node answer once the applied configuration shows the change, not when
    // it was proposed (a proposal lost with a leader change answered "removed" once, and the fault
    // bed stopped a node that was still a voter); at the deadline they answer Unavailable.
    void membershipWaitsAnswerOnceTheConfigurationShowsTheChange()
    {
        Recorder r;
        Membership m = memberOfThree(1, r);
        MembershipWaits waits;
        QObject context;   // answers are posted to its thread
        std::vector<std::pair<int, Status>> answers;
        auto record = [&answers](int which) { return [&answers, which](Status s) { answers.emplace_back(which, s); }; };
        waits.add([](const Membership &c) { return !c.isMember(3); }, "the removal of node 3", &context, record(1), 1000);
        waits.add([](const Membership &c) { return c.isMember(4); }, "the addition of node 4", &context, record(2), 500);
        waits.settle(m, 100);   // nothing applied yet
        QCoreApplication::processEvents();
        QVERIFY(answers.empty());
        m.setConfiguration(configuration({1, 2}));   // node 3's removal applied
        waits.settle(m, 200);
        QTRY_COMPARE(answers.size(), size_t(1));
        QCOMPARE(answers[0].first, 1);
        QVERIFY(answers[0].second.isOk());
        waits.settle(m, 500);   // node 4's addition never applied: its deadline
        QTRY_COMPARE(answers.size(), size_t(2));
        QCOMPARE(answers[1].first, 2);
        QCOMPARE(answers[1].second.code(), StatusCode::Unavailable);
        QVERIFY2(answers[1].second.message().find("the addition of node 4 was not applied within") == 0,
                 answers[1].second.message().c_str());
        QCOMPARE(waits.pending(), size_t(0));

        waits.add([](const Membership &) { return false; }, "x", &context, record(3), 10000);
        waits.failAll(unavailable("the node is shutting down"));
        QTRY_COMPARE(answers.size(), size_t(3));
        QCOMPARE(answers[2].second.message(), std::string("the node is shutting down"));
    }
};

QTEST_GUILESS_MAIN(MembershipTest)
#include "MembershipTest.moc"
